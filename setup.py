"""The compiled parts of zhfix; everything else is in pyproject.toml.

* The C loops (zhfix.loops._speedups).  ``-ffp-contract=off``: a score plus
  a weighted echo is rounded as Python rounds it (no fused multiply-add), so
  the C loop and its twin add alike.
* The modules of zhfix._compiled.COMPILED, compiled by Cython from their
  Python source as it is (no types declared; ``annotation_typing=False``:
  a hint is no check), each beside its source.

Every extension is ``optional=True``: without a C compiler the build skips
it, and zhfix runs the same modules interpreted (and the C loops' pure-Python
twins, zhfix/loops/scan.py), with the same results.  ``ZHFIX_NO_CYTHON=1``
in the environment of a build skips the Cython modules (a build in seconds
instead of ~35 s on two cores; ~1.4x slower on a disguised page).
"""
import ast
import os
import sys
from pathlib import Path

from setuptools import Extension, setup


def compiled_modules() -> tuple:
    """zhfix._compiled.COMPILED, read from its source (the package is not
    importable while it is being built)."""
    tree = ast.parse(Path("src/zhfix/_compiled.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMPILED" for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError("no COMPILED in src/zhfix/_compiled.py")


flags = [] if sys.platform == "win32" else ["-ffp-contract=off"]
extensions = [Extension("zhfix.loops._speedups", ["src/zhfix/loops/_speedups.c"], extra_compile_args=flags,
                        optional=True)]
try:
    from Cython.Build import cythonize
except ImportError:  # (pyproject.toml's build requirements bring Cython: a build without them)
    cythonize = None
if cythonize is not None and not os.environ.get("ZHFIX_NO_CYTHON"):  # (set: a quicker build, interpreted)
    modules = [Extension(name, ["src/" + name.replace(".", "/") + ".py"], optional=True)
               for name in compiled_modules()]
    threads = 0 if sys.platform == "win32" else os.cpu_count() or 1  # (Windows: no worker processes in setup.py)
    for ext in cythonize(modules, build_dir="build/cython", quiet=True, nthreads=threads,
                         compiler_directives={"language_level": 3, "annotation_typing": False}):
        ext.optional = True
        extensions.append(ext)
# the extensions compiled side by side, one per core
setup(ext_modules=extensions, options={"build_ext": {"parallel": os.cpu_count() or 1}})
