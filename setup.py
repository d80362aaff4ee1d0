"""The optional C loops (zhfix.loops._speedups); everything else is in pyproject.toml.

``optional=True``: without a C compiler the build skips the extension and
zhfix runs its pure-Python twins (zhfix/loops/scan.py), with the same results.
``-ffp-contract=off``: a score plus a weighted echo is rounded as Python
rounds it (no fused multiply-add), so the C loop and its twin add alike.
"""
import sys

from setuptools import Extension, setup

flags = [] if sys.platform == "win32" else ["-ffp-contract=off"]
setup(ext_modules=[Extension("zhfix.loops._speedups", ["src/zhfix/loops/_speedups.c"], extra_compile_args=flags,
                             optional=True)])
