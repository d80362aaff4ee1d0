"""The optional C loops (zhfix._speedups); everything else is in pyproject.toml.

``optional=True``: without a C compiler the build skips the extension and
zhfix runs its pure-Python twins (zhfix/scan.py), with the same results.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("zhfix._speedups", ["src/zhfix/_speedups.c"], optional=True)])
