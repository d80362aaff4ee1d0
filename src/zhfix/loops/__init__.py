"""Layer 3, the loops: one pass over a text's characters against the class
table (zhfix.classes), compiled (zhfix.loops._speedups) or in pure Python
(zhfix.loops.scan's fallbacks, with the same results)."""
