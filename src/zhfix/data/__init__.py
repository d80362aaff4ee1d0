"""Layer 1, data: the character sets and tables zhfix decides by (OpenCC's
dictionaries, the everyday characters of GB2312/Big5), and the store where
what is derived from them is kept.  Imports nothing of zhfix above it."""
