"""Character classes and the patterns built from them, once, at import."""
import re

#: CJK ideographs: URO, extension A, compatibility, and the supplementary planes.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")
#: Fullwidth/CJK punctuation that sits inside Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"

#: Halfwidth punctuation an SEO mirror produces, and its fullwidth original.
FULLWIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}

