"""Defaults from a configuration file: ``[tool.zhfix]`` in the project's
``pyproject.toml``, or the file given with ``--config``.

The project root is found as black finds it: from the common directory of the
paths given (the current directory for stdin), up to the first directory
holding ``.git``, ``.hg`` or ``pyproject.toml``.  Keys are option names, with
``-`` or ``_``::

    [tool.zhfix]
    exclude = ["vendor", "*.min.js"]
    max-size = "10MB"
    keep-boilerplate = true
    fail-on = "lossy"

Values become the options' defaults, so a flag on the command line always wins.
A ``--config`` file may hold ``[tool.zhfix]`` or the keys at its top level.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterable, Optional

#: Options a configuration file may not set.
NOT_CONFIGURABLE = {"src", "config", "version", "help"}


class SettingsError(Exception):
    pass


def find_project_root(paths: Iterable[str]) -> Path:
    dirs = []
    for p in paths:
        if p == "-":
            continue
        ap = Path(os.path.abspath(p))
        dirs.append(ap if ap.is_dir() else ap.parent)
    start = Path(os.path.commonpath([str(d) for d in dirs])) if dirs else Path.cwd()
    for d in (start, *start.parents):
        if (d / ".git").exists() or (d / ".hg").is_dir() or (d / "pyproject.toml").is_file():
            return d
    return start


def _load_toml(path: Path) -> dict:
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover
        try:
            import tomli as tomllib
        except ImportError:
            raise SettingsError(f"{path}: reading TOML needs Python 3.11 or the tomli package")
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise SettingsError(f"{path}: {e.strerror or e}")
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{path}: invalid TOML: {e}")


def find_config(paths: Iterable[str]) -> Optional[Path]:
    """The project's pyproject.toml, if it has a ``[tool.zhfix]`` table."""
    candidate = find_project_root(paths) / "pyproject.toml"
    if not candidate.is_file():
        return None
    try:
        data = _load_toml(candidate)
    except SettingsError:
        return None  # a broken pyproject.toml of someone else's project is not our business
    return candidate if "zhfix" in data.get("tool", {}) else None


def read_config(path: Path, explicit: bool = False) -> Dict[str, object]:
    """The ``[tool.zhfix]`` table of `path` with keys as option names."""
    data = _load_toml(path)
    table = data.get("tool", {}).get("zhfix")
    if table is None:
        if not explicit:
            return {}
        table = {k: v for k, v in data.items() if k != "tool"}
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.zhfix] must be a table")
    return {k.lstrip("-").replace("-", "_"): v for k, v in table.items()}


def default_map(values: Dict[str, object], params, path: Path) -> Dict[str, object]:
    """Check `values` against the command's `params` (click Parameters) and
    return them as a click ``default_map``."""
    names = {p.name: p for p in params}
    out = {}
    for key, value in values.items():
        if key in NOT_CONFIGURABLE or key not in names:
            raise SettingsError(f"{path}: unknown option {key.replace('_', '-')!r} in [tool.zhfix]")
        param = names[key]
        if getattr(param, "multiple", False) and isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)) and not getattr(param, "multiple", False):
            raise SettingsError(f"{path}: {key.replace('_', '-')} takes one value, not a list")
        out[key] = value
    return out
