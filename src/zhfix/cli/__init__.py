"""The command line and the batch machinery (file discovery, workers,
atomic writes, the report): a client of the library (zhfix), which imports
nothing from here."""
from .command import cli, main

__all__ = ["cli", "main"]
