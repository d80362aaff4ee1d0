"""Exceptions zhfix raises on input it will not touch."""


class ZhfixError(Exception):
    """Base class: a message fit for one line on stderr."""


class DecodeError(ZhfixError):
    """The bytes are binary, or no encoding plausible for Chinese text explains them."""


class NotChineseError(DecodeError):
    """The bytes are not UTF-8 and read as another language's legacy encoding
    (Korean, Japanese, Cyrillic, Greek...): zhfix leaves them alone rather than
    misread them.  `encoding` is charset-normalizer's name for it (on a short
    text, a guess)."""

    def __init__(self, encoding: str):
        super().__init__(f"not Chinese text ({encoding})")
        self.encoding = encoding
