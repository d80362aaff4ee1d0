"""The compiled parts of zhfix; everything else is in pyproject.toml.

* The C loops (zhfix.loops._speedups).  ``-ffp-contract=off``: a score plus
  a weighted echo is rounded as Python rounds it (no fused multiply-add), so
  the C loop and its twin add alike.
* The modules of zhfix._compiled.COMPILED, compiled by Cython from their
  Python source as it is (no types declared; ``annotation_typing=False``:
  a hint is no check), each beside its source, and a record of the source
  each was compiled from (zhfix/_compiled.json: its SHA-256), by which
  zhfix._compiled tells an extension of an older source.

Every extension is optional: without a C compiler (or where Cython rejects a
module) the build skips it, and zhfix runs the same modules interpreted (and
the C loops' pure-Python twins, zhfix/loops/scan.py), with the same results.
``ZHFIX_NO_CYTHON=1`` in the environment of a build skips the Cython modules
(a build in seconds instead of ~30 s on two cores; ~1.4x slower on a
disguised page).
"""
import ast
import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def compiled_modules() -> tuple:
    """zhfix._compiled.COMPILED, read from its source (the package is not
    importable while it is being built)."""
    tree = ast.parse(Path("src/zhfix/_compiled.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMPILED" for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError("no COMPILED in src/zhfix/_compiled.py")


#: {module: SHA-256 of the source Cython compiled}, hashed before it was read
#: (an edit while the build runs makes the record differ from the source)
SOURCES = {}


def cython_extensions() -> list:
    """The modules of COMPILED as extensions, cythonized together; where
    Cython rejects one, each on its own, and that one is left out (with a
    warning), as a failed compile is.  ``force``: the C is made anew from
    each source whatever the files' times, so that it is the source hashed."""
    if os.environ.get("ZHFIX_NO_CYTHON"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:  # (pyproject.toml's build requirements bring Cython: a build without them)
        return []
    flags = [] if sys.platform == "win32" else ["-g0"]  # (no debug information: 5.8 MB of the wheel)
    threads = 0 if sys.platform == "win32" else os.cpu_count() or 1  # (Windows: no worker processes in setup.py)
    names = compiled_modules()
    paths = {name: "src/" + name.replace(".", "/") + ".py" for name in names}
    digests = {name: hashlib.sha256(Path(paths[name]).read_bytes()).hexdigest() for name in names}

    def cythonized(group):
        return cythonize([Extension(name, [paths[name]], extra_compile_args=flags) for name in group],
                         build_dir="build/cython", quiet=True, nthreads=threads, force=True,
                         compiler_directives={"language_level": 3, "annotation_typing": False})

    try:
        out = cythonized(names)  # all at once, in parallel
    except Exception:  # Cython rejected a module (a CompileError): each on its own, to leave that one out
        out = []
        for name in names:
            try:
                out += cythonized([name])
            except Exception as e:
                print(f"warning: {name} not compiled by Cython ({type(e).__name__}: {e}); it runs interpreted",
                      file=sys.stderr)
    for ext in out:
        ext.optional = True
        SOURCES[ext.name] = digests[ext.name]
    return out


class BuildExt(build_ext):
    """build_ext that leaves no extension of an older source where it skips
    or fails one (an earlier build's in build/ or beside the source), and
    writes zhfix/_compiled.json: the SHA-256 of the source of each module
    Cython compiled, for zhfix._compiled to check at import."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1  # the extensions compiled side by side, one per core

    def run(self):
        for name in compiled_modules():
            old = self.get_ext_fullpath(name)
            if os.path.exists(old):
                os.remove(old)
        super().run()
        built = {name: digest for name, digest in SOURCES.items() if os.path.exists(self.get_ext_fullpath(name))}
        record = os.path.join(os.path.dirname(self.get_ext_fullpath("zhfix.runner")), "_compiled.json")
        os.makedirs(os.path.dirname(record), exist_ok=True)
        with open(record, "w", encoding="utf-8") as f:
            json.dump(built, f, indent=1, sort_keys=True)
            f.write("\n")


flags = [] if sys.platform == "win32" else ["-ffp-contract=off"]
extensions = [Extension("zhfix.loops._speedups", ["src/zhfix/loops/_speedups.c"], extra_compile_args=flags,
                        optional=True)]
extensions += cython_extensions()
setup(ext_modules=extensions, cmdclass={"build_ext": BuildExt})
