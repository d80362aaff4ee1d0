"""zhfix: repair damaged Chinese text, and say what was done.

    >>> import zhfix
    >>> zhfix.repair("中國質量新聞網(wǎng)").text      # doctest: +SKIP

The public API is this module; each stage lives in a small module of its own
(see ``zhfix.runner`` for the order).
"""
import functools

from . import _compiled
from ._version import __version__
from .config import Config
from .errors import DecodeError, NotChineseError, ZhfixError
from .result import Change, Diagnosis, Result, Step

_compiled.install()  # a compiled module's source where ZHFIX_PURE is set or its build is of another source

__all__ = [
    "__version__", "Config", "DecodeError", "NotChineseError", "ZhfixError", "Change", "Diagnosis",
    "Result", "Step", "repair", "fix_text", "repair_bytes", "repair_record", "apply_plan",
    "build_info",
]


def build_info() -> str:
    """``"compiled"`` when zhfix's C extension is in use, else ``"pure Python: "``
    and why, its fallbacks giving the same results more slowly; what
    ``zhfix --version`` says."""
    from .loops.scan import build_info
    info = build_info()
    if info == "compiled":
        detail = _compiled.status()  # the modules Cython compiled (zhfix._compiled)
        return f"{info}; {detail}" if detail else info
    return info


def repair(text: str, config: Config = None, **kwargs) -> Result:
    """Repair `text` and explain what was done."""
    return (_run or _load_run())(text, _config(config, kwargs))


def fix_text(text: str, config: Config = None, **kwargs) -> str:
    """The repaired text alone, as :func:`repair` makes it (``repair(text).text``)
    without building the explanation: for pipelines that keep only the text
    (``df["text"].map(zhfix.fix_text)``).  Text that needs nothing is
    returned as it came, the same object."""
    if config is None and not kwargs:
        if text.isascii():
            return text  # the default switches never change ASCII text, so it is not even scanned
        return (_fix_default or _load_run() and _fix_default)(text)
    fix = _fix
    if fix is None:
        _load_run()
        fix = _fix
    return fix(text, _config(config, kwargs))


_run = _fix = _fix_default = None


def _load_run():
    """zhfix.runner.run, .fix and .fix_default, imported on the first repair
    (``import zhfix`` loads no table nor stage); fix_text's C shortcut made
    ready."""
    global _run, _fix, _fix_default
    from .runner import fix, fix_default, ready_fixer, run
    _run, _fix, _fix_default = run, fix, fix_default
    if _FIXER is not None:
        ready_fixer(_FIXER)
    return run


def _shortcut(function):
    """`function` (fix_text) as zhfix.loops._speedups.Fixer, the C callable
    that answers a page no stage changes without a Python frame (the frames
    of a call cost as much as the scan of a short page), and passes every
    other call to `function`; `function` itself without the C loops.  It
    keeps the function's name, signature and docstring (functools.wraps:
    help() and inspect read them) and pickles as the function does."""
    from .loops import scan
    if scan._c is None:
        return function
    return functools.update_wrapper(scan._c.Fixer(function), function)


_fix_text = fix_text
fix_text = _shortcut(fix_text)
#: fix_text's C shortcut, which _load_run makes ready (None without the C
#: loops); kept apart from the module's attribute, which a caller may replace.
_FIXER = None if fix_text is _fix_text else fix_text


def repair_bytes(data: bytes, config: Config = None, **kwargs) -> Result:
    """Decode `data` (recording the encoding), then :func:`repair` it.

    Raises :class:`DecodeError` for binary data or bytes no plausible encoding
    explains, and its subclass :class:`NotChineseError` for bytes that read as
    another language's legacy encoding (Korean, Japanese, Cyrillic...): zhfix
    does not repair them, and on a short text the name of that encoding is a
    guess, so it returns no reading of them rather than a possibly wrong one.
    """
    from .stages.decode import decode
    from .runner import run
    decoded = decode(data)
    result = run(decoded.text, _config(config, kwargs))
    result.encoding = decoded.encoding
    result.bom = decoded.bom
    return result


def repair_record(record: dict, field: str = "text", config: Config = None,
                  meta_field: str = None, **kwargs) -> dict:
    """Return a copy of `record` with ``record[field]`` repaired; every other key
    is left as it was.  With `meta_field`, what was done is stored there."""
    value = record.get(field)
    out = dict(record)
    if not isinstance(value, str):
        return out
    result = repair(value, config, **kwargs)
    out[field] = result.text
    if meta_field:
        out[meta_field] = result.to_dict()
    return out


def apply_plan(text: str, plan, config: Config = None) -> str:
    """Replay the named steps of an earlier repair (``result.plan``) on `text`."""
    from .runner import replay
    return replay(text, list(plan), _config(config, {}))


_DEFAULT = Config()


_CONFIGS: dict = {}


def _config(config, kwargs) -> Config:
    if not kwargs:
        return config or _DEFAULT
    if config is not None:
        return config._replace(**kwargs)
    # repair(text, explain=False) page after page should not build a Config per
    # call; keys stay in the order given, since another order only costs an entry
    key = tuple(kwargs.items())
    try:
        return _CONFIGS[key]
    except KeyError:
        if len(_CONFIGS) >= 64:  # bounded, for callers whose values change from call to call
            _CONFIGS.clear()
        made = _CONFIGS[key] = _DEFAULT._replace(**kwargs)
        return made
    except TypeError:  # an unhashable value: Config says what it thinks of it
        return _DEFAULT._replace(**kwargs)
