"""Exceptions zhfix raises on input it will not touch."""


class ZhfixError(Exception):
    """Base class: a message fit for one line on stderr."""


class DecodeError(ZhfixError):
    """The bytes are binary, or no encoding plausible for Chinese text explains them."""
