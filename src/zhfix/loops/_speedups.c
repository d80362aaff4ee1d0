/* zhfix.loops._speedups: the per-character loops of zhfix's fast paths, in C.
 *
 * Each function has a pure-Python fallback in zhfix/loops/scan.py (or, for
 * t2s_places, zhfix/stages/convert.py; for best_route and choose,
 * zhfix/stages/model.py's _best_route and _choose_py) with the same results, and
 * tests/test_speedups.py compares the two; zhfix works without this module,
 * only slower.  scripts/sanitize.sh runs those tests against an ASan/UBSan
 * build of it.
 *
 * No function here calls Python code it is given: each takes data (strings,
 * lists, dicts, tables) and gives data.  Where a stage's decision needs
 * Python (a word model's choice, a reading's score, whether a clause asks a
 * question, what a new stretch is), the loop lists what it could not decide
 * and the caller, in Python, supplies it and asks again.  A dict lookup or a
 * collection may still run a finalizer or a key's __eq__, so what a loop
 * borrows and then uses after such a call is held.
 *
 *   classes(text, table[, placed, before, after])
 *                               OR of table[c] over the text's characters;
 *                               the `placed` bits only where positions()
 *                               finds a character with them
 *   count(text, table, bits)    how many characters have any of `bits`
 *   counts(text, table, masks)  count() for each of a tuple of (at most 8)
 *                               masks, in one pass
 *   positions(text, table, bits, before, after)
 *                               the offsets of those characters (where the
 *                               one before has any of `before` and the one
 *                               after any of `after`, when these are not 0)
 *   select(text, table, bits)   the characters that have any of `bits`, in order
 *   runs_holding(text, table, bits, need)
 *                               the runs of characters with `bits` that hold
 *                               one with `need`, joined by "\n"
 *   distinct(text, table, bits, limit)
 *                               how many different characters have any of
 *                               `bits`, counted up to `limit` (at most 64)
 *   term_counts(text, table, bits, pairs, groups[, split])
 *                               {term: occurrences} for the terms of groups[j]
 *                               (a tuple of str per pair j of `pairs`), looked
 *                               for where text[i] has any of `bits`, each
 *                               counted as str.count counts; with the set
 *                               `split`, two dicts (terms in it, the others)
 *   translate(text, bmp, astral) map each character through the tables
 *   page(text, table, facts)    classes() with its placed bits, and facts
 *                               of a clean page as bits above the classes
 *                               (no spam header can start it: its first
 *                               line short or without Chinese;
 *                               no run of unusual characters for the
 *                               mojibake check; a Japanese page, a
 *                               traditional one without a counted sign of
 *                               a disguise; no annotation after its
 *                               parentheses: zhfix.loops.scan.page)
 *   runs(text, table, bits, min_len[, settled])
 *                               the runs of non-ASCII text around the
 *                               characters with `bits` (zhfix.stages.mojibake);
 *                               with `settled` (need, reject, need, reject...)
 *                               not those whose OR of classes has all of a
 *                               need and none of its reject
 *   splice(text, edits)         text with the edits (start, end, new, ...)
 *                               applied (sorted, not overlapping)
 *   common_pairs(a, b[, table, bits])
 *                               (different pairs of neighbouring characters
 *                               in a, how many of them b has)
 *   pair_counts(text)           a table of how often each pair of
 *                               neighbouring characters occurs
 *   marks_after_han(text, table, half, han)
 *                               halfwidth marks after Han (or a comma before
 *                               it), counted as a regex counts them
 *                               (zhfix.stages.diagnose)
 *   punct_places(text, table, half, chinese, han)
 *                               the halfwidth marks and parentheses that sit
 *                               in Chinese (zhfix.stages.punct's rules)
 *   script_lines(text, table, simp_bits, trad_bits, prose)
 *                               lines of each script (zhfix.stages.diagnose)
 *   ordered(edits)              whether the edits' starts increase
 *   explain(text, edits, cls, names, limit)
 *                               each edit's line, and (line, column, before,
 *                               after, note) as an instance of cls for the
 *                               first `limit` (zhfix.runner's explanation)
 *   freeze(record)              a record of strings and numbers kept from
 *                               the cyclic GC
 *   flag_counts(found, fields)  how many shapes have each field true
 *   annotation_splice(text, found, whole_at, flag_at)
 *                               the text without its one-syllable pinyin
 *                               annotations (zhfix.stages.pinyin)
 *
 * And four loops of a stage each, kept in C because their Python versions
 * would cost a disguised page an eighth to a half more time (issue 5's 0.5x of OpenCC C++):
 *
 *   enclosed(text, starts, close, limit, known, missing=None[, table, bits, before, after, first])
 *                               from the character before each start to the
 *                               first character of `close` within `limit`:
 *                               what the dict `known` says that string is
 *                               (with `missing`: the strings it lacks listed
 *                               too)
 *   substitute(text, places, mapping, skip[, table, half, chinese, han])
 *                               mapping[c] at each place, the places of
 *                               `skip` left and listed (punct's "?")
 *   t2s_places(text, bulk, places, groups, candidates, defaults, memo, counted=False, given=None)
 *                               t2s's decisions in context spliced into the
 *                               bulk translation: TSPhrases, OpenCC's
 *                               default, a choice given or remembered; the
 *                               places the word model must decide listed
 *   slot_best(simps, memo, before, cands, after, pairs, window, weight, missing)
 *                               the best two readings of a misread span's
 *                               slot by score and echo (zhfix.stages.reread);
 *                               the readings without a score listed
 *
 * And the word model's score, which the re-reading asks for each of a
 * misread span's hundreds of candidate readings (about 10x its Python twin,
 * which walks jieba's FREQ as a dict):
 *
 *   best_route(text, words)     log P(text) under jieba's best segmentation,
 *                               `words` a table of jieba's whole dictionary
 *                               (zhfix.stages.model.route_table; its layout
 *                               is described at the function)
 *   choose(left, candidates, right, lex, words)
 *                               the word model's pick between a character's
 *                               simplified forms (zhfix.stages.model.choose):
 *                               words from the dict `lex`, the pairs at a
 *                               word's edge from that table
 *
 * `table` is a bytes object of 0x110000 native-endian uint32 entries, one
 * per code point.  `pairs` is a hash table of two-character keys (built by
 * zhfix.loops.scan.pair_table): a power of two (at least 8) of native-endian
 * uint64 slots, each EMPTY or key | j << 42, where key = first << 21 |
 * second and j is the pair's number; a key's home slot is
 * (key * 0x9E3779B97F4A7C15) >> (64 - log2(slots)), then the next ones.
 * After the slots, a filter of 4 bits a slot: bit (key * 0x9E3779B97F4A7C15)
 * >> (62 - log2(slots)) is set for every key, so that most characters pairs
 * that are not keys are turned away by a table that stays in the cache (the
 * slots of 15,000 pairs are 512 KB; their filter 32 KB).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TABLE_SIZE 0x110000

static int
get_table(PyObject *obj, const uint32_t **out)
{
    if (!PyBytes_Check(obj) || PyBytes_GET_SIZE(obj) != TABLE_SIZE * 4) {
        PyErr_SetString(PyExc_ValueError, "table must be bytes of 0x110000 uint32");
        return -1;
    }
    *out = (const uint32_t *)PyBytes_AS_STRING(obj);
    return 0;
}

static int
ready(PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be str");
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return -1;
#endif
    return 0;
}

/* Is `obj` a tuple-like record with no __dict__ (an exact tuple, or a
   subclass such as a NamedTuple: nothing but its items)? */
static int
plain_record(PyObject *obj)
{
    if (PyTuple_CheckExact(obj))
        return 1;
    PyTypeObject *tp = Py_TYPE(obj);
    return PyTuple_Check(obj) && tp->tp_dictoffset == 0 && tp->tp_basicsize == PyTuple_Type.tp_basicsize &&
           tp->tp_itemsize == PyTuple_Type.tp_itemsize;
}

/* Can `item`, inside a record, be in no reference cycle: an object the GC
   never looks at (str, int, float, None), or a record it no longer looks
   at (untracked by CPython, an exact tuple, or by freeze() below)? */
static int
cycle_free(PyObject *item)
{
    return item != NULL && (!PyObject_IS_GC(item) || (plain_record(item) && !PyObject_GC_IsTracked(item)));
}

/* Stop the cyclic GC from looking at the exact tuple `obj` (NULL: nothing)
   when it can be in no reference cycle: CPython's own rule, which it
   applies at the first collection a tuple lives through (its items all
   cycle_free).  A long document makes millions of such tuples. */
static void
untrack_atomic(PyObject *obj)
{
    if (obj == NULL || !PyTuple_CheckExact(obj) || !PyObject_GC_IsTracked(obj))
        return;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(obj); k++)
        if (!cycle_free(PyTuple_GET_ITEM(obj, k)))
            return;
    PyObject_GC_UnTrack(obj);
}

/* A hint to fetch what a scan reads AHEAD characters on: with it, one pass
   over a text larger than the core's caches reads memory at the speed it
   reads cached text (on this project's machines the hardware prefetcher
   alone left a 100 MB scan 3x slower than a 1 MB one).  A hint never faults,
   so it may point past the text's end. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif
#define AHEAD 1024

#define LOOP_KINDS(...)                                                     \
    switch (kind) {                                                          \
    case PyUnicode_1BYTE_KIND: {                                             \
        const Py_UCS1 *s = (const Py_UCS1 *)data;                            \
        __VA_ARGS__                                                          \
        break;                                                               \
    }                                                                        \
    case PyUnicode_2BYTE_KIND: {                                             \
        const Py_UCS2 *s = (const Py_UCS2 *)data;                            \
        __VA_ARGS__                                                          \
        break;                                                               \
    }                                                                        \
    default: {                                                               \
        const Py_UCS4 *s = (const Py_UCS4 *)data;                            \
        __VA_ARGS__                                                          \
        break;                                                               \
    }                                                                        \
    }

/* Inside LOOP_KINDS: moves the offset `i` past blocks of four characters
   none of which has `bits` (the lookups of a block overlap, as in
   classes()), leaving it at most at `n`; the caller's loop then tests the
   character at `i` one by one, as before. */
#define SKIP_WITHOUT(i, n, bits)                                             \
    while ((i) + 4 <= (n) && !((table[s[(i)]] | table[s[(i) + 1]] | table[s[(i) + 2]] | table[s[(i) + 3]]) & (bits))) \
        (i) += 4;                                                            \
    if ((i) >= (n))                                                          \
        break

/* Steps i over the ASCII characters of s (LOOP_KINDS') from i, eight
   bytes at a time, to the next non-ASCII one or n. */
#define SKIP_ASCII(i, n)                                                     \
    do {                                                                     \
        const uint64_t high_ = sizeof(*s) == 1   ? 0x8080808080808080ull      \
                               : sizeof(*s) == 2 ? 0xFF80FF80FF80FF80ull      \
                                                 : 0xFFFFFF80FFFFFF80ull;     \
        const Py_ssize_t per_ = 8 / (Py_ssize_t)sizeof(*s);                  \
        uint64_t w_;                                                         \
        while ((i) + per_ <= (n)) {                                          \
            memcpy(&w_, s + (i), 8);                                         \
            if (w_ & high_)                                                  \
                break;                                                       \
            (i) += per_;                                                     \
        }                                                                    \
        while ((i) < (n) && s[i] < 0x80)                                     \
            (i)++;                                                           \
    } while (0)

/* Steps i to the next line feed of s (LOOP_KINDS') from i, or to n: eight
   bytes at a time (a lane equal to it found as a zero lane of their
   exclusive or), then one character at a time. */
#define NEXT_LINE_FEED(i, n)                                                 \
    do {                                                                     \
        const uint64_t ones_ = sizeof(*s) == 1   ? 0x0101010101010101ull      \
                               : sizeof(*s) == 2 ? 0x0001000100010001ull      \
                                                 : 0x0000000100000001ull;     \
        const uint64_t high_ = ones_ << (8 * sizeof(*s) - 1);                \
        const Py_ssize_t per_ = 8 / (Py_ssize_t)sizeof(*s);                  \
        uint64_t w_;                                                         \
        while ((i) + per_ <= (n)) {                                          \
            memcpy(&w_, s + (i), 8);                                         \
            w_ ^= ones_ * '\n';                                              \
            if ((w_ - ones_) & ~w_ & high_)                                  \
                break;                                                       \
            (i) += per_;                                                     \
        }                                                                    \
        while ((i) < (n) && s[i] != '\n')                                    \
            (i)++;                                                           \
    } while (0)

/* Declares n (the length), kind and data of the str `text` (ready()). */
#define TEXT_VIEW(text)                                                     \
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);                               \
    int kind = PyUnicode_KIND(text);                                         \
    const void *data = PyUnicode_DATA(text)

/* METH_FASTCALL arguments (the loops asked of every page, where parsing a
   tuple by a format costs as much as scanning a short page): the count of
   them, an unsigned int (as the "I" format reads it), a Py_ssize_t, a
   tuple.  Each returns -1 with an exception set. */
static int
fc_nargs(const char *name, Py_ssize_t nargs, Py_ssize_t least, Py_ssize_t most)
{
    if (nargs < least || nargs > most) {
        if (least == most)
            PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, least, nargs);
        else
            PyErr_Format(PyExc_TypeError, "%s() takes %zd to %zd arguments (%zd given)", name, least, most, nargs);
        return -1;
    }
    return 0;
}

static int
fc_uint(PyObject *obj, unsigned int *out)
{
    unsigned long v = PyLong_AsUnsignedLongMask(obj);
    if (v == (unsigned long)-1 && PyErr_Occurred())
        return -1;
    *out = (unsigned int)v;
    return 0;
}

static int
fc_ssize(PyObject *obj, Py_ssize_t *out)
{
    Py_ssize_t v = PyNumber_AsSsize_t(obj, PyExc_OverflowError);  /* as the "n" format: __index__ too */
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

static int
fc_tuple(PyObject *obj, const char *name)
{
    if (!PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s() wants a tuple, not %.100s", name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    return 0;
}

/* The arguments (text, table, bits) of a function, by `format`; -1 on error. */
static int
text_table_bits(PyObject *args, const char *format, PyObject **text, const uint32_t **table, unsigned int *bits)
{
    PyObject *tobj;
    if (!PyArg_ParseTuple(args, format, text, &tobj, bits))
        return -1;
    if (ready(*text) < 0 || get_table(tobj, table) < 0)
        return -1;
    return 0;
}

/* The first offset i, from <= i < to, of data (n characters of `kind`)
   whose character has `bits`, the one before it `before` and the one after
   it `after` (each check skipped when 0; the neighbours may lie outside
   from..to): what positions() lists; -1 if none. */
static inline Py_ssize_t
position_within(const uint32_t *table, int kind, const void *data, Py_ssize_t n, Py_ssize_t from, Py_ssize_t to,
                unsigned int bits, unsigned int before, unsigned int after)
{
    LOOP_KINDS({
        for (Py_ssize_t i = from; i < to; i++) {
            SKIP_WITHOUT(i, to, bits);
            if (!(table[s[i]] & bits))
                continue;
            if (before && (i == 0 || !(table[s[i - 1]] & before)))
                continue;
            if (after && (i + 1 >= n || !(table[s[i + 1]] & after)))
                continue;
            return i;
        }
    })
    return -1;
}

/* position_within() from `from` to the end */
static inline Py_ssize_t
next_position(const uint32_t *table, int kind, const void *data, Py_ssize_t n, Py_ssize_t from, unsigned int bits,
              unsigned int before, unsigned int after)
{
    return position_within(table, kind, data, n, from, n, bits, before, after);
}

static unsigned int classes_of(PyObject *text, const uint32_t *table, unsigned int watch, uint64_t *parts,
                               unsigned int *part_or);
static unsigned int placed_classes(PyObject *text, const uint32_t *table, unsigned int placed, unsigned int before,
                                   unsigned int after);

/* METH_FASTCALL: the scan asked of every page, where parsing a tuple of
   arguments by a format would cost as much as the scan of a short page */
static PyObject *
classes(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    const uint32_t *table;
    unsigned int placed = 0, before = 0, after = 0;
    if (fc_nargs("classes", nargs, 2, 5) < 0)
        return NULL;
    PyObject *text = args[0];
    if (ready(text) < 0 || get_table(args[1], &table) < 0)
        return NULL;
    if ((nargs > 2 && fc_uint(args[2], &placed) < 0) || (nargs > 3 && fc_uint(args[3], &before) < 0)
        || (nargs > 4 && fc_uint(args[4], &after) < 0))
        return NULL;
    return PyLong_FromUnsignedLong(placed_classes(text, table, placed, before, after));
}

/* The text's 64 parts, for classes_of's `parts`: part k is
   [k * part_size(n), (k + 1) * part_size(n)). */
static inline Py_ssize_t
part_size(Py_ssize_t n)
{
    /* a multiple of 32, so that each part starts where the scan's prefetch
       (every 32 characters) is due */
    return n <= 64 * 64 ? 64 : ((n + 63) / 64 + 31) & ~(Py_ssize_t)31;
}

/* classes_of's step: the next four characters from i + j, one into each accumulator */
#define OR_FOUR(j) \
    a0 |= table[s[i + (j)]]; a1 |= table[s[i + (j) + 1]]; a2 |= table[s[i + (j) + 2]]; a3 |= table[s[i + (j) + 3]];

/* The OR of table[c] over the characters of the (ready) str `text`, and
   bit k of *parts set where part k of the text
   (part_size) holds a character with `watch` (all set for a text of
   Latin-1: its parts are not looked at): where placed_classes looks for
   one, at no cost to the scan (a test a part, not a character).
   part_or[k] (64 of them): the OR over part k's characters (the whole
   text's for every part of a text of Latin-1); the parts past the text's
   end are left as they were (never read: their bit of *parts is 0). */
static unsigned int
classes_of(PyObject *text, const uint32_t *table, unsigned int watch, uint64_t *parts, unsigned int *part_or)
{
    TEXT_VIEW(text);
    unsigned int acc = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        /* Latin-1 text: which of the 256 characters occur, then their bits
           (the OR loop below is several times slower on bytes) */
        const Py_UCS1 *s = (const Py_UCS1 *)data;
        unsigned char seen[256] = {0};
        for (Py_ssize_t i = 0; i < n; i++)
            seen[s[i]] = 1;
        for (int c = 0; c < 256; c++)
            if (seen[c])
                acc |= table[c];
        *parts = ~(uint64_t)0;
        for (int k = 0; k < 64; k++)
            part_or[k] = acc;
        return acc;
    }
    const Py_ssize_t size = part_size(n);
    uint64_t found = 0;
    /* four independent accumulators, so the loads overlap; a part at a time */
    LOOP_KINDS({
        Py_ssize_t i = 0;
        for (int k = 0; i < n; k++) {
            const Py_ssize_t end = i + size < n ? i + size : n;
            unsigned int a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            /* 32 characters a step, written out (a part starts at a
               multiple of 32: one prefetch a step, no test a character) */
            for (; i + 32 <= end; i += 32) {
                PREFETCH(s + i + AHEAD);
                OR_FOUR(0) OR_FOUR(4) OR_FOUR(8) OR_FOUR(12) OR_FOUR(16) OR_FOUR(20) OR_FOUR(24) OR_FOUR(28)
            }
            for (; i + 4 <= end; i += 4) {
                OR_FOUR(0)
            }
            for (; i < end; i++)
                a0 |= table[s[i]];
            const unsigned int part = a0 | a1 | a2 | a3;
            part_or[k] = part;
            acc |= part;
            if (part & watch)
                found |= (uint64_t)1 << k;
        }
    })
    *parts = found;
    return acc;
}

/* classes_of(text, table), its `placed` bits kept only where such a
   character stands between the classes asked for (as positions() finds it) */
static unsigned int
placed_classes(PyObject *text, const uint32_t *table, unsigned int placed, unsigned int before, unsigned int after)
{
    uint64_t parts;
    unsigned int part_or[64];
    unsigned int acc = classes_of(text, table, placed, &parts, part_or);
    if (!(acc & placed))
        return acc;
    if ((before && !(acc & before)) || (after && !(acc & after)))
        return acc & ~placed;  /* neither can stand beside it */
    /* looked for in the parts that hold such a character only */
    TEXT_VIEW(text);
    const Py_ssize_t size = part_size(n);
    for (int k = 0; k < 64 && parts; k++, parts >>= 1) {
        if (!(parts & 1))
            continue;
        const Py_ssize_t from = k * size, to = from + size < n ? from + size : n;
        /* a character's neighbours are in its own part but at the part's
           ends: in a part with no `before` character only its first can
           have one before it (the previous part's last), in one with no
           `after` character only its last one after it */
        Py_ssize_t lo = from, hi = to;
        if (before && !(part_or[k] & before) && hi > from + 1)
            hi = from + 1;
        if (after && !(part_or[k] & after) && lo < to - 1)
            lo = to - 1;
        if (lo < hi && position_within(table, kind, data, n, lo, hi, placed, before, after) >= 0)
            return acc;
    }
    return acc & ~placed;
}

static PyObject *
count(PyObject *self, PyObject *args)
{
    PyObject *text;
    unsigned int bits;
    const uint32_t *table;
    if (text_table_bits(args, "OOI:count", &text, &table, &bits) < 0)
        return NULL;
    TEXT_VIEW(text);
    Py_ssize_t found = 0;
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++)
            found += (table[s[i]] & bits) != 0;
    })
    return PyLong_FromSsize_t(found);
}

/* Inside LOOP_KINDS, at the mark s[i]: counts it in `found` where it is
   matched, with the Han character before it (free since `free_at`) or, a
   comma, with the one after it. */
#define MARK_AFTER_HAN(i, found, free_at)                                    \
    do {                                                                     \
        if ((i) - 1 >= (free_at) && (table[s[(i) - 1]] & han)) {             \
            (found)++;                                                       \
            (free_at) = (i) + 1;                                             \
        }                                                                    \
        else if (s[(i)] == ',' && (i) + 1 < n && (table[s[(i) + 1]] & han)) { \
            (found)++;                                                       \
            (free_at) = (i) + 2;                                             \
        }                                                                    \
    } while (0)

/* marks_after_han(text, table, half, han): how many matches the regex
   [HAN][,;:!?]|,[HAN] has in text (findall: left to right, no overlaps),
   the marks being the characters with `half` and Han those with `han`.
   Every match holds one mark: a mark is matched with the Han character
   before it where the previous match left that character free, else (a
   comma) with the Han character after it. */
static Py_ssize_t
count_marks_after_han(PyObject *text, const uint32_t *table, unsigned int half, unsigned int han)
{
    TEXT_VIEW(text);
    Py_ssize_t found = 0, free_at = 0;
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++) {
            if (table[s[i]] & half)
                MARK_AFTER_HAN(i, found, free_at);
        }
    })
    return found;
}

/* What page()'s `taiwan` counts of a page, in one pass: its characters
   with `simplified` into c[0], with `full` into c[1], and (`half` not 0)
   count_marks_after_han(text, table, half, han) into c[2]. */
static void
taiwan_counts(PyObject *text, const uint32_t *table, unsigned int simplified, unsigned int full, unsigned int half,
              unsigned int han, Py_ssize_t *c)
{
    TEXT_VIEW(text);
    Py_ssize_t simplified_found = 0, full_found = 0, found = 0, free_at = 0;
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++) {
            const unsigned int v = table[s[i]];
            simplified_found += (v & simplified) != 0;
            full_found += (v & full) != 0;
            if (v & half)
                MARK_AFTER_HAN(i, found, free_at);
        }
    })
    c[0] = simplified_found, c[1] = full_found, c[2] = found;
}

static PyObject *
marks_after_han(PyObject *self, PyObject *args)
{
    PyObject *text, *tobj;
    unsigned int half, han;
    const uint32_t *table;
    if (!PyArg_ParseTuple(args, "OOII:marks_after_han", &text, &tobj, &half, &han))
        return NULL;
    if (ready(text) < 0 || get_table(tobj, &table) < 0)
        return NULL;
    return PyLong_FromSsize_t(count_marks_after_han(text, table, half, han));
}

/* The masks of a tuple of at most `most` ints into m[]; -1 on error. */
static int
get_masks(PyObject *masks, unsigned int *m, Py_ssize_t most)
{
    Py_ssize_t nm = PyTuple_GET_SIZE(masks);
    if (nm > most) {
        PyErr_Format(PyExc_ValueError, "at most %zd masks", most);
        return -1;
    }
    for (Py_ssize_t k = 0; k < nm; k++) {
        unsigned long v = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(masks, k));
        if (v == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        if (v > 0xFFFFFFFFUL) {
            PyErr_SetString(PyExc_ValueError, "masks are 32 bits");
            return -1;
        }
        m[k] = (unsigned int)v;
    }
    return 0;
}

/* A tuple of the first nm counts; NULL on error. */
static PyObject *
count_tuple(const Py_ssize_t *c, Py_ssize_t nm)
{
    PyObject *out = PyTuple_New(nm);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < nm; k++) {
        PyObject *v = PyLong_FromSsize_t(c[k]);
        if (v == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, k, v);
    }
    return out;
}

/* Does any ASCII character of `table` have any of `bits`? */
static int
ascii_has(const uint32_t *table, unsigned int bits)
{
    for (int k = 0; k < 0x80; k++)
        if (table[k] & bits)
            return 1;
    return 0;
}

/* 0x80 where a text of n characters may step over its ASCII ones when
   counting the classes `any` (none of them has an ASCII character: Chinese,
   kana, traditional-only...), as most characters of a page of code and
   prose are; else 0 (asked of a text of 256 characters or more: the
   question reads up to 128 entries of the table) */
static inline Py_UCS4
ascii_skip(const uint32_t *table, Py_ssize_t n, unsigned int any)
{
    return (n < 256 || ascii_has(table, any)) ? 0 : 0x80;
}

/* count_eight's and count_walk's tallies: slots for this many distinct
   combinations of classes (a power of two: a hash's top bits pick the slot) */
#define TALLY_SLOTS 16
#define TALLY_BITS 4

/* count_walk's tally of the combinations of classes met, as count_eight
   keeps its own (see there), but for the next slot tried where another
   holds the hash's: on a page of kana, kana and Han share one, and every
   Han character would go to the counts at once.  (count_eight keeps its
   own: on Chinese text this costs it more than it saves.) */
typedef struct {
    unsigned int key[TALLY_SLOTS];
    Py_ssize_t tally[TALLY_SLOTS];
    Py_ssize_t c[8];
} tally8;

/* tally_add's way past the two slots it looks at: the first free slot or
   v's own from slot h on (a combination first met, or a third sharing
   h); past TALLY_SLOTS combinations, the counts themselves. */
static void
tally_slow(tally8 *t, const unsigned int *m, unsigned int v, Py_ssize_t count, unsigned int h)
{
    for (int probe = 0; probe < TALLY_SLOTS; probe++, h = (h + 1) & (TALLY_SLOTS - 1)) {
        if (t->key[h] == v) {
            t->tally[h] += count;
            return;
        }
        if (!t->key[h]) {
            t->key[h] = v;
            t->tally[h] = count;
            return;
        }
    }
    for (int k = 0; k < 8; k++)
        if (v & m[k])
            t->c[k] += count;
}

/* `count` characters whose classes, of those counted, are v (not 0): in
   the slot of v's hash, or the next (a page's commonest two combinations,
   kana and Han, share a hash's slot). */
static inline void
tally_add(tally8 *t, const unsigned int *m, unsigned int v, Py_ssize_t count)
{
    const unsigned int h = ((uint32_t)(v * 2654435761u) >> (32 - TALLY_BITS)) & (TALLY_SLOTS - 1);
    if (t->key[h] == v) {
        t->tally[h] += count;
        return;
    }
    const unsigned int h2 = (h + 1) & (TALLY_SLOTS - 1);
    if (t->key[h2] == v) {
        t->tally[h2] += count;
        return;
    }
    tally_slow(t, m, v, count, h);
}

/* The next character's classes, of those counted, u (0: none), into the
   tally: a stretch of characters of the same classes (kana, say) is one
   addition (*same: how many are waiting of *last). */
#define TALLY_NEXT(t, m, u, last, same)                                      \
    do {                                                                     \
        if ((u) == (last)) {                                                 \
            (same)++;                                                        \
        } else {                                                             \
            if (last)                                                        \
                tally_add((t), (m), (last), (same));                         \
            (last) = (u);                                                    \
            (same) = 1;                                                      \
        }                                                                    \
    } while (0)

/* The counts of the tally into c[0..7]. */
static void
tally_end(const tally8 *t, const unsigned int *m, Py_ssize_t *c)
{
    for (int k = 0; k < 8; k++)
        c[k] = t->c[k];
    for (int h = 0; h < TALLY_SLOTS; h++)
        if (t->key[h])
            for (int k = 0; k < 8; k++)
                if (t->key[h] & m[k])
                    c[k] += t->tally[h];
}

/* c[k]: how many characters of the (ready) str `text` have any of m[k],
   for eight masks (the unused ones 0) in one pass: a text is read once
   where callers share one count of many classes (counts(), page()). */
static void
count_eight(PyObject *text, const uint32_t *table, const unsigned int *m, Py_ssize_t *c)
{
    TEXT_VIEW(text);
    const unsigned int any = m[0] | m[1] | m[2] | m[3] | m[4] | m[5] | m[6] | m[7];
    const Py_UCS4 least = ascii_skip(table, n, any);
    Py_ssize_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
    /* A page's characters fall in few combinations of the classes counted
       (kana; Han and traditional; ...): each combination is tallied in a
       slot of its own (found by a hash of it; 0, which adds to no count,
       marks a free slot), and its tally added to the counts its classes
       name once, at the end.  A combination whose slot another holds is
       added to the counts at once. */
    unsigned int key[TALLY_SLOTS] = {0};
    Py_ssize_t tally[TALLY_SLOTS] = {0};
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++) {
            if (s[i] < least)
                continue;
            const unsigned int v = table[s[i]] & any;
            if (!v)
                continue;
            const unsigned int h = ((uint32_t)(v * 2654435761u) >> (32 - TALLY_BITS)) & (TALLY_SLOTS - 1);
            if (key[h] == v) {
                tally[h]++;
            } else if (!key[h]) {
                key[h] = v;
                tally[h] = 1;
            } else {
                c0 += (v & m[0]) != 0;
                c1 += (v & m[1]) != 0;
                c2 += (v & m[2]) != 0;
                c3 += (v & m[3]) != 0;
                c4 += (v & m[4]) != 0;
                c5 += (v & m[5]) != 0;
                c6 += (v & m[6]) != 0;
                c7 += (v & m[7]) != 0;
            }
        }
    })
    c[0] = c0, c[1] = c1, c[2] = c2, c[3] = c3, c[4] = c4, c[5] = c5, c[6] = c6, c[7] = c7;
    for (int h = 0; h < TALLY_SLOTS; h++)
        if (key[h])
            for (int k = 0; k < 8; k++)
                if (key[h] & m[k])
                    c[k] += tally[h];
}

/* Is a run of classes m (OR-ed) left out by one of the (need, reject)
   pairs[2k], pairs[2k + 1]?  (walk_runs' test) */
static inline int
settled_by(unsigned int m, const uint32_t *pairs, Py_ssize_t npairs)
{
    for (Py_ssize_t k = 0; k < npairs; k++)
        if ((m & pairs[2 * k]) == pairs[2 * k] && !(m & pairs[2 * k + 1]))
            return 1;
    return 0;
}

/* The classes the pairs read (their needs and rejects, OR-ed): a run's
   answer depends on these alone. */
static inline unsigned int
read_by(const uint32_t *pairs, Py_ssize_t npairs)
{
    unsigned int read = 0;
    for (Py_ssize_t k = 0; k < 2 * npairs; k++)
        read |= pairs[k];
    return read;
}

/* An ASCII character that joins the non-ASCII ones on either side of it in
   a run (walk_runs' and count_walk's: mojibake.SPAN_RE's [\x40-\x7e]) */
#define TAKEN_AT(c) ((c) >= 0x40 && (c) <= 0x7e)

/* The combinations of a run's classes remembered with their answer
   (walk_runs) or asked at the end (count_walk) */
#define RUN_KEYS 8

/* Does an ASCII character have any of `bits` in `table`?  Asked of the
   table page() was last given (held, so that its address names it) and
   remembered: the question reads 128 entries, more than a short page's
   characters. */
static PyObject *ascii_table;
static unsigned int ascii_bits, ascii_answer;

static int
ascii_has_cached(PyObject *table_obj, const uint32_t *table, unsigned int bits)
{
    if (table_obj != ascii_table || bits != ascii_bits) {
        const unsigned int answer = ascii_has(table, bits);
        PyObject *dropped = ascii_table;
        Py_INCREF(table_obj);
        ascii_table = table_obj;
        ascii_bits = bits;
        ascii_answer = answer;
        /* (dropped last: a table's finalizer may call page() again) */
        Py_XDECREF(dropped);
        return answer;
    }
    return ascii_answer;
}

/* count_eight(text, table, m, c) and, in the same pass, walk_runs(text,
   table, bits, min_len, pairs, npairs, NULL) for two sets of pairs, a and
   b, into *left_a and *left_b: page()'s counts and its question of runs,
   whose pairs its counts choose (a page of kana), read in one pass.  Only
   for a table where no ASCII character has any of m nor `bits`: the ASCII
   characters are stepped over unread, but for one of @-~ between two
   non-ASCII ones, which joins them in a run as walk_runs walks it (a run:
   non-ASCII characters, those stretches joined by single such ASCII ones;
   asked of where it holds a character with `bits`). */
static void
count_walk(PyObject *text, const uint32_t *table, const unsigned int *m, Py_ssize_t *c, unsigned int bits,
           Py_ssize_t min_len, const uint32_t *pairs_a, Py_ssize_t n_a, const uint32_t *pairs_b, Py_ssize_t n_b,
           int *left_a, int *left_b)
{
    TEXT_VIEW(text);
    const unsigned int any = m[0] | m[1] | m[2] | m[3] | m[4] | m[5] | m[6] | m[7];
    tally8 t = {{0}, {0}, {0}};
    int la = 0, lb = 0;
    unsigned int last = 0;  /* (TALLY_NEXT's) */
    Py_ssize_t same = 0;
    /* the runs' classes the pairs read, each combination asked once, at the
       end (a page's runs have few) */
    const unsigned int read = read_by(pairs_a, n_a) | read_by(pairs_b, n_b);
    unsigned int keys[RUN_KEYS];
    int nkeys = 0;
    LOOP_KINDS({
        Py_ssize_t i = 0;
        while (i < n) {
            SKIP_ASCII(i, n);
            if (i >= n)
                break;
            const Py_ssize_t start = i;
            unsigned int rm = 0;  /* the run's classes, OR-ed */
            for (;;) {
                for (; i < n && s[i] >= 0x80; i++) {
                    const unsigned int v = table[s[i]];
                    rm |= v;
                    TALLY_NEXT(&t, m, v & any, last, same);
                }
                if (i + 1 < n && TAKEN_AT(s[i]) && s[i + 1] >= 0x80) {
                    rm |= table[s[i]];
                    i++;
                    continue;
                }
                break;
            }
            if ((rm & bits) && i - start >= min_len) {
                const unsigned int key = rm & read;
                int k = 0;
                while (k < nkeys && keys[k] != key)
                    k++;
                if (k == nkeys) {
                    if (nkeys < RUN_KEYS) {
                        keys[nkeys++] = key;
                    } else {
                        la |= !settled_by(key, pairs_a, n_a);
                        lb |= !settled_by(key, pairs_b, n_b);
                    }
                }
            }
        }
    })
    if (last)
        tally_add(&t, m, last, same);
    tally_end(&t, m, c);
    for (int k = 0; k < nkeys; k++) {
        la |= !settled_by(keys[k], pairs_a, n_a);
        lb |= !settled_by(keys[k], pairs_b, n_b);
    }
    *left_a = la;
    *left_b = lb;
}

/* counts(text, table, masks): count() for up to 8 masks in one pass. */
static PyObject *
counts(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    const uint32_t *table;
    if (fc_nargs("counts", nargs, 3, 3) < 0 || fc_tuple(args[2], "counts") < 0)
        return NULL;
    PyObject *text = args[0], *masks = args[2];
    if (ready(text) < 0 || get_table(args[1], &table) < 0)
        return NULL;
    Py_ssize_t nm = PyTuple_GET_SIZE(masks);
    unsigned int m[8] = {0};
    if (get_masks(masks, m, 8) < 0)
        return NULL;
    /* (count_eight for one mask too: its tally of the few combinations of
       classes a page holds is faster than a count per mask and character) */
    Py_ssize_t all[8];
    count_eight(text, table, m, all);
    return count_tuple(all, nm);
}

/* Append offset i to the list `out`; -1 on error. */
static int
append_index(PyObject *out, Py_ssize_t i)
{
    PyObject *v = PyLong_FromSsize_t(i);
    if (v == NULL)
        return -1;
    int rc = PyList_Append(out, v);
    Py_DECREF(v);
    return rc;
}

#define PAIR_EMPTY UINT64_C(0xFFFFFFFFFFFFFFFF)
#define PAIR_KEY_MASK ((UINT64_C(1) << 42) - 1)

typedef struct {
    const uint64_t *slots;
    const uint8_t *filter;
    uint64_t mask;
    int shift;
} pairtable;

/* The hash table of pairs in a bytes object; -1 (and an exception) if it is not one. */
static int
get_pairs(PyObject *obj, pairtable *t)
{
    /* slots * 8 bytes, then slots / 2 bytes of filter */
    Py_ssize_t total = PyBytes_Check(obj) ? PyBytes_GET_SIZE(obj) : 0;
    Py_ssize_t size = total * 2 / 17;
    if (size < 8 || (size & (size - 1)) || size * 17 != total * 2) {
        PyErr_SetString(PyExc_ValueError, "pairs must be a table from zhfix.scan.pair_table");
        return -1;
    }
    int bits = 0;
    while ((Py_ssize_t)1 << bits < size)
        bits++;
    t->slots = (const uint64_t *)PyBytes_AS_STRING(obj);
    t->filter = (const uint8_t *)(t->slots + size);
    t->mask = (uint64_t)size - 1;
    t->shift = 64 - bits;
    return 0;
}

/* The number of the pair (a, b), or -1 when it is not in the table. */
static Py_ssize_t
find_pair(const pairtable *t, Py_UCS4 a, Py_UCS4 b)
{
    uint64_t key = ((uint64_t)a << 21) | (uint64_t)b;
    uint64_t product = key * UINT64_C(0x9E3779B97F4A7C15);
    uint64_t f = product >> (t->shift - 2);
    if (!(t->filter[f >> 3] & (1u << (f & 7))))
        return -1;
    uint64_t h = product >> t->shift;
    for (uint64_t probe = 0; probe <= t->mask; probe++, h = (h + 1) & t->mask) {
        uint64_t slot = t->slots[h];
        if (slot == PAIR_EMPTY)
            return -1;
        if ((slot & PAIR_KEY_MASK) == key)
            return (Py_ssize_t)(slot >> 42);
    }
    return -1;
}

static PyObject *
positions(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned int bits, before = 0, after = 0;
    const uint32_t *table;
    if (fc_nargs("positions", nargs, 3, 5) < 0 || fc_uint(args[2], &bits) < 0
        || (nargs > 3 && fc_uint(args[3], &before) < 0) || (nargs > 4 && fc_uint(args[4], &after) < 0))
        return NULL;
    PyObject *text = args[0];
    if (ready(text) < 0 || get_table(args[1], &table) < 0)
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    TEXT_VIEW(text);
    for (Py_ssize_t i = next_position(table, kind, data, n, 0, bits, before, after); i >= 0;
         i = next_position(table, kind, data, n, i + 1, bits, before, after)) {
        if (append_index(out, i) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *
select_chars(PyObject *self, PyObject *args)
{
    PyObject *text;
    unsigned int bits;
    const uint32_t *table;
    if (text_table_bits(args, "OOI:select", &text, &table, &bits) < 0)
        return NULL;
    TEXT_VIEW(text);
    Py_ssize_t kept = 0;
    Py_UCS4 *buf = PyMem_New(Py_UCS4, n ? n : 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++) {
            if (table[s[i]] & bits)
                buf[kept++] = s[i];
        }
    })
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, kept);
    PyMem_Free(buf);
    return out;
}

/* runs_holding(text, table, bits, need): the longest runs of characters
   with any of `bits` that hold a character with any of `need`, in order,
   joined by "\n" (zhfix.stages.diagnose's runs of Han characters with a
   traditional-only one, where a converter's leftovers are looked for). */
static PyObject *
runs_holding(PyObject *self, PyObject *args)
{
    PyObject *text, *tobj;
    unsigned int bits, need;
    const uint32_t *table;
    if (!PyArg_ParseTuple(args, "OOII:runs_holding", &text, &tobj, &bits, &need))
        return NULL;
    if (ready(text) < 0 || get_table(tobj, &table) < 0)
        return NULL;
    TEXT_VIEW(text);
    /* (each run kept but the first after a "\n" that takes the place of the
       character, at least one, that ended the run before it) */
    Py_UCS4 *buf = PyMem_New(Py_UCS4, n ? n : 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t kept = 0;
    LOOP_KINDS({
        Py_ssize_t i = 0;
        while (i < n) {
            if (!(table[s[i]] & bits)) {
                i++;
                continue;
            }
            Py_ssize_t start = i;
            uint32_t any = 0;
            for (; i < n && (table[s[i]] & bits); i++)
                any |= table[s[i]];
            if (!(any & need))
                continue;
            if (kept)
                buf[kept++] = '\n';
            for (Py_ssize_t j = start; j < i; j++)
                buf[kept++] = s[j];
        }
    })
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, kept);
    PyMem_Free(buf);
    return out;
}

static int
ascii_alnum(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Does the halfwidth mark c sit in Chinese (zhfix.punct's rules), with
   Chinese before it or not (cn_prev), after it (cn_next), and between two
   ASCII letters or digits or not (alnum_around)? */
static int
mark_in_chinese(Py_UCS4 c, int cn_prev, int cn_next, int alnum_around)
{
    if (c == ',')
        return (cn_prev || cn_next) && !alnum_around;
    if (c == ';')
        return cn_prev || cn_next;
    if (c == ':' || c == '!' || c == '?')
        return cn_prev;
    return 0;
}

/* A growing array of offsets. */
struct offsets {
    Py_ssize_t *v, n, cap;
};

static int
offsets_push(struct offsets *o, Py_ssize_t i)
{
    if (o->n == o->cap) {
        Py_ssize_t cap = o->cap ? 2 * o->cap : 64;
        Py_ssize_t *grown = PyMem_Realloc(o->v, sizeof(Py_ssize_t) * (size_t)cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        o->v = grown;
        o->cap = cap;
    }
    o->v[o->n++] = i;
    return 0;
}

/* The offsets punct_places() gives, in `o`; -1 on error. */
static int
find_places(PyObject *text, const uint32_t *table, unsigned int half, unsigned int chinese, unsigned int han,
            struct offsets *o)
{
    TEXT_VIEW(text);
    int failed = 0;
    LOOP_KINDS({
        Py_ssize_t close = -1; /* the ")" of the pair kept last */
        for (Py_ssize_t i = 0; i < n && !failed; i++) {
            Py_UCS4 c = s[i];
            if (i == close) {
                failed = offsets_push(o, i) < 0;
                continue;
            }
            if (c == '(') {
                /* (no "(" between a pair's: the next pair starts after its ")") */
                Py_ssize_t j = i + 1, stop = n - i > 81 ? i + 82 : n;
                while (j < stop && s[j] != '(' && s[j] != ')' && s[j] != '\n')
                    j++;
                if (j < stop && s[j] == ')' && j >= i + 2) {
                    int cn = (i > 0 && (table[s[i - 1]] & han)) || (j + 1 < n && (table[s[j + 1]] & han));
                    for (Py_ssize_t k = i + 1; k < j && !cn; k++)
                        cn = (table[s[k]] & han) != 0;
                    if (cn) {
                        failed = offsets_push(o, i) < 0;
                        close = j;
                    }
                }
                continue;
            }
            if (!(table[c] & half))
                continue;
            if (mark_in_chinese(c, i > 0 && (table[s[i - 1]] & chinese), i + 1 < n && (table[s[i + 1]] & chinese),
                                i > 0 && i + 1 < n && ascii_alnum(s[i - 1]) && ascii_alnum(s[i + 1])))
                failed = offsets_push(o, i) < 0;
        }
    })
    return failed ? -1 : 0;
}

/* punct_places(text, table, half, chinese, han): the offsets of the
   halfwidth marks that sit in Chinese (zhfix.stages.punct's rules: a comma
   with Chinese on either side, not between two ASCII letters or digits; a
   semicolon likewise; a colon, an exclamation or a question mark after
   Chinese), and those of the parentheses zhfix.punct restores, all in the
   order of the text.  A pair is each match of re.finditer(r"\(([^()\n]{1,80})\)"):
   an ASCII "(" whose first "(", ")" or line break after it, 1 to 80
   characters on, is a ")", kept when a character between them, before the
   "(" or after the ")" has `han`. */
static PyObject *
punct_places(PyObject *self, PyObject *args)
{
    PyObject *text, *tobj;
    unsigned int half, chinese, han;
    const uint32_t *table;
    if (!PyArg_ParseTuple(args, "OOIII:punct_places", &text, &tobj, &half, &chinese, &han))
        return NULL;
    if (ready(text) < 0 || get_table(tobj, &table) < 0)
        return NULL;
    struct offsets o = {NULL, 0, 0};
    PyObject *out = NULL;
    if (find_places(text, table, half, chinese, han, &o) == 0 && (out = PyList_New(o.n)) != NULL) {
        for (Py_ssize_t k = 0; k < o.n; k++) {
            PyObject *v = PyLong_FromSsize_t(o.v[k]);
            if (v == NULL) {
                Py_CLEAR(out);
                break;
            }
            PyList_SET_ITEM(out, k, v);
        }
    }
    PyMem_Free(o.v);
    return out;
}

/* enclosed's stretches met in a call, by a hash of their characters (the
   string and what it was found to be; references held until the call ends). */
#define RECENT 64
struct recent {
    uint64_t hash;
    PyObject *piece, *value;
};

static void
forget_recent(struct recent *r)
{
    for (int k = 0; k < RECENT; k++) {
        Py_CLEAR(r[k].piece);
        Py_CLEAR(r[k].value);
    }
}

/* Are the characters of the str `piece` those of data[start:end] (of `kind`)? */
static int
same_chars(PyObject *piece, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    if (PyUnicode_GET_LENGTH(piece) != end - start)
        return 0;
    int pkind = PyUnicode_KIND(piece);
    const void *pdata = PyUnicode_DATA(piece);
    for (Py_ssize_t k = 0; k < end - start; k++)
        if (PyUnicode_READ(pkind, pdata, k) != PyUnicode_READ(kind, data, start + k))
            return 0;
    return 1;
}

/* enclosed(text, starts, close, limit, known[, missing, table, bits, before,
   after, first]): for each offset i >= 1 of the list `starts` (None: each
   offset from `first` on that positions(text, table, bits, before, after)
   gives, found as the loop goes) where a character of the str `close`
   follows less than `limit` characters after it (at j, the first), (i - 1,
   v): v is known[text[i-1:j+1]] where the dict `known` has that string,
   else the string itself.  With the list `missing`: the pairs whose v is
   None are left out, and the strings `known` lacks are appended to it too,
   the same object as in their pair (the caller learns them and puts what
   it learnt in their pairs, with no second pass). */
static PyObject *
enclosed(PyObject *self, PyObject *args)
{
    PyObject *text, *starts, *close, *known, *missing = Py_None, *tobj = Py_None;
    Py_ssize_t limit, first = 0;
    unsigned int bits = 0, before = 0, after = 0;
    const uint32_t *table = NULL;
    if (!PyArg_ParseTuple(args, "OOOnO!|OOIIIn:enclosed", &text, &starts, &close, &limit, &PyDict_Type, &known,
                          &missing, &tobj, &bits, &before, &after, &first))
        return NULL;
    if (missing != Py_None && !PyList_Check(missing)) {
        PyErr_SetString(PyExc_TypeError, "missing must be a list or None");
        return NULL;
    }
    if (ready(text) < 0 || ready(close) < 0)
        return NULL;
    /* the starts: a list, or (None) the offsets positions(text, table, bits,
       before, after) gives, found here as the loop goes */
    if (starts == Py_None) {
        if (tobj == Py_None || get_table(tobj, &table) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "starts None needs a table");
            return NULL;
        }
    } else if (!PyList_Check(starts)) {
        PyErr_SetString(PyExc_TypeError, "starts must be a list or None");
        return NULL;
    }
    TEXT_VIEW(text);
    Py_ssize_t nc = PyUnicode_GET_LENGTH(close);
    int ckind = PyUnicode_KIND(close);
    const void *cdata = PyUnicode_DATA(close);
    struct recent recent[RECENT] = {{0}};
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t k = 0, next = first > 0 ? first : 0;; k++) {
        Py_ssize_t i;
        if (table != NULL) {
            i = next_position(table, kind, data, n, next, bits, before, after);
            if (i < 0)
                break;
            next = i + 1;
        } else {
            if (k >= PyList_GET_SIZE(starts))
                break;
            i = PyLong_AsSsize_t(PyList_GET_ITEM(starts, k));
            if (i == -1 && PyErr_Occurred())
                goto fail;
        }
        if (i < 1 || i >= n)
            continue;
        Py_ssize_t found = -1, stop = limit < n - i ? i + limit : n;
        for (Py_ssize_t j = i + 1; j < stop && found < 0; j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            for (Py_ssize_t m = 0; m < nc; m++) {
                if (PyUnicode_READ(ckind, cdata, m) == c) {
                    found = j;
                    break;
                }
            }
        }
        if (found < 0)
            continue;
        /* the stretch text[i-1 .. found]: one met a moment ago (the same
           characters in its slot of `recent`) is not cut out and looked up
           again; else it is, and takes the slot */
        uint64_t h = UINT64_C(14695981039346656037);
        for (Py_ssize_t j = i - 1; j <= found; j++)
            h = (h ^ PyUnicode_READ(kind, data, j)) * UINT64_C(1099511628211);
        struct recent *slot = &recent[h & (RECENT - 1)];
        PyObject *piece, *value;
        if (slot->piece != NULL && slot->hash == h && same_chars(slot->piece, kind, data, i - 1, found + 1)) {
            piece = slot->piece;
            value = slot->value;
            Py_INCREF(piece);
            Py_XINCREF(value);
        } else {
            piece = PyUnicode_Substring(text, i - 1, found + 1);
            if (piece == NULL)
                goto fail;
            value = PyDict_GetItemWithError(known, piece);
            if (value == NULL && PyErr_Occurred()) {
                Py_DECREF(piece);
                goto fail;
            }
            Py_XINCREF(value); /* (held until the pair holds it: a collection may run Python code) */
            Py_XSETREF(slot->piece, (Py_INCREF(piece), piece));
            Py_XINCREF(value);
            Py_XSETREF(slot->value, value);
            slot->hash = h;
        }
        if (missing != Py_None && value == Py_None) {
            /* with `missing`: a stretch `known` says is None is left out */
            Py_DECREF(value);
            Py_DECREF(piece);
            continue;
        }
        if (missing != Py_None && value == NULL && PyList_Append(missing, piece) < 0) {
            /* (and one it lacks listed there, and kept in its pair below) */
            Py_DECREF(piece);
            goto fail;
        }
        PyObject *v = value != NULL ? value : (Py_INCREF(piece), piece), *where = PyLong_FromSsize_t(i - 1);
        PyObject *item = where == NULL ? NULL : PyTuple_New(2);
        if (item != NULL) {
            PyTuple_SET_ITEM(item, 0, where);
            PyTuple_SET_ITEM(item, 1, v); /* (the reference held above, now the pair's) */
            untrack_atomic(item);
        } else {
            Py_XDECREF(where);
            Py_DECREF(v);
        }
        Py_DECREF(piece);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_DECREF(item);
    }
    forget_recent(recent);
    return out;
fail:
    forget_recent(recent);
    Py_DECREF(out);
    return NULL;
}

/* A flat tuple (need, reject, need, reject...) of at most 16 pairs into
   pairs[] and their number; -1 on error. */
static int
get_pair_masks(PyObject *settled, unsigned int *pairs, Py_ssize_t *npairs)
{
    if (PyTuple_GET_SIZE(settled) % 2) {
        PyErr_SetString(PyExc_ValueError, "settled must be pairs (need, reject), flat");
        return -1;
    }
    if (get_masks(settled, pairs, 32) < 0)
        return -1;
    *npairs = PyTuple_GET_SIZE(settled) / 2;
    return 0;
}

/* The runs around the characters of `text` with `bits` (runs() says what
   a run is), of at least `min_len` characters and not settled by the
   (need, reject) pairs[2k], pairs[2k + 1]: appended to the list `out` as
   (start, end); with `out` NULL, only whether there is one (1, at the first
   found: page()'s question).  0 when there is none, -1 on error. */
static int
walk_runs(PyObject *text, const uint32_t *table, unsigned int bits, Py_ssize_t min_len, const uint32_t *pairs,
          Py_ssize_t npairs, PyObject *out)
{
    TEXT_VIEW(text);
    Py_ssize_t end = 0;
    int found = 0, nkeys = 0;
    const unsigned int read = read_by(pairs, npairs);
    unsigned int keys[RUN_KEYS];
    char answers[RUN_KEYS];
    LOOP_KINDS({
        for (Py_ssize_t p = 0; p < n; p++) {
            SKIP_WITHOUT(p, n, bits);
            if (!(table[s[p]] & bits))
                continue;
            /* the run's classes gathered as it is walked (for the pairs) */
            Py_ssize_t start = p;
            unsigned int m = 0;
            while (start > 0) {
                Py_UCS4 c = s[start - 1];
                if (c >= 0x80) {
                    start -= 1;
                    m |= table[c];
                } else if (TAKEN_AT(c) && start > 1 && s[start - 2] >= 0x80) {
                    start -= 2;
                    m |= table[c] | table[s[start]];
                } else
                    break;
            }
            Py_ssize_t j = p;
            while (j < n && (s[j] >= 0x80 || (TAKEN_AT(s[j]) && j + 1 < n && s[j + 1] >= 0x80)))
                m |= table[s[j++]];
            end = j;
            if (end > p)
                p = end - 1; /* the run's other characters are in it: not visited again */
            if (end - start < min_len)
                continue;
            /* the pairs' answer for the classes they read, asked once for each
               combination of them (a page's runs have few: words of Korean) */
            const unsigned int key = m & read;
            int k = 0, left_out;
            while (k < nkeys && keys[k] != key)
                k++;
            if (k < nkeys) {
                left_out = answers[k];
            } else {
                left_out = settled_by(key, pairs, npairs);
                if (nkeys < RUN_KEYS) {
                    keys[nkeys] = key;
                    answers[nkeys++] = (char)left_out;
                }
            }
            if (left_out)
                continue;
            if (out == NULL)
                return 1;
            found = 1;
            PyObject *span = Py_BuildValue("(nn)", start, end);
            if (span == NULL || PyList_Append(out, span) < 0) {
                Py_XDECREF(span);
                return -1;
            }
            Py_DECREF(span);
        }
    })
    return found;
}

/* The fields of page()'s `facts`, a bytes object of native uint64s
   (zhfix.loops.scan.PAGE_FIELDS, in this order: a fact's bit may lie above
   bit 31), then the (need, reject) pairs of `plain` and of `on_kana`, as
   uint32s (class bits, as walk_runs reads them). */
enum {
    F_PLACED, F_BEFORE, F_AFTER, F_WITHIN, F_HEADLESS, F_MIN_BODY,
    F_UNUSUAL, F_KANA_HANGUL, F_HAN, F_MISREAD, F_KANA_LEAST, F_KANA_RATIO, F_MIN_LEN, F_UP_TO, F_RUNS_CALM,
    F_TRADITIONAL, F_KANA, F_SIMPLIFIED, F_JAPANESE_LEAST, F_JAPANESE_RATIO, F_SIMPLIFIED_LEAST,
    F_JAPANESE,
    F_FULL, F_HALF, F_FORM, F_SIMPLIFIED_MOST, F_HALF_PER_FULL, F_TAIWAN,
    F_LIMIT, F_OPEN, F_CLOSE, F_CLOSE_WIDE, F_INSIDE, F_QUOTE, F_QUOTE_CURLY, F_DIGIT_LOW, F_DIGIT_HIGH, F_NO_ANNOTATION,
    F_QUESTION, F_QUESTION_AFTER, F_QUESTIONS_APART,
    F_UNCALM, F_LINE_SIMPLIFIED, F_ANNOTATION, F_SCRIPTS, F_UNCALM_RUN,
    F_N_PLAIN, F_N_ON_KANA, F_FIELDS
};

/* The most different simplified-only characters line_may_open tells apart
   in a line (a larger `least` is taken as this: it answers yes sooner). */
#define LINE_DISTINCT 16

/* Does a line of the (ready) str `text` open as convert.first_characters
   looks for: after blanks at its start (space, tab, U+3000) a `traditional`
   character, a `han` one after it, and in the rest of the line (to its line
   feed) no `traditional` one and `least` different `simplified` ones at the
   least?  Where none does, first_characters finds nothing to edit (it asks
   more of a line: white space before its first character, a converter's
   form). */
static int
line_may_open(PyObject *text, const uint32_t *table, unsigned int traditional, unsigned int han,
              unsigned int simplified, Py_ssize_t least)
{
    TEXT_VIEW(text);
    const Py_ssize_t want = least < LINE_DISTINCT ? least : LINE_DISTINCT;
    LOOP_KINDS({
        Py_ssize_t i = 0;
        while (i < n) {
            /* i: the start of a line */
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == 0x3000))
                i++;
            if (i + 1 < n && s[i] >= 0x80 && (table[s[i]] & traditional) && (table[s[i + 1]] & han)) {
                Py_UCS4 seen[LINE_DISTINCT];
                Py_ssize_t nseen = 0;
                int clean = 1;
                for (i++; i < n && s[i] != '\n'; i++) {
                    const unsigned int v = table[s[i]];
                    if (v & traditional) {
                        clean = 0;
                        break;
                    }
                    if ((v & simplified) && nseen < want) {
                        Py_ssize_t k = 0;
                        while (k < nseen && seen[k] != s[i])
                            k++;
                        if (k == nseen)
                            seen[nseen++] = s[i];
                    }
                }
                if (clean && nseen >= want)
                    return 1;
            }
            NEXT_LINE_FEED(i, n);
            i++;
        }
    })
    return 0;
}

/* Do fewer than `least` characters with `han` follow the line break that
   ends the line holding offset i of data (none where no line break
   follows)?  No spam header stands above so little text. */
static int
few_after_line(const uint32_t *table, int kind, const void *data, Py_ssize_t n, Py_ssize_t i, unsigned int han,
               Py_ssize_t least)
{
    while (i < n && PyUnicode_READ(kind, data, i) != '\n')
        i++;
    Py_ssize_t found = 0;
    for (i++; i < n; i++)
        if ((table[PyUnicode_READ(kind, data, i)] & han) && ++found >= least)
            return 0;
    return 1;
}

/* Does a placed character of data (page()'s `facts` f) that is f[F_OPEN]
   open a stretch an annotation may fill: a closing character less than
   f[F_LIMIT] on, with only characters an annotation holds between?  (What
   page()'s `no_annotation` denies.) */
static int
annotation_can_follow(const uint32_t *table, int kind, const void *data, Py_ssize_t n, const uint64_t *f)
{
    Py_ssize_t i = -1;
    while ((i = next_position(table, kind, data, n, i + 1, (unsigned int)f[F_PLACED], (unsigned int)f[F_BEFORE],
                             (unsigned int)f[F_AFTER])) >= 0) {
        if (PyUnicode_READ(kind, data, i) != f[F_OPEN])
            continue;  /* (a fullwidth one: what follows it is never counted nor glued) */
        const Py_ssize_t stop = i + (Py_ssize_t)f[F_LIMIT] < n ? i + (Py_ssize_t)f[F_LIMIT] : n;
        for (Py_ssize_t j = i + 1; j < stop; j++) {
            const Py_UCS4 c = PyUnicode_READ(kind, data, j);
            if (c == f[F_CLOSE] || c == f[F_CLOSE_WIDE])
                return 1;  /* (the first closing character ends the stretch) */
            if (!(table[c] & f[F_INSIDE]) && c != f[F_QUOTE] && c != f[F_QUOTE_CURLY]
                && !(c >= f[F_DIGIT_LOW] && c <= f[F_DIGIT_HIGH]))
                break;  /* a character no annotation holds, before it closes */
        }
    }
    return 0;
}

/* page(text, table, facts): placed_classes(text, table, placed, before,
   after) with what zhfix.runner's fast path asks of a clean page next, as
   bits above the classes where they hold (zhfix.loops.scan.page says
   what each is; `facts` as above):
   - `headless`, asked only of a text with `han` characters: the first
     line that is not blank holds none, or is the text's first line,
     starts with no white space and ends (a line break) within the first
     `within` characters, or (a text of at most `up_to` characters) fewer
     than `min_body` `han` characters follow its line break (none follows:
     a line alone);
   - `runs_calm`, asked only of a text of at most `up_to` characters with
     `unusual` characters, unless it has one of `scripts` alone and none of
     `uncalm_run` (calm by its classes): no run of `unusual` ones
     (walk_runs, of at least `min_len` characters) is left by the pairs
     `on_kana` on a page of kana or Hangul (kana_hangul and han characters,
     no `misread` ones, at least `kana_least` of kana_hangul and kana_ratio
     times as many as han), `plain` elsewhere;
   - `questions_apart`, asked only of a text of at most `up_to` characters
     with `question` and `question_after` characters: no `question` one
     stands right after a `question_after` one (a "?" no lost character
     nor misread span can be: none after Chinese);
   The last three (`japanese`, `taiwan`, `no_annotation`) are not asked of
   a text with any of `uncalm`, nor of one with `question` and
   `question_after` characters unless `questions_apart` holds (what no calm
   page has: zhfix.runner._calm); `japanese` and `taiwan` not of one with
   all of `annotation` unless `no_annotation` holds (nor has that).
   - `japanese`, asked only of a text of at most `up_to` characters with
     `traditional` and `kana` characters: at least `japanese_least` of
     `kana` and japanese_ratio times as many as `traditional`, and fewer
     than `simplified_least` of `simplified` or no line that may open as
     convert.first_characters looks for (line_may_open);
   - `taiwan`, asked only of a text of at most `up_to` characters with
     `traditional` characters and `simplified` or `half` ones, no `form`
     ones, and not found `japanese`: at most `simplified_most` of `simplified`,
     and no more marks with `half` after `han` characters
     (count_marks_after_han) than half_per_full times its `full` ones;
   - `no_annotation`, asked only of a text of at most `up_to` characters
     whose `placed` bit placed_classes kept: no placed character that is
     `open` is followed, less than `limit` characters on, by `close` or
     `close_wide` with only characters an annotation holds between (`inside`
     classes, `quote`, `quote_curly`, digit_low..digit_high): no stretch
     after an ASCII parenthesis can be an annotation (pinyin.CANDIDATE_RE's
     letters, digits, separators); one after a fullwidth parenthesis is
     never the mirror's shape, so never counted nor glued. */
static int get_facts(PyObject *facts, const uint64_t **out);
static int page_facts(PyObject *text, PyObject *table_obj, const uint32_t *table, const uint64_t *f, uint64_t *out);

static PyObject *
page(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    const uint32_t *table;
    const uint64_t *f;
    uint64_t acc;
    if (fc_nargs("page", nargs, 3, 3) < 0)
        return NULL;
    PyObject *text = args[0];
    if (ready(text) < 0 || get_table(args[1], &table) < 0 || get_facts(args[2], &f) < 0
        || page_facts(text, args[1], table, f, &acc) < 0)
        return NULL;
    return PyLong_FromUnsignedLongLong(acc);
}

/* f: the uint64s of page()'s `facts` (a bytes object), checked: 0, or -1
   with an exception set. */
static int
get_facts(PyObject *facts, const uint64_t **out)
{
    if (!PyBytes_Check(facts) || PyBytes_GET_SIZE(facts) < (Py_ssize_t)(F_FIELDS * sizeof(uint64_t))) {
        PyErr_SetString(PyExc_TypeError, "page() facts must be bytes of zhfix.loops.scan.page_facts");
        return -1;
    }
    const uint64_t *f = (const uint64_t *)PyBytes_AS_STRING(facts);
    if (f[F_N_PLAIN] > 16 || f[F_N_ON_KANA] > 16
        || PyBytes_GET_SIZE(facts)
               != (Py_ssize_t)(F_FIELDS * sizeof(uint64_t) + 2 * (f[F_N_PLAIN] + f[F_N_ON_KANA]) * sizeof(uint32_t))) {
        PyErr_SetString(PyExc_ValueError, "page() facts: at most 16 pairs of each, and nothing more");
        return -1;
    }
    *out = f;
    return 0;
}

/* page()'s answer for the (ready) str `text` into *out: 0, or -1 with an
   exception set. */
static int
page_facts(PyObject *text, PyObject *table_obj, const uint32_t *table, const uint64_t *f, uint64_t *out)
{
    const uint32_t *all_pairs = (const uint32_t *)(f + F_FIELDS);
    uint64_t acc = placed_classes(text, table, (unsigned int)f[F_PLACED], (unsigned int)f[F_BEFORE],
                                  (unsigned int)f[F_AFTER]);
    TEXT_VIEW(text);
    /* the first line that is not blank, read until a Han character shows
       where it is no short first line (a page without any: no header's
       phrases, and the fast path asks nothing of its first line) */
    for (Py_ssize_t pos = 0; pos < n && acc & f[F_HAN];) {
        int blank = 1, han = 0;
        int plain_first = pos == 0;  /* the text's first line, starting with no white space */
        Py_ssize_t i = pos;
        for (; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c == '\n')
                break;
            if (blank && !Py_UNICODE_ISSPACE(c)) {
                blank = 0;
                plain_first = plain_first && i == 0;
            }
            if (table[c] & f[F_HAN]) {
                han = 1;
                if (!plain_first || i >= (Py_ssize_t)f[F_WITHIN])
                    break;  /* neither without Han characters nor short: read no further */
            }
        }
        if (!blank) {
            int short_first = plain_first && i < n && i < (Py_ssize_t)f[F_WITHIN] && PyUnicode_READ(kind, data, i) == '\n';
            if (!han || short_first
                || (n <= (Py_ssize_t)f[F_UP_TO]
                    && few_after_line(table, kind, data, n, i, (unsigned int)f[F_HAN], (Py_ssize_t)f[F_MIN_BODY])))
                acc |= f[F_HEADLESS];
            break;
        }
        pos = i + 1;
    }
    /* (a page of one of `scripts` with none of `uncalm_run` is calm by its
       classes: its runs are not walked) */
    const uint64_t scripts = acc & f[F_SCRIPTS];
    const int calm_classes = scripts && !(scripts & (scripts - 1)) && !(acc & f[F_UNCALM_RUN]);
    int runs = acc & f[F_UNUSUAL] && !calm_classes && n <= (Py_ssize_t)f[F_UP_TO];
    int kana_page = runs && acc & f[F_HAN] && acc & f[F_KANA_HANGUL] && !(acc & f[F_MISREAD]);
    /* every `question` character of a short page apart from `question_after` ones */
    const int questions = (acc & f[F_QUESTION]) && (acc & f[F_QUESTION_AFTER]);
    if (questions && n <= (Py_ssize_t)f[F_UP_TO]
        && next_position(table, kind, data, n, 0, (unsigned int)f[F_QUESTION], (unsigned int)f[F_QUESTION_AFTER], 0) < 0)
        acc |= f[F_QUESTIONS_APART];
    /* the facts only a calm page's verdict reads, not asked of a page with
       any of `uncalm`, nor of one with questions not `questions_apart` (no
       such page is calm) */
    const int calm_may = !(acc & f[F_UNCALM]) && (!questions || acc & f[F_QUESTIONS_APART]);
    if (calm_may && acc & f[F_PLACED] && n <= (Py_ssize_t)f[F_UP_TO] && !annotation_can_follow(table, kind, data, n, f))
        acc |= f[F_NO_ANNOTATION];
    /* nor are the counts of traditional characters taken where an annotation
       may follow, on a page with its classes (no such page is calm) */
    const int annotated = (acc & f[F_ANNOTATION]) == f[F_ANNOTATION] && !(acc & f[F_NO_ANNOTATION]);
    int traditional = calm_may && !annotated && acc & f[F_TRADITIONAL] && n <= (Py_ssize_t)f[F_UP_TO];
    int japanese = traditional && acc & f[F_KANA];
    int taiwan = traditional && acc & (f[F_SIMPLIFIED] | f[F_HALF]) && !(acc & f[F_FORM]);
    int walked = 0, left = 0;  /* walked: `left`, whether a run is left, told by the counts' pass */
    if (taiwan && !kana_page && !japanese) {
        /* (no other fact counts: the two counts and the marks, in one pass) */
        Py_ssize_t c[3];
        taiwan_counts(text, table, (unsigned int)f[F_SIMPLIFIED], (unsigned int)f[F_FULL],
                      acc & f[F_HALF] ? (unsigned int)f[F_HALF] : 0, (unsigned int)f[F_HAN], c);
        if (c[0] <= (Py_ssize_t)f[F_SIMPLIFIED_MOST] && c[2] <= (Py_ssize_t)f[F_HALF_PER_FULL] * c[1])
            acc |= f[F_TAIWAN];
    }
    else if (kana_page || japanese || taiwan) {
        /* what the facts count, in one pass */
        const unsigned int m[8] = {(unsigned int)f[F_KANA_HANGUL], (unsigned int)f[F_HAN], (unsigned int)f[F_KANA],
                                   (unsigned int)f[F_TRADITIONAL], (unsigned int)f[F_SIMPLIFIED], (unsigned int)f[F_FULL]};
        Py_ssize_t c[8];
        int left_plain, left_kana;
        if (runs && !ascii_has_cached(table_obj, table, m[0] | m[1] | m[2] | m[3] | m[4] | m[5] | (unsigned int)f[F_UNUSUAL])) {
            /* the runs asked in the same pass, by both pairs (the counts choose) */
            count_walk(text, table, m, c, (unsigned int)f[F_UNUSUAL], (Py_ssize_t)f[F_MIN_LEN], all_pairs,
                       (Py_ssize_t)f[F_N_PLAIN], all_pairs + 2 * f[F_N_PLAIN], (Py_ssize_t)f[F_N_ON_KANA],
                       &left_plain, &left_kana);
            walked = 1;
        } else
            count_eight(text, table, m, c);
        const Py_ssize_t c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5];
        kana_page = kana_page && c0 >= (Py_ssize_t)f[F_KANA_LEAST] && c0 * (Py_ssize_t)f[F_KANA_RATIO] >= c1;
        if (walked)
            left = kana_page ? left_kana : left_plain;
        if (japanese && c2 >= (Py_ssize_t)f[F_JAPANESE_LEAST] && c2 * (Py_ssize_t)f[F_JAPANESE_RATIO] >= c3
            && (c4 < (Py_ssize_t)f[F_SIMPLIFIED_LEAST]
                || !line_may_open(text, table, (unsigned int)f[F_TRADITIONAL], (unsigned int)f[F_HAN],
                                  (unsigned int)f[F_SIMPLIFIED], (Py_ssize_t)f[F_LINE_SIMPLIFIED])))
            acc |= f[F_JAPANESE];
        if (taiwan && !(acc & f[F_JAPANESE]) && c4 <= (Py_ssize_t)f[F_SIMPLIFIED_MOST]
            && (!(acc & f[F_HALF])
                || count_marks_after_han(text, table, (unsigned int)f[F_HALF], (unsigned int)f[F_HAN])
                       <= (Py_ssize_t)f[F_HALF_PER_FULL] * c5))
            acc |= f[F_TAIWAN];
    }
    if (runs) {
        const uint32_t *pairs = all_pairs + (kana_page ? 2 * f[F_N_PLAIN] : 0);
        if (!walked)
            left = walk_runs(text, table, (unsigned int)f[F_UNUSUAL], (Py_ssize_t)f[F_MIN_LEN], pairs,
                             (Py_ssize_t)(kana_page ? f[F_N_ON_KANA] : f[F_N_PLAIN]), NULL);
        if (left < 0)
            return -1;
        if (!left)
            acc |= f[F_RUNS_CALM];
    }
    *out = acc;
    return 0;
}

/* runs(text, table, bits, min_len): [(start, end)] of the runs around the
   characters with `bits`, in order, those of at least `min_len` characters.
   A run is what the regex (?:[^\x00-\x7f]|[\x40-\x7e](?=[^\x00-\x7f]))+
   matches at its widest: non-ASCII characters, and an ASCII one of @-~
   where a non-ASCII one follows it (zhfix.mojibake's spans). */
static PyObject *
runs(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *settled = NULL;
    unsigned int bits;
    Py_ssize_t min_len;
    const uint32_t *table;
    if (fc_nargs("runs", nargs, 4, 5) < 0 || fc_uint(args[2], &bits) < 0 || fc_ssize(args[3], &min_len) < 0
        || (nargs > 4 && fc_tuple(args[4], "runs") < 0))
        return NULL;
    PyObject *text = args[0];
    if (nargs > 4)
        settled = args[4];
    if (ready(text) < 0 || get_table(args[1], &table) < 0)
        return NULL;
    /* the (need, reject) pairs of a run left out: even entries needs, odd rejects */
    unsigned int pairs[32];
    Py_ssize_t npairs = 0;
    if (settled != NULL && get_pair_masks(settled, pairs, &npairs) < 0)
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (walk_runs(text, table, bits, min_len, pairs, npairs, out) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}


/* splice(text, edits): text with each edit (start, end, new, ...) of the
   list applied in turn: text[pos:start] + new, then pos = end, as Python
   slices do it (an edit that starts before the previous one ended adds its
   text alone); offsets must not be negative. */
/* 0: ASCII, 1: Latin-1, 2: UCS-2, 3: beyond (how wide a str holding c is) */
static inline int
width_class(Py_UCS4 c)
{
    return c < 0x80 ? 0 : c < 0x100 ? 1 : c < 0x10000 ? 2 : 3;
}

/* text with the edits (starts[k], ends[k], news[k]) applied in turn:
   text[pos:start] + new, then pos = end (the offsets checked >= 0, the news
   str), written in one buffer of the narrowest width its characters need. */
static PyObject *
splice_core(PyObject *text, Py_ssize_t count, const Py_ssize_t *starts, const Py_ssize_t *ends, PyObject *const *news)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t pos = 0, length = 0;
    Py_UCS4 top = 0;
    int any_kept = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t a = pos < n ? pos : n, b = starts[k] < n ? starts[k] : n;
        if (b > a) {
            length += b - a;
            any_kept = 1;
        }
        length += PyUnicode_GET_LENGTH(news[k]);
        if (PyUnicode_MAX_CHAR_VALUE(news[k]) > top)
            top = PyUnicode_MAX_CHAR_VALUE(news[k]);
        pos = ends[k];
    }
    if (pos < n) {
        length += n - pos;
        any_kept = 1;
    }
    /* a str is stored in the narrowest of ASCII, Latin-1, UCS-2 and UCS-4
       its characters fit (equal strings of different widths would compare
       unequal): when the new strings need a narrower one than the text,
       what is kept of the text says which */
    int want = width_class(PyUnicode_MAX_CHAR_VALUE(text));
    if (any_kept && width_class(top) < want) {
        int tkind = PyUnicode_KIND(text);
        const void *tdata = PyUnicode_DATA(text);
        pos = 0;
        for (Py_ssize_t k = 0; k <= count && width_class(top) < want; k++) {
            Py_ssize_t a = pos < n ? pos : n, b = n;
            if (k < count)
                b = starts[k] < n ? starts[k] : n;
            for (Py_ssize_t i = a; i < b; i++) {
                Py_UCS4 c = PyUnicode_READ(tkind, tdata, i);
                if (c > top) {
                    top = c;
                    if (width_class(top) == want)
                        break;
                }
            }
            if (k < count)
                pos = ends[k];
        }
    }
    PyObject *out = PyUnicode_New(length, top);
    if (out == NULL)
        return NULL;
    Py_ssize_t at = 0;
    pos = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t a = pos < n ? pos : n, b = starts[k] < n ? starts[k] : n;
        if (b > a) {
            if (PyUnicode_CopyCharacters(out, at, text, a, b - a) < 0)
                goto fail;
            at += b - a;
        }
        Py_ssize_t m = PyUnicode_GET_LENGTH(news[k]);
        if (m == 1) {
            PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), at, PyUnicode_READ_CHAR(news[k], 0));
        } else if (m && PyUnicode_CopyCharacters(out, at, news[k], 0, m) < 0) {
            goto fail;
        }
        at += m;
        pos = ends[k];
    }
    if (pos < n) {
        if (PyUnicode_CopyCharacters(out, at, text, pos, n - pos) < 0)
            goto fail;
        at += n - pos;
    }
    if (at != length) {
        PyErr_SetString(PyExc_RuntimeError, "splice: lengths disagree");
        goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *
splice(PyObject *self, PyObject *args)
{
    PyObject *text, *edits;
    if (!PyArg_ParseTuple(args, "OO!:splice", &text, &PyList_Type, &edits))
        return NULL;
    if (ready(text) < 0)
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(edits);
    Py_ssize_t *starts = PyMem_New(Py_ssize_t, count ? 2 * count : 1);
    PyObject **news = PyMem_New(PyObject *, count ? count : 1);
    PyObject *out = NULL;
    if (starts == NULL || news == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t *ends = starts + count;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *e = PyList_GET_ITEM(edits, k);
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) < 3 || !PyUnicode_Check(PyTuple_GET_ITEM(e, 2))) {
            PyErr_SetString(PyExc_TypeError, "each edit must be a tuple (start, end, new, ...)");
            goto done;
        }
        starts[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(e, 0));
        if (starts[k] == -1 && PyErr_Occurred())
            goto done;
        ends[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(e, 1));
        if (ends[k] == -1 && PyErr_Occurred())
            goto done;
        if (starts[k] < 0 || ends[k] < 0) {
            PyErr_SetString(PyExc_ValueError, "edit offsets must not be negative");
            goto done;
        }
        news[k] = PyTuple_GET_ITEM(e, 2); /* (borrowed: the list holds the edit, the edit its str) */
        if (ready(news[k]) < 0)
            goto done;
    }
    out = splice_core(text, count, starts, ends, news);
done:
    PyMem_Free(starts);
    PyMem_Free(news);
    return out;
}

/* A set of two-character keys (open addressing, a power of two of slots). */
typedef struct {
    uint64_t *slots;
    uint64_t mask;
} keyset;

static int
keyset_init(keyset *k, Py_ssize_t most)
{
    uint64_t size = 8;
    while (size < (uint64_t)most * 2)
        size <<= 1;
    k->slots = PyMem_Malloc(size * sizeof(uint64_t));
    if (k->slots == NULL)
        return -1;
    memset(k->slots, 0xFF, size * sizeof(uint64_t));
    k->mask = size - 1;
    return 0;
}

/* Add key; 1 if it was new, 0 if it was there. */
static int
keyset_add(keyset *k, uint64_t key)
{
    uint64_t h = (key * UINT64_C(0x9E3779B97F4A7C15)) >> 20 & k->mask;
    while (k->slots[h] != PAIR_EMPTY) {
        if (k->slots[h] == key)
            return 0;
        h = (h + 1) & k->mask;
    }
    k->slots[h] = key;
    return 1;
}

/* common_pairs(a, b): (how many different pairs of neighbouring characters
   a has, how many of them b has too). */
static PyObject *
common_pairs(PyObject *self, PyObject *args)
{
    PyObject *a, *b, *tobj = Py_None;
    unsigned int bits = 0;
    const uint32_t *table = NULL;
    if (!PyArg_ParseTuple(args, "OO|OI:common_pairs", &a, &b, &tobj, &bits))
        return NULL;
    if (ready(a) < 0 || ready(b) < 0 || (tobj != Py_None && get_table(tobj, &table) < 0))
        return NULL;
    Py_ssize_t na = PyUnicode_GET_LENGTH(a), nb = PyUnicode_GET_LENGTH(b);
    int ka = PyUnicode_KIND(a), kb = PyUnicode_KIND(b);
    const void *da = PyUnicode_DATA(a), *db = PyUnicode_DATA(b);
    /* a's pairs in a small table (a is a line, b a document), then one pass
       over b marking each of them met (bit 62 of its slot) */
    keyset seen;
    if (keyset_init(&seen, na) < 0)
        return PyErr_NoMemory();
    Py_ssize_t pairs = 0, shared = 0;
    for (Py_ssize_t i = 0; i + 1 < na; i++)
        pairs += keyset_add(&seen, (uint64_t)PyUnicode_READ(ka, da, i) << 21 | PyUnicode_READ(ka, da, i + 1));
    const uint64_t met = UINT64_C(1) << 62;
    /* with a table: b's characters that have `bits` alone, as if the rest
       were gone (the pair of each with the one of them before it) */
    Py_ssize_t prev = -1;
    for (Py_ssize_t i = 0; i < nb && shared < pairs; i++) {
        if (table != NULL && !(table[PyUnicode_READ(kb, db, i)] & bits))
            continue;
        Py_ssize_t before = table != NULL ? prev : i - 1;
        prev = i;
        if (before < 0)
            continue;
        uint64_t key = (uint64_t)PyUnicode_READ(kb, db, before) << 21 | PyUnicode_READ(kb, db, i);
        uint64_t h = (key * UINT64_C(0x9E3779B97F4A7C15)) >> 20 & seen.mask;
        while (seen.slots[h] != PAIR_EMPTY) {
            if ((seen.slots[h] & ~met) == key) {
                if (!(seen.slots[h] & met)) {
                    seen.slots[h] |= met;
                    shared++;
                }
                break;
            }
            h = (h + 1) & seen.mask;
        }
    }
    PyMem_Free(seen.slots);
    return Py_BuildValue("(nn)", pairs, shared);
}

static PyObject *
distinct(PyObject *self, PyObject *args)
{
    PyObject *text, *tobj;
    unsigned int bits;
    int limit;
    const uint32_t *table;
    if (!PyArg_ParseTuple(args, "OOIi:distinct", &text, &tobj, &bits, &limit))
        return NULL;
    if (ready(text) < 0 || get_table(tobj, &table) < 0)
        return NULL;
    if (limit < 0 || limit > 64) {
        PyErr_SetString(PyExc_ValueError, "limit must be 0..64");
        return NULL;
    }
    Py_UCS4 seen[64];
    int found = 0;
    TEXT_VIEW(text);
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++) {
            SKIP_WITHOUT(i, n, bits);
            if (!(table[s[i]] & bits))
                continue;
            Py_UCS4 c = s[i];
            int k = 0;
            while (k < found && seen[k] != c)
                k++;
            if (k == found) {
                if (found == limit)
                    break;
                seen[found++] = c;
            }
        }
    })
    return PyLong_FromLong(found);
}

/* The terms found so far by term_counts (a page has a few dozen different ones). */
struct found { PyObject *term; Py_ssize_t count, end; };
typedef struct { struct found *items; Py_ssize_t n, cap; } foundlist;

/* Count the terms of `group` that occur at text[i] (text of `kind`, `n`
   characters long); 0, or -1 with an exception set. */
static int
match_group(PyObject *group, int kind, const void *data, Py_ssize_t n, Py_ssize_t i, foundlist *fl)
{
    if (!PyTuple_Check(group)) {
        PyErr_SetString(PyExc_TypeError, "each group must be a tuple of str");
        return -1;
    }
    for (Py_ssize_t g = 0; g < PyTuple_GET_SIZE(group); g++) {
        PyObject *term = PyTuple_GET_ITEM(group, g);
        if (!PyUnicode_Check(term)) {
            PyErr_SetString(PyExc_TypeError, "each group must be a tuple of str");
            return -1;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(term);
        if (len == 0 || i + len > n)
            continue;
        int tkind = PyUnicode_KIND(term);
        const void *tdata = PyUnicode_DATA(term);
        Py_ssize_t k = 0;
        while (k < len && PyUnicode_READ(tkind, tdata, k) == PyUnicode_READ(kind, data, i + k))
            k++;
        if (k < len)
            continue;
        Py_ssize_t f = 0;
        while (f < fl->n && fl->items[f].term != term)
            f++;
        if (f == fl->n) {
            if (fl->n == fl->cap) {
                Py_ssize_t newcap = fl->cap ? 2 * fl->cap : 32;
                struct found *grown = PyMem_Realloc(fl->items, sizeof(*grown) * (size_t)newcap);
                if (grown == NULL) {
                    PyErr_NoMemory();
                    return -1;
                }
                fl->items = grown;
                fl->cap = newcap;
            }
            fl->items[f].term = term;
            fl->items[f].count = 0;
            fl->items[f].end = 0;
            fl->n++;
        }
        if (i < fl->items[f].end)
            continue; /* overlaps this term's previous occurrence */
        fl->items[f].count++;
        fl->items[f].end = i + len;
    }
    return 0;
}

/* {term: count} of the found terms (those in `split` or, with `inside` 0,
   those not in it; every one when `split` is NULL); NULL on error. */
static PyObject *
count_dict(const foundlist *fl, PyObject *split, int inside)
{
    PyObject *counts = PyDict_New();
    if (counts == NULL)
        return NULL;
    for (Py_ssize_t f = 0; f < fl->n; f++) {
        if (split != NULL) {
            int in = PySet_Contains(split, fl->items[f].term);
            if (in < 0) {
                Py_DECREF(counts);
                return NULL;
            }
            if (in != inside)
                continue;
        }
        PyObject *num = PyLong_FromSsize_t(fl->items[f].count);
        if (num == NULL || PyDict_SetItem(counts, fl->items[f].term, num) < 0) {
            Py_XDECREF(num);
            Py_DECREF(counts);
            return NULL;
        }
        Py_DECREF(num);
    }
    return counts;
}

static int
by_term(const void *a, const void *b)
{
    /* str against str: no error to report */
    return PyUnicode_Compare(((const struct found *)a)->term, ((const struct found *)b)->term);
}

/* ({term: count} of the terms in `split`, {term: count} of the others),
   each in the order of its terms; NULL on error. */
static PyObject *
split_counts(foundlist *fl, PyObject *split)
{
    if (fl->n > 1)
        qsort(fl->items, (size_t)fl->n, sizeof(struct found), by_term);
    PyObject *in = count_dict(fl, split, 1);
    PyObject *out = in == NULL ? NULL : count_dict(fl, split, 0);
    PyObject *both = out == NULL ? NULL : PyTuple_Pack(2, in, out);
    Py_XDECREF(in);
    Py_XDECREF(out);
    return both;
}

static PyObject *
term_counts(PyObject *self, PyObject *args)
{
    PyObject *text, *tobj, *pobj, *groups, *split = NULL;
    unsigned int bits;
    const uint32_t *table;
    if (!PyArg_ParseTuple(args, "OOIOO!|O:term_counts", &text, &tobj, &bits, &pobj, &PyTuple_Type, &groups,
                          &split))
        return NULL;
    if (split != NULL && !PyAnySet_Check(split)) {
        PyErr_SetString(PyExc_TypeError, "split must be a set or frozenset");
        return NULL;
    }
    if (ready(text) < 0 || get_table(tobj, &table) < 0)
        return NULL;
    pairtable pairs;
    if (get_pairs(pobj, &pairs) < 0)
        return NULL;
    TEXT_VIEW(text);
    Py_ssize_t ngroups = PyTuple_GET_SIZE(groups);
    foundlist fl = {NULL, 0, 0};
    PyObject *counts = NULL;
    int failed = 0;
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i + 1 < n && !failed; i++) {
            if (!(table[s[i]] & bits))
                continue;
            Py_ssize_t j = find_pair(&pairs, s[i], s[i + 1]);
            if (j < 0)
                continue;
            if (j >= ngroups) {
                PyErr_SetString(PyExc_ValueError, "one group of terms per pair");
                failed = 1;
            } else if (match_group(PyTuple_GET_ITEM(groups, j), kind, data, n, i, &fl) < 0) {
                failed = 1;
            }
        }
    })
    if (failed)
        goto done;
    if (split != NULL)
        counts = split_counts(&fl, split);
    else
        counts = count_dict(&fl, NULL, 0);
done:
    PyMem_Free(fl.items);
    return counts;
}

/* What the translate table maps c to (bmp for the BMP, else the dict
   `astral` of code point -> one-character str); -1 on error. */
static int
map_char(Py_UCS4 c, const uint32_t *bmp, PyObject *astral, Py_UCS4 *out)
{
    if (c < 0x10000) {
        *out = bmp[c];
        return 0;
    }
    *out = c;
    if (!PyDict_GET_SIZE(astral))
        return 0;
    PyObject *key = PyLong_FromUnsignedLong(c);
    if (key == NULL)
        return -1;
    PyObject *v = PyDict_GetItemWithError(astral, key);
    Py_DECREF(key);
    if (v == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyUnicode_Check(v) || PyUnicode_GET_LENGTH(v) != 1) {
        PyErr_SetString(PyExc_ValueError, "astral values must be one character");
        return -1;
    }
    *out = PyUnicode_READ_CHAR(v, 0);
    return 0;
}

static PyObject *
translate(PyObject *self, PyObject *args)
{
    PyObject *text, *bobj, *astral;
    if (!PyArg_ParseTuple(args, "OOO!:translate", &text, &bobj, &PyDict_Type, &astral))
        return NULL;
    if (ready(text) < 0)
        return NULL;
    if (!PyBytes_Check(bobj) || PyBytes_GET_SIZE(bobj) != 0x10000 * 4) {
        PyErr_SetString(PyExc_ValueError, "bmp must be bytes of 0x10000 uint32");
        return NULL;
    }
    const uint32_t *bmp = (const uint32_t *)PyBytes_AS_STRING(bobj);
    TEXT_VIEW(text);
    /* first pass: does anything change, and how wide is the result (written
       straight into a str of that width in the second) */
    int changed = 0, failed = 0;
    Py_UCS4 top = 0;
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = s[i], m;
            if (c < 0x10000) {
                m = bmp[c];
            } else if (map_char(c, bmp, astral, &m) < 0) {
                failed = 1;
                break;
            }
            changed |= m != c;
            if (m > top)
                top = m;
        }
    })
    if (failed)
        return NULL;
    if (top > 0x10FFFF) {
        PyErr_SetString(PyExc_ValueError, "bmp maps to a character beyond U+10FFFF");
        return NULL;
    }
    if (!changed)
        return PyUnicode_Substring(text, 0, n); /* itself, as a plain str */
    PyObject *out = PyUnicode_New(n, top);
    if (out == NULL)
        return NULL;
    int okind = PyUnicode_KIND(out);
    void *odata = PyUnicode_DATA(out);
#define TRANSLATE_INTO(OUT_T)                                                \
    LOOP_KINDS({                                                             \
        OUT_T *o = (OUT_T *)odata;                                           \
        for (Py_ssize_t i = 0; i < n; i++) {                                 \
            Py_UCS4 c = s[i], m;                                             \
            if (c < 0x10000) {                                               \
                m = bmp[c];                                                  \
            } else if (map_char(c, bmp, astral, &m) < 0) {                   \
                failed = 1;                                                  \
                break;                                                       \
            }                                                                \
            o[i] = (OUT_T)m;                                                 \
        }                                                                    \
    })
    if (okind == PyUnicode_1BYTE_KIND) {
        TRANSLATE_INTO(Py_UCS1)
    } else if (okind == PyUnicode_2BYTE_KIND) {
        TRANSLATE_INTO(Py_UCS2)
    } else {
        TRANSLATE_INTO(Py_UCS4)
    }
#undef TRANSLATE_INTO
    if (failed) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

static PyObject *
pair_counts(PyObject *self, PyObject *args)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U:pair_counts", &text))
        return NULL;
    TEXT_VIEW(text);
    /* at most n - 1 different pairs, the table at most half full */
    int bits = 3;
    while (((Py_ssize_t)1 << bits) < 2 * n)
        bits++;
    if (bits > 40) {
        PyErr_SetString(PyExc_OverflowError, "text too long for a pair table");
        return NULL;
    }
    uint64_t size = (uint64_t)1 << bits, mask = size - 1;
    /* the slots, then the filter get_pairs reads */
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(size * 8 + size / 2));
    if (out == NULL)
        return NULL;
    uint64_t *slots = (uint64_t *)PyBytes_AS_STRING(out);
    uint8_t *filter = (uint8_t *)(slots + size);
    memset(slots, 0xFF, size * 8);
    memset(filter, 0, size / 2);
    int overflow = 0;
    LOOP_KINDS({
        for (Py_ssize_t i = 0; i + 1 < n && !overflow; i++) {
            uint64_t key = ((uint64_t)s[i] << 21) | (uint64_t)s[i + 1];
            uint64_t product = key * UINT64_C(0x9E3779B97F4A7C15);
            uint64_t f = product >> (62 - bits);
            filter[f >> 3] |= (uint8_t)(1u << (f & 7));
            uint64_t h = product >> (64 - bits);
            while (slots[h] != PAIR_EMPTY && (slots[h] & PAIR_KEY_MASK) != key)
                h = (h + 1) & mask;
            if (slots[h] == PAIR_EMPTY) {
                slots[h] = key | (UINT64_C(1) << 42);
            } else if ((slots[h] >> 42) == (UINT64_C(1) << 22) - 1) {
                overflow = 1;
            } else {
                slots[h] += UINT64_C(1) << 42;
            }
        }
    })
    if (overflow) {
        Py_DECREF(out);
        PyErr_SetString(PyExc_OverflowError, "a pair occurs too often for a pair table");
        return NULL;
    }
    return out;
}

/* log1p of how often the pair a + b occurs in `window`: for two different
   characters from `pairs` (a table from pair_counts(window)), else
   window.count(a + b); -1 on error. */
static int
echo_of(PyObject *a, PyObject *b, const pairtable *pairs, PyObject *window, double *out)
{
    if (PyUnicode_GET_LENGTH(a) == 1 && PyUnicode_GET_LENGTH(b) == 1) {
        Py_UCS4 x = PyUnicode_READ_CHAR(a, 0), y = PyUnicode_READ_CHAR(b, 0);
        if (x != y) {
            Py_ssize_t found = find_pair(pairs, x, y);
            *out = log1p((double)(found < 0 ? 0 : found));
            return 0;
        }
    }
    PyObject *p = PyUnicode_Concat(a, b);
    if (p == NULL)
        return -1;
    Py_ssize_t found = PyUnicode_Count(window, p, 0, PY_SSIZE_T_MAX);
    Py_DECREF(p);
    if (found < 0)
        return -1;
    *out = log1p((double)found);
    return 0;
}

/* Is `obj` a non-empty str (a neighbour), 0 for None or ""; -1 if neither. */
static int
neighbour(PyObject *obj)
{
    if (obj == Py_None)
        return 0;
    if (!PyUnicode_Check(obj) || ready(obj) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "a neighbour must be str or None");
        return -1;
    }
    return PyUnicode_GET_LENGTH(obj) > 0;
}

/* Is (t, c) above (bt, bc) in tuple order (floats first, then strs)?  -1 on error. */
static int
above(double t, PyObject *c, double bt, PyObject *bc)
{
    if (t != bt)
        return t > bt;
    int cmp = PyUnicode_Compare(c, bc);
    if (cmp == -1 && PyErr_Occurred())
        return -1;
    return cmp > 0;
}

/* slot_best(simps, memo, before, cands, after, pairs, window, weight,
   missing): the two highest (memo[simps[k]] + weight * echo, cands[k]),
   highest first, as sorted(..., reverse=True)[:2] orders them; the echo of
   a candidate c is log1p of how often before + c and c + after occur in
   `window` (a neighbour None or "" adds nothing; `pairs`, pair_counts(window)'s
   table).  `simps`: a str (one character per candidate) or a tuple of str.
   A simp the memo has no score for (or None) is appended to the list
   `missing`, and then the answer is None (the caller scores them, then
   asks again). */
static PyObject *
slot_best(PyObject *self, PyObject *args)
{
    PyObject *simps, *memo, *before, *cands, *after, *pairs, *window, *missing;
    double weight;
    if (!PyArg_ParseTuple(args, "OO!OO!OOUdO!:slot_best", &simps, &PyDict_Type, &memo, &before, &PyTuple_Type,
                          &cands, &after, &pairs, &window, &weight, &PyList_Type, &missing))
        return NULL;
    pairtable table;
    if (get_pairs(pairs, &table) < 0)
        return NULL;
    int has_before = neighbour(before), has_after = neighbour(after);
    if (has_before < 0 || has_after < 0)
        return NULL;
    int simps_str = PyUnicode_Check(simps);
    if (!simps_str && !PyTuple_Check(simps)) {
        PyErr_SetString(PyExc_TypeError, "simps must be a str or a tuple");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(cands);
    if ((simps_str ? PyUnicode_GET_LENGTH(simps) : PyTuple_GET_SIZE(simps)) != n) {
        PyErr_SetString(PyExc_ValueError, "one simplified form per candidate");
        return NULL;
    }
    /* the best two (total, cand) so far, borrowed candidates (the tuples
       hold them) */
    int kept = 0, lacking = 0;
    double best_t[2] = {0.0, 0.0};
    PyObject *best_c[2] = {NULL, NULL};
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyTuple_GET_ITEM(cands, i);
        if (!PyUnicode_Check(c)) {
            PyErr_SetString(PyExc_TypeError, "candidates must be str");
            return NULL;
        }
        PyObject *simp = simps_str ? PyUnicode_Substring(simps, i, i + 1) : PyTuple_GET_ITEM(simps, i);
        if (simp == NULL)
            return NULL;
        if (!simps_str)
            Py_INCREF(simp);
        if (!PyUnicode_Check(simp)) {
            Py_DECREF(simp);
            PyErr_SetString(PyExc_TypeError, "simplified forms must be str");
            return NULL;
        }
        PyObject *sv = PyDict_GetItemWithError(memo, simp);
        if (sv == NULL && PyErr_Occurred()) {
            Py_DECREF(simp);
            return NULL;
        }
        if (sv == NULL || sv == Py_None) {
            /* no score yet: listed */
            int rc = PyList_Append(missing, simp);
            Py_DECREF(simp);
            if (rc < 0)
                return NULL;
            lacking = 1;
            continue;
        }
        Py_DECREF(simp);
        if (lacking)
            continue;
        if (!PyFloat_Check(sv) && !PyLong_Check(sv)) {
            PyErr_SetString(PyExc_TypeError, "a score must be a number");
            return NULL;
        }
        double total = PyFloat_AsDouble(sv);
        if (total == -1.0 && PyErr_Occurred())
            return NULL;
        if (isnan(total)) {
            PyErr_SetString(PyExc_ValueError, "a score is not a number");
            return NULL;
        }
        double e = 0.0, more;
        if (has_before && echo_of(before, c, &table, window, &e) < 0)
            return NULL;
        if (has_after) {
            if (echo_of(c, after, &table, window, &more) < 0)
                return NULL;
            e += more;
        }
        total = total + weight * e;
        int up = kept ? above(total, c, best_t[0], best_c[0]) : 1;
        if (up < 0)
            return NULL;
        if (up) {
            best_t[1] = best_t[0];
            best_c[1] = best_c[0];
            best_t[0] = total;
            best_c[0] = c;
            kept = kept < 2 ? kept + 1 : 2;
            continue;
        }
        up = kept > 1 ? above(total, c, best_t[1], best_c[1]) : 1;
        if (up < 0)
            return NULL;
        if (up) {
            best_t[1] = total;
            best_c[1] = c;
            kept = 2;
        }
    }
    if (lacking)
        Py_RETURN_NONE;
    PyObject *out = PyList_New(kept);
    for (int k = 0; out != NULL && k < kept; k++) {
        PyObject *pair = Py_BuildValue("(dO)", best_t[k], best_c[k]);
        if (pair == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, pair);
    }
    return out;
}

/* The TSPhrases choice at `pos` (tables.T2S.phrase_choice): of the groups
   (offset, length, {key: (rank, value)}) of text[pos], the value of the
   key found around pos with the lowest rank.  New reference, Py_None where
   no key matches, NULL on error. */
static PyObject *
phrase_at(PyObject *text, Py_ssize_t n, Py_ssize_t pos, PyObject *groups)
{
    PyObject *best = NULL;
    Py_ssize_t best_rank = 0;
    PyObject *gs = PySequence_Fast(groups, "phrase groups must be a sequence");
    if (gs == NULL)
        return NULL;
    for (Py_ssize_t g = 0; g < PySequence_Fast_GET_SIZE(gs); g++) {
        PyObject *group = PySequence_Fast_GET_ITEM(gs, g);
        if (!PyTuple_Check(group) || PyTuple_GET_SIZE(group) != 3 || !PyDict_Check(PyTuple_GET_ITEM(group, 2))) {
            PyErr_SetString(PyExc_TypeError, "a phrase group is (offset, length, {key: (rank, value)})");
            goto fail;
        }
        Py_ssize_t offset = PyLong_AsSsize_t(PyTuple_GET_ITEM(group, 0));
        Py_ssize_t length = PyLong_AsSsize_t(PyTuple_GET_ITEM(group, 1));
        if ((offset == -1 || length == -1) && PyErr_Occurred())
            goto fail;
        Py_ssize_t start = pos - offset;
        if (start < 0 || length < 0)
            continue;
        Py_ssize_t stop = length > n - start ? n : start + length;
        PyObject *key = PyUnicode_Substring(text, start, stop);
        if (key == NULL)
            goto fail;
        PyObject *hit = PyDict_GetItemWithError(PyTuple_GET_ITEM(group, 2), key);
        Py_DECREF(key);
        if (hit == NULL) {
            if (PyErr_Occurred())
                goto fail;
            continue;
        }
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 2) {
            PyErr_SetString(PyExc_TypeError, "a phrase entry is (rank, value)");
            goto fail;
        }
        Py_ssize_t rank = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 0));
        if (rank == -1 && PyErr_Occurred())
            goto fail;
        if (best == NULL || rank < best_rank) {
            best = PyTuple_GET_ITEM(hit, 1);
            best_rank = rank;
        }
    }
    Py_DECREF(gs);
    best = best == NULL ? Py_None : best;
    Py_INCREF(best);
    return best;
fail:
    Py_DECREF(gs);
    return NULL;
}

static PyObject *
t2s_places(PyObject *self, PyObject *args)
{
    PyObject *text, *bulk, *places, *groups, *cands_of, *defaults, *memo, *given = Py_None;
    int counted = 0;
    if (!PyArg_ParseTuple(args, "UUO!O!O!O!O!|pO:t2s_places", &text, &bulk, &PyList_Type, &places, &PyDict_Type,
                          &groups, &PyDict_Type, &cands_of, &PyDict_Type, &defaults, &PyDict_Type, &memo, &counted,
                          &given))
        return NULL;
    if (given == Py_None) {
        given = NULL;
    } else if (!PyDict_CheckExact(given)) {
        PyErr_SetString(PyExc_TypeError, "given must be a dict or None");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_GET_LENGTH(bulk) != n) {
        PyErr_SetString(PyExc_ValueError, "the bulk text has the text's length");
        return NULL;
    }
    places = PyList_AsTuple(places); /* (a copy: a collection may run Python code) */
    if (places == NULL)
        return NULL;
    PyObject *pending = PyList_New(0);
    if (pending == NULL) {
        Py_DECREF(places);
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(places), chosen = 0, changed = 0;
    /* (counted: how many choices differ from the character, not the list of them) */
    PyObject *decisions = counted ? NULL : PyList_New(0), *out = NULL;
    /* where each place is, and its choice (owned): then spliced into bulk */
    Py_ssize_t *at = PyMem_New(Py_ssize_t, count ? 2 * count : 1);
    PyObject **choices = PyMem_New(PyObject *, count ? count : 1);
    if (!counted && decisions == NULL)
        goto done;
    if (at == NULL || choices == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t *after = at + count;
    Py_ssize_t pos = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(places, k));
        if (i == -1 && PyErr_Occurred())
            goto done;
        if (i < pos || i >= n) {
            PyErr_SetString(PyExc_ValueError, "places must be increasing offsets into the text");
            goto done;
        }
        PyObject *ch = PyUnicode_Substring(text, i, i + 1);
        if (ch == NULL)
            goto done;
        PyObject *choice = NULL, *g = PyDict_GetItemWithError(groups, ch);
        if (g != NULL) {
            choice = phrase_at(text, n, i, g);
            if (choice == Py_None)
                Py_CLEAR(choice);
            else if (choice == NULL)
                goto fail_ch;
        } else if (PyErr_Occurred()) {
            goto fail_ch;
        }
        if (choice == NULL) {
            PyObject *cands = PyDict_GetItemWithError(cands_of, ch);
            if (cands == NULL && PyErr_Occurred())
                goto fail_ch;
            Py_XINCREF(cands); /* (held: IsTrue and the lookups may run Python code) */
            int has = cands == NULL ? 0 : PyObject_IsTrue(cands);
            if (has <= 0)
                Py_XDECREF(cands);
            if (has < 0)
                goto fail_ch;
            if (!has) {
                choice = PyDict_GetItemWithError(defaults, ch);
                if (choice == NULL && PyErr_Occurred())
                    goto fail_ch;
                choice = choice == NULL ? ch : choice;
                Py_INCREF(choice);
            } else {
                /* the choice the caller gives for this place, or one made
                   before in the same seven characters (three on either
                   side, through the bulk table), from the memo; else the
                   place is pending (the caller chooses, then asks again) */
                PyObject *where = NULL;
                if (given != NULL) {
                    where = PyLong_FromSsize_t(i);
                    choice = where == NULL ? NULL : PyDict_GetItemWithError(given, where);
                    Py_XDECREF(where);
                    Py_XINCREF(choice);
                    if (choice == NULL && PyErr_Occurred()) {
                        Py_DECREF(cands);
                        goto fail_ch;
                    }
                }
                if (choice == NULL && i >= 3 && n - i > 3) {
                    Py_UCS4 w[7];
                    for (int k = 0; k < 7; k++)
                        w[k] = k == 3 ? PyUnicode_READ_CHAR(text, i) : PyUnicode_READ_CHAR(bulk, i - 3 + k);
                    PyObject *key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, w, 7);
                    choice = key == NULL ? NULL : PyDict_GetItemWithError(memo, key);
                    Py_XDECREF(key);
                    Py_XINCREF(choice);
                    if (choice == NULL && PyErr_Occurred()) {
                        Py_DECREF(cands);
                        goto fail_ch;
                    }
                }
                Py_DECREF(cands);
                if (choice == NULL) {
                    Py_DECREF(ch);
                    if (append_index(pending, i) < 0)
                        goto done;
                    pos = i + 1;
                    continue;
                }
            }
        }
        if (!PyUnicode_Check(choice)) {
            PyErr_SetString(PyExc_TypeError, "a choice must be str");
            goto fail_choice;
        }
        if (ready(choice) < 0)
            goto fail_choice;
        int same = PyUnicode_Compare(choice, ch);
        if (same == -1 && PyErr_Occurred())
            goto fail_choice;
        if (same != 0 && counted) {
            changed++;
        } else if (same != 0) {
            PyObject *where = PyLong_FromSsize_t(i), *d = where == NULL ? NULL : PyTuple_New(3);
            if (d != NULL) {
                Py_INCREF(ch);
                Py_INCREF(choice);
                PyTuple_SET_ITEM(d, 0, where);
                PyTuple_SET_ITEM(d, 1, ch);
                PyTuple_SET_ITEM(d, 2, choice);
                untrack_atomic(d);
            } else {
                Py_XDECREF(where);
            }
            if (d == NULL || PyList_Append(decisions, d) < 0) {
                Py_XDECREF(d);
                goto fail_choice;
            }
            Py_DECREF(d);
        }
        at[chosen] = i;
        after[chosen] = i + 1;
        choices[chosen++] = choice; /* (its reference kept until the splice) */
        Py_DECREF(ch);
        pos = i + 1;
        continue;
    fail_choice:
        Py_DECREF(choice);
    fail_ch:
        Py_DECREF(ch);
        goto done;
    }
    if (PyList_GET_SIZE(pending)) {
        out = PyTuple_Pack(2, Py_None, pending);
        goto done;
    }
    PyObject *joined = splice_core(bulk, chosen, at, after, choices);
    if (joined != NULL) {
        if (counted) {
            PyObject *n_changed = PyLong_FromSsize_t(changed);
            out = n_changed == NULL ? NULL : PyTuple_Pack(2, joined, n_changed);
            Py_XDECREF(n_changed);
        } else {
            out = PyTuple_Pack(2, joined, decisions);
        }
        Py_DECREF(joined);
    }
done:
    for (Py_ssize_t k = 0; choices != NULL && k < chosen; k++)
        Py_DECREF(choices[k]);
    PyMem_Free(at);
    PyMem_Free(choices);
    Py_XDECREF(decisions);
    Py_DECREF(pending);
    Py_DECREF(places);
    return out;
}

/* substitute(text, places, mapping, skip[, table, half, chinese, han]):
   (text with the character c at each offset of `places` (increasing)
   replaced by mapping[c], how many were, the offsets whose character is
   one of `skip`, left as they are).  places None: the offsets
   punct_places(text, table, half, chinese, han) gives, found here. */
static PyObject *
substitute(PyObject *self, PyObject *args)
{
    PyObject *text, *places, *mapping, *skip, *tobj = Py_None;
    unsigned int half = 0, chinese = 0, han = 0;
    if (!PyArg_ParseTuple(args, "UOO!U|OIII:substitute", &text, &places, &PyDict_Type, &mapping, &skip, &tobj, &half,
                          &chinese, &han))
        return NULL;
    if (ready(text) < 0)
        return NULL;
    struct offsets o = {NULL, 0, 0};
    if (places == Py_None) {
        const uint32_t *table;
        if (tobj == Py_None) {
            PyErr_SetString(PyExc_TypeError, "places None needs a table");
            return NULL;
        }
        if (get_table(tobj, &table) < 0 || find_places(text, table, half, chinese, han, &o) < 0) {
            PyMem_Free(o.v);
            return NULL;
        }
    } else {
        if (!PyList_Check(places)) {
            PyErr_SetString(PyExc_TypeError, "places must be a list or None");
            return NULL;
        }
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(places); k++) {
            Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(places, k));
            if ((i == -1 && PyErr_Occurred()) || offsets_push(&o, i) < 0) {
                PyMem_Free(o.v);
                return NULL;
            }
        }
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), made = 0;
    Py_ssize_t *at = PyMem_New(Py_ssize_t, o.n ? 2 * o.n : 1);
    PyObject **news = PyMem_New(PyObject *, o.n ? o.n : 1);
    PyObject *skipped = PyList_New(0), *out = NULL;
    if (at == NULL || news == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (skipped == NULL)
        goto done;
    Py_ssize_t *after = at + o.n;
    for (Py_ssize_t k = 0; k < o.n; k++) {
        Py_ssize_t i = o.v[k];
        if (i < 0 || i >= n) {
            PyErr_SetString(PyExc_IndexError, "a place outside the text");
            goto done;
        }
        Py_UCS4 c = PyUnicode_READ_CHAR(text, i);
        if (PyUnicode_FindChar(skip, c, 0, PyUnicode_GET_LENGTH(skip), 1) >= 0) {
            if (append_index(skipped, i) < 0)
                goto done;
            continue;
        }
        if (made && i <= at[made - 1]) {
            PyErr_SetString(PyExc_ValueError, "places must increase");
            goto done;
        }
        PyObject *ch = PyUnicode_FromOrdinal(c);
        if (ch == NULL)
            goto done;
        PyObject *new = PyDict_GetItemWithError(mapping, ch);
        if (new == NULL && !PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, ch);
        Py_DECREF(ch);
        if (new == NULL)
            goto done;
        if (!PyUnicode_Check(new) || ready(new) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "mapping values must be str");
            goto done;
        }
        at[made] = i;
        after[made] = i + 1;
        Py_INCREF(new); /* (held: an allocation may collect, and a finalizer change the mapping) */
        news[made++] = new;
    }
    PyObject *joined = splice_core(text, made, at, after, news);
    if (joined != NULL)
        out = Py_BuildValue("(NnO)", joined, made, skipped);
done:
    for (Py_ssize_t k = 0; news != NULL && k < made; k++)
        Py_DECREF(news[k]);
    PyMem_Free(at);
    PyMem_Free(news);
    PyMem_Free(o.v);
    Py_XDECREF(skipped);
    return out;
}

/* The pair (start, shape) `item` of found: 1 when shape[flag_at] is true
   (*start and *whole, shape[whole_at], set: the edit removes text[start +
   1:start + len(whole)]), 0 when it is not, -1 with an exception. */
static int
annotation_at(PyObject *item, Py_ssize_t whole_at, Py_ssize_t flag_at, Py_ssize_t *start, PyObject **whole)
{
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2 || !PyTuple_Check(PyTuple_GET_ITEM(item, 1))) {
        PyErr_SetString(PyExc_TypeError, "found must hold (start, shape) pairs");
        return -1;
    }
    PyObject *shape = PyTuple_GET_ITEM(item, 1);
    if (whole_at < 0 || flag_at < 0 || whole_at >= PyTuple_GET_SIZE(shape) || flag_at >= PyTuple_GET_SIZE(shape)) {
        PyErr_SetString(PyExc_IndexError, "no such field in a shape");
        return -1;
    }
    int flag = PyObject_IsTrue(PyTuple_GET_ITEM(shape, flag_at));
    if (flag <= 0)
        return flag;
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 0));
    if (*start == -1 && PyErr_Occurred())
        return -1;
    *whole = PyTuple_GET_ITEM(shape, whole_at);
    if (!PyUnicode_Check(*whole)) {
        PyErr_SetString(PyExc_TypeError, "a shape's whole must be str");
        return -1;
    }
    if (*start > PY_SSIZE_T_MAX - 1 - PyUnicode_GET_LENGTH(*whole)) {
        PyErr_SetString(PyExc_OverflowError, "a start too large");
        return -1;
    }
    return 1;
}

static PyObject *
annotation_splice(PyObject *self, PyObject *args)
{
    PyObject *text, *found;
    Py_ssize_t whole_at, flag_at;
    if (!PyArg_ParseTuple(args, "UO!nn:annotation_splice", &text, &PyList_Type, &found, &whole_at, &flag_at))
        return NULL;
    if (ready(text) < 0)
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(found), made = 0;
    Py_ssize_t *at = PyMem_New(Py_ssize_t, count ? 2 * count : 1);
    PyObject **news = PyMem_New(PyObject *, count ? count : 1);
    PyObject *rest = PyList_New(0), *empty = PyUnicode_New(0, 0), *out = NULL;
    if (at == NULL || news == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (rest == NULL || empty == NULL)
        goto done;
    Py_ssize_t *upto = at + count;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *item = PyList_GET_ITEM(found, k), *whole;
        Py_ssize_t start;
        int flag = annotation_at(item, whole_at, flag_at, &start, &whole);
        if (flag < 0)
            goto done;
        if (!flag) {
            if (PyList_Append(rest, item) < 0)
                goto done;
            continue;
        }
        if (start < 0 || (made && start + 1 <= at[made - 1])) {
            PyErr_SetString(PyExc_ValueError, "found must be in the order of the text");
            goto done;
        }
        at[made] = start + 1;
        upto[made] = start + PyUnicode_GET_LENGTH(whole);
        news[made++] = empty;
    }
    PyObject *joined = splice_core(text, made, at, upto, news);
    if (joined != NULL)
        out = Py_BuildValue("(NnO)", joined, made, rest);
done:
    PyMem_Free(at);
    PyMem_Free(news);
    Py_XDECREF(rest);
    Py_XDECREF(empty);
    return out;
}

/* A few characters given as a str (prose marks, punctuation), for tests of
   membership in a loop: a filter of their low bytes, each character it lets
   by looked for in the str itself.  `chars` must be ready. */
typedef struct {
    uint64_t low[4];
    Py_ssize_t n;
    int kind;
    const void *data;
} charset;

static void
charset_init(charset *cs, PyObject *chars)
{
    cs->n = PyUnicode_GET_LENGTH(chars);
    cs->kind = PyUnicode_KIND(chars);
    cs->data = PyUnicode_DATA(chars);
    memset(cs->low, 0, sizeof cs->low);
    for (Py_ssize_t k = 0; k < cs->n; k++) {
        Py_UCS4 m = PyUnicode_READ(cs->kind, cs->data, k) & 0xFF;
        cs->low[m >> 6] |= UINT64_C(1) << (m & 63);
    }
}

static inline int
charset_has(const charset *cs, Py_UCS4 c)
{
    if (!(cs->low[(c & 0xFF) >> 6] >> (c & 63) & 1))
        return 0;
    for (Py_ssize_t k = 0; k < cs->n; k++)
        if (PyUnicode_READ(cs->kind, cs->data, k) == c)
            return 1;
    return 0;
}

/* Note c among the up to 3 different characters in seen[0..*found). */
static inline void
note3(Py_UCS4 *seen, int *found, Py_UCS4 c)
{
    for (int k = 0; k < *found; k++)
        if (seen[k] == c)
            return;
    if (*found < 3)
        seen[(*found)++] = c;
}

static PyObject *
script_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *tobj, *prose;
    unsigned int simp_bits, trad_bits;
    const uint32_t *table;
    if (!PyArg_ParseTuple(args, "OOIIU:script_lines", &text, &tobj, &simp_bits, &trad_bits, &prose))
        return NULL;
    if (ready(text) < 0 || get_table(tobj, &table) < 0)
        return NULL;
    charset marks; /* most characters told none of them by their low byte */
    charset_init(&marks, prose);
    Py_ssize_t simp_lines = 0, trad_lines = 0;
    TEXT_VIEW(text);
    LOOP_KINDS({
        Py_ssize_t i = 0;
        while (i <= n) {
            /* one line: [i, end) */
            int is_prose = 0, ns = 0, nt = 0;
            Py_UCS4 ss[3], ts[3];
            Py_ssize_t j = i;
            for (; j < n && s[j] != '\n'; j++) {
                Py_UCS4 c = s[j];
                uint32_t bits = table[c];
                if (bits & simp_bits)
                    note3(ss, &ns, c);
                if (bits & trad_bits)
                    note3(ts, &nt, c);
                if (!is_prose && charset_has(&marks, c))
                    is_prose = 1;
            }
            if (is_prose) {
                if (ns >= 3) {
                    if (!nt)
                        simp_lines++;
                } else if (!ns && nt >= 3) {
                    trad_lines++;
                }
            }
            i = j + 1;
        }
    })
    return Py_BuildValue("(nn)", simp_lines, trad_lines);
}


static PyObject *
flag_counts(PyObject *self, PyObject *args)
{
    PyObject *found, *fields;
    if (!PyArg_ParseTuple(args, "O!O!:flag_counts", &PyList_Type, &found, &PyTuple_Type, &fields))
        return NULL;
    Py_ssize_t nf = PyTuple_GET_SIZE(fields);
    if (nf > 8) {
        PyErr_SetString(PyExc_ValueError, "at most 8 fields");
        return NULL;
    }
    Py_ssize_t at[8], counts[8] = {0};
    for (Py_ssize_t f = 0; f < nf; f++) {
        at[f] = PyLong_AsSsize_t(PyTuple_GET_ITEM(fields, f));
        if (at[f] == -1 && PyErr_Occurred())
            return NULL;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(found); k++) {
        PyObject *item = PyList_GET_ITEM(found, k);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2 || !PyTuple_Check(PyTuple_GET_ITEM(item, 1))) {
            PyErr_SetString(PyExc_TypeError, "found must hold (start, shape) pairs");
            return NULL;
        }
        PyObject *shape = PyTuple_GET_ITEM(item, 1);
        for (Py_ssize_t f = 0; f < nf; f++) {
            if (at[f] < 0 || at[f] >= PyTuple_GET_SIZE(shape)) {
                PyErr_SetString(PyExc_IndexError, "no such field in a shape");
                return NULL;
            }
            int yes = PyObject_IsTrue(PyTuple_GET_ITEM(shape, at[f]));
            if (yes < 0)
                return NULL;
            counts[f] += yes;
        }
    }
    PyObject *out = PyTuple_New(nf);
    for (Py_ssize_t f = 0; out != NULL && f < nf; f++) {
        PyObject *v = PyLong_FromSsize_t(counts[f]);
        if (v == NULL)
            Py_CLEAR(out);
        else
            PyTuple_SET_ITEM(out, f, v);
    }
    return out;
}

static PyObject *
ordered(PyObject *self, PyObject *edits)
{
    if (!PyList_Check(edits)) {
        PyErr_SetString(PyExc_TypeError, "edits must be a list");
        return NULL;
    }
    PyObject *prev = NULL;
    long long prev_v = 0;
    int prev_big = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(edits); k++) {
        PyObject *e = PyList_GET_ITEM(edits, k);
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) < 1 || !PyLong_CheckExact(PyTuple_GET_ITEM(e, 0)))
            Py_RETURN_FALSE; /* (sorted() says what such edits' order is) */
        PyObject *start = PyTuple_GET_ITEM(e, 0);
        int big;
        long long v = PyLong_AsLongLongAndOverflow(start, &big);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        if (prev != NULL) {
            int up;
            if (!big && !prev_big) {
                up = prev_v < v;
            } else if ((up = PyObject_RichCompareBool(prev, start, Py_LT)) < 0) {
                return NULL;
            }
            if (!up)
                Py_RETURN_FALSE;
        }
        prev = start; /* (borrowed: the list holds the edit) */
        prev_v = v;
        prev_big = big;
    }
    Py_RETURN_TRUE;
}

/* explain(text, edits, cls, names, limit): (changes, lines) for the edits
   (tuples (start, end, new, note, ...), 0 <= start <= end <= len(text),
   their starts not decreasing) of `text`: each edit's 1-based line, for
   every edit in `lines`, and for the first `limit` of them an instance of
   `cls` in `changes` whose __dict__ holds, under the five `names`, its
   line, its 1-based column, text[start:end], new and note -- what the
   __init__ of a dataclass of those fields sets (zhfix.result.Change),
   without calling it (a frozen dataclass's __init__ sets each field
   through object.__setattr__, ~0.9 us a change; a disguised page explains
   ~200 of them).  `cls` must make its instances with object's own __new__
   and keep them a __dict__. */
static PyObject *
explain(PyObject *self, PyObject *args)
{
    PyObject *text, *edits, *names;
    PyTypeObject *cls;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "OO!O!O!n:explain", &text, &PyList_Type, &edits, &PyType_Type, &cls,
                          &PyTuple_Type, &names, &limit))
        return NULL;
    if (ready(text) < 0)
        return NULL;
    if (PyTuple_GET_SIZE(names) != 5) {
        PyErr_SetString(PyExc_TypeError, "names must be a tuple of five str");
        return NULL;
    }
    for (Py_ssize_t f = 0; f < 5; f++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(names, f))) {
            PyErr_SetString(PyExc_TypeError, "names must be a tuple of five str");
            return NULL;
        }
    }
    int has_dict = cls->tp_dictoffset != 0;
#ifdef Py_TPFLAGS_MANAGED_DICT
    has_dict = has_dict || (cls->tp_flags & Py_TPFLAGS_MANAGED_DICT);
#endif
    if (cls->tp_new != PyBaseObject_Type.tp_new || !has_dict) {
        PyErr_SetString(PyExc_TypeError, "cls must make its instances with object.__new__ and keep a __dict__");
        return NULL;
    }
    PyObject *empty = PyTuple_New(0);
    PyObject *changes = PyList_New(0), *lines = PyList_New(0);
    if (empty == NULL || changes == NULL || lines == NULL)
        goto fail;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t line = 1, line_start = 0, pos = 0;
    /* (the list's size read at each edit: making an instance may run the
       cyclic GC, and a finalizer then may shorten the list; what is read of
       an edit is held before that) */
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(edits); k++) {
        PyObject *e = PyList_GET_ITEM(edits, k);
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) < 4) {
            PyErr_SetString(PyExc_TypeError, "each edit must be a tuple (start, end, new, note, ...)");
            goto fail;
        }
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(e, 0));
        if (start == -1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(e, 1));
        if (end == -1 && PyErr_Occurred())
            goto fail;
        if (!(pos <= start && start <= end && end <= n)) {
            PyErr_SetString(PyExc_ValueError, "edits must lie in the text, their starts in order");
            goto fail;
        }
        for (Py_ssize_t i = pos; i < start; i++) {
            if (PyUnicode_READ(kind, data, i) == '\n') {
                line++;
                line_start = i + 1;
            }
        }
        pos = start;
        PyObject *num = PyLong_FromSsize_t(line);
        if (num == NULL)
            goto fail;
        int bad = PyList_Append(lines, num);
        if (bad < 0 || PyList_GET_SIZE(changes) >= limit) {
            Py_DECREF(num);
            if (bad < 0)
                goto fail;
            continue;
        }
        PyObject *values[5] = {num, PyLong_FromSsize_t(start - line_start + 1), PyUnicode_Substring(text, start, end),
                               PyTuple_GET_ITEM(e, 2), PyTuple_GET_ITEM(e, 3)};
        Py_INCREF(values[3]);
        Py_INCREF(values[4]);
        PyObject *obj = NULL, *dict = NULL;
        bad = values[1] == NULL || values[2] == NULL;
        if (!bad)
            bad = (obj = cls->tp_new(cls, empty, NULL)) == NULL;
        if (!bad)
            bad = (dict = PyObject_GenericGetDict(obj, NULL)) == NULL;
        for (int f = 0; f < 5 && !bad; f++)
            bad = PyDict_SetItem(dict, PyTuple_GET_ITEM(names, f), values[f]) < 0;
        if (!bad)
            bad = PyList_Append(changes, obj) < 0;
        for (int f = 0; f < 5; f++)
            Py_XDECREF(values[f]);
        Py_XDECREF(dict);
        Py_XDECREF(obj);
        if (bad)
            goto fail;
    }
    Py_DECREF(empty);
    PyObject *out = PyTuple_Pack(2, changes, lines);
    Py_DECREF(changes);
    Py_DECREF(lines);
    return out;
fail:
    Py_XDECREF(empty);
    Py_XDECREF(changes);
    Py_XDECREF(lines);
    return NULL;
}

static PyObject *
freeze(PyObject *self, PyObject *obj)
{
    if (!plain_record(obj)) {
        PyErr_SetString(PyExc_TypeError, "freeze takes a tuple or a NamedTuple without a __dict__");
        return NULL;
    }
    int all = 1;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(obj) && all; k++)
        all = cycle_free(PyTuple_GET_ITEM(obj, k));
    if (all && PyObject_GC_IsTracked(obj))
        PyObject_GC_UnTrack(obj);
    Py_INCREF(obj);
    return obj;
}

/* best_route(text, words): jieba's maximum-probability route over `text`
   (zhfix.stages.model._best_route, its pure-Python twin): its get_DAG and
   calc as one pass from the right, the same sums in the same order, so the
   same float.  `words` (zhfix.stages.model.route_table) holds every key of
   jieba's FREQ, the words and their prefixes, as a trie in a hash table:

     24 bytes   "zhfixrt1", uint32 slots (a power of two, 8 to 2**26),
                uint32 nlp (1 to 0xFFFF), double alone (log(1) - log(total))
     slots      uint64 each: EMPTY (all ones), or lpi << 48 | (parent + 1) << 21 | c,
                the key's last character c, the slot of the key without it
                (0 for a key of one character: parent + 1 is 0 for the root)
                and lpi, 0 for a prefix that is no word, else the number of
                its log-probability in lp; a key's home slot is
                ((parent + 1) << 21 | c) * 0x9E3779B97F4A7C15 >> (64 - log2(slots)),
                then the next ones
     lp         nlp doubles, log(f) - log(total) for each frequency f (lp[0] unused)
     freq       nlp uint64, the frequencies (what the cache's check recomputes lp from)

   A key's slot is its number: a key is found from its parent's slot and its
   last character, one probe or two, with no string built, which is what
   makes the walk from each position (extend while the prefix is a key)
   cheap.  Whatever the bytes hold, the walk reads only inside them: a
   corrupt table gives a wrong number or ValueError, never a crash. */
#define ROUTE_MAGIC "zhfixrt1"
#define ROUTE_HEAD 24
#define ROUTE_EMPTY UINT64_C(0xFFFFFFFFFFFFFFFF)
#define ROUTE_KEY_MASK ((UINT64_C(1) << 48) - 1)

typedef struct {
    const uint64_t *slots;
    const double *lp;
    uint64_t mask;
    int shift;
    uint32_t nlp;
    double alone;
} routetable;

/* The route table in the buffer `view` (bytes, or the mmap of a cache file:
   any contiguous buffer); -1 (and an exception) if it is not one. */
static int
get_route_table(const Py_buffer *view, routetable *t)
{
    const char *bad = "words must be a table from zhfix.stages.model.route_table";
    const char *b = (const char *)view->buf;
    uint32_t size, nlp;
    if (view->len < ROUTE_HEAD || memcmp(b, ROUTE_MAGIC, 8) != 0) {
        PyErr_SetString(PyExc_ValueError, bad);
        return -1;
    }
    memcpy(&size, b + 8, 4);
    memcpy(&nlp, b + 12, 4);
    if (size < 8 || size > (UINT32_C(1) << 26) || (size & (size - 1)) || nlp < 1 || nlp > 0xFFFF ||
        (uint64_t)view->len != ROUTE_HEAD + (uint64_t)size * 8 + (uint64_t)nlp * 16) {
        PyErr_SetString(PyExc_ValueError, bad);
        return -1;
    }
    if ((uintptr_t)b % 8) { /* bytes and mmaps are; a buffer that is not is told so, not read amiss */
        PyErr_SetString(PyExc_ValueError, "words: the table is not aligned for uint64");
        return -1;
    }
    int bits = 0;
    while ((UINT32_C(1) << bits) < size)
        bits++;
    memcpy(&t->alone, b + 16, 8);
    t->slots = (const uint64_t *)(b + ROUTE_HEAD);
    t->lp = (const double *)(t->slots + size);
    t->mask = size - 1;
    t->shift = 64 - bits;
    t->nlp = nlp;
    return 0;
}

/* The slot of the key `parent` (a slot + 1, 0 for the root) extended by c; -1 if none. */
static inline int64_t
route_find(const routetable *t, uint64_t parent, Py_UCS4 c)
{
    uint64_t key = (parent << 21) | c;
    uint64_t h = (key * UINT64_C(0x9E3779B97F4A7C15)) >> t->shift;
    for (uint64_t probe = 0; probe <= t->mask; probe++, h = (h + 1) & t->mask) {
        uint64_t slot = t->slots[h];
        if (slot == ROUTE_EMPTY)
            return -1;
        if ((slot & ROUTE_KEY_MASK) == key)
            return (int64_t)h;
    }
    return -1;
}

/* log P of the characters s[0:n] (any kind, read through LOOP_KINDS's
   `kind` and `data`) under the route table t, into *out, with route[] room
   for n + 1 doubles; -1 for a corrupt table (nothing raised). */
static int
route_score(const routetable *t, int kind, const void *data, Py_ssize_t n, double *route, double *out)
{
    int corrupt = 0;
    route[n] = 0.0;
    LOOP_KINDS({
        for (Py_ssize_t idx = n - 1; idx >= 0 && !corrupt; idx--) {
            double best = 0.0;
            int found = 0;
            uint64_t parent = 0;
            /* jieba's get_DAG: extend while text[idx:i + 1] is in FREQ; a
               key with a frequency is a word, scored as calc does: each
               log-probability plus the route after it, the first of equal
               ones kept (calc's max over (value, end) keeps the same value) */
            for (Py_ssize_t i = idx; i < n; i++) {
                int64_t at = route_find(t, parent, s[i]);
                if (at < 0)
                    break;
                uint32_t lpi = (uint32_t)(t->slots[at] >> 48);
                if (lpi >= t->nlp) {
                    corrupt = 1;
                    break;
                }
                if (lpi) {
                    double v = t->lp[lpi] + route[i + 1];
                    if (!found || v > best) {
                        best = v;
                        found = 1;
                    }
                }
                parent = (uint64_t)at + 1;
            }
            if (!found) /* no word starts here: the character alone, frequency 1 */
                best = t->alone + route[idx + 1];
            route[idx] = best;
        }
    })
    *out = route[0];
    return corrupt ? -1 : 0;
}

static PyObject *
best_route(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_buffer view;
    routetable t;
    if (!PyArg_ParseTuple(args, "Oy*", &text, &view))
        return NULL;
    if (ready(text) < 0 || get_route_table(&view, &t) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    TEXT_VIEW(text);
    double small[257];
    double *route = small;
    if (n >= 256) {
        route = PyMem_Malloc(((size_t)n + 1) * sizeof(double));
        if (route == NULL) {
            PyBuffer_Release(&view);
            return PyErr_NoMemory();
        }
    }
    double out;
    int corrupt = route_score(&t, kind, data, n, route, &out) < 0;
    PyBuffer_Release(&view);
    if (route != small)
        PyMem_Free(route);
    if (corrupt) {
        PyErr_SetString(PyExc_ValueError, "words: a slot names no log-probability (a corrupt table)");
        return NULL;
    }
    return PyFloat_FromDouble(out);
}

/* The frequency of the two-character word a b in the route table t (0
   where it is no word; the freq numbers follow lp), as
   zhfix.stages.model._pair_frequency reads it; -1 for a corrupt table. */
static int
route_pair(const routetable *t, Py_UCS4 a, Py_UCS4 b, uint64_t *out)
{
    const uint64_t *freq = (const uint64_t *)(t->lp + t->nlp);
    int64_t at = route_find(t, 0, a);
    if (at >= 0)
        at = route_find(t, (uint64_t)at + 1, b);
    if (at < 0) {
        *out = 0;
        return 0;
    }
    uint64_t lpi = t->slots[at] >> 48;
    if (lpi >= t->nlp)
        return -1;
    *out = freq[lpi];
    return 0;
}

/* lex[key] (0 where it is no key: `get`'s default); -1 with an exception
   set; -2 (nothing set) for a value that is not an int of 64 bits, which
   the twin compares as Python does. */
static int
lex_value(PyObject *lex, PyObject *key, long long *out)
{
    PyObject *v = PyDict_GetItemWithError(lex, key);  /* (borrowed: read before the caller lets the key go) */
    if (v == NULL) {
        *out = 0;
        return PyErr_Occurred() ? -1 : 0;
    }
    if (!PyLong_CheckExact(v))
        return -2;
    int overflow = 0;
    *out = PyLong_AsLongLongAndOverflow(v, &overflow);
    return overflow ? -2 : 0;
}

/* lex_value() of the characters w[0:n] as a str. */
static int
lex_get(PyObject *lex, const Py_UCS4 *w, Py_ssize_t n, long long *out)
{
    PyObject *key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, w, n);
    if (key == NULL)
        return -1;
    int got = lex_value(lex, key, out);
    Py_DECREF(key);
    return got;
}

/* The longest candidate choose() builds words around (a longer one is left
   to the twin). */
#define CHOOSE_CAND_MAX 60

/* choose(left, candidates, right, lex, words): the candidate (an item of
   the tuple `candidates`) that makes the most frequent word with its
   neighbours, as zhfix.stages.model._choose_py decides it (its pure-Python
   twin, the same comparisons in the same order): for each candidate, the
   highest frequency in `lex` of a word of 2 to 4 characters made of k
   characters of `left`, the candidate and the rest of `right`, unless the
   pair at the word's edge (route_pair, in the route table `words`) is at
   least as frequent; then the candidate's own frequency; the first
   candidate of the highest (word, own) pair, (0, 0) keeping the first.
   NotImplemented where the twin must decide: a candidate that is not a
   str of at most CHOOSE_CAND_MAX characters, `lex` a dict subclass, a
   frequency that is not an int of 64 bits. */
static PyObject *
choose(PyObject *self, PyObject *args)
{
    PyObject *left, *cands, *right, *lex;
    Py_buffer view;
    routetable t;
    if (!PyArg_ParseTuple(args, "UO!UO!y*", &left, &PyTuple_Type, &cands, &right, &PyDict_Type, &lex, &view))
        return NULL;
    if (!PyDict_CheckExact(lex)) {  /* (a subclass's get or __missing__ is the twin's to call) */
        PyBuffer_Release(&view);
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (get_route_table(&view, &t) < 0 || ready(left) < 0 || ready(right) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    const Py_ssize_t nl = PyUnicode_GET_LENGTH(left), nr = PyUnicode_GET_LENGTH(right);
    const int kl = PyUnicode_KIND(left), kr = PyUnicode_KIND(right);
    const void *dl = PyUnicode_DATA(left), *dr = PyUnicode_DATA(right);
    const Py_ssize_t nc = PyTuple_GET_SIZE(cands);
    for (Py_ssize_t c = 0; c < nc; c++) {
        PyObject *cand = PyTuple_GET_ITEM(cands, c);
        if (!PyUnicode_Check(cand) || ready(cand) < 0 || PyUnicode_GET_LENGTH(cand) > CHOOSE_CAND_MAX) {
            PyBuffer_Release(&view);
            if (PyErr_Occurred())
                return NULL;
            Py_RETURN_NOTIMPLEMENTED;
        }
    }
    PyObject *best = nc ? PyTuple_GET_ITEM(cands, 0) : NULL;  /* (candidates[0], as the twin's) */
    long long best_word = 0, best_own = 0;
    Py_UCS4 w[3 + CHOOSE_CAND_MAX + 3];
    for (Py_ssize_t c = 0; c < nc; c++) {
        PyObject *cand = PyTuple_GET_ITEM(cands, c);
        const Py_ssize_t lc = PyUnicode_GET_LENGTH(cand);
        const int kc = PyUnicode_KIND(cand);
        const void *dc = PyUnicode_DATA(cand);
        long long word = 0, own;
        for (int size = 2; size <= 4; size++) {
            for (int k = 0; k < size; k++) {  /* k characters of left context */
                const int r = size - 1 - k;
                if (k > nl || r > nr)
                    continue;
                Py_ssize_t n = 0;
                for (Py_ssize_t i = nl - k; i < nl; i++)
                    w[n++] = PyUnicode_READ(kl, dl, i);
                for (Py_ssize_t i = 0; i < lc; i++)
                    w[n++] = PyUnicode_READ(kc, dc, i);
                for (Py_ssize_t i = 0; i < r; i++)
                    w[n++] = PyUnicode_READ(kr, dr, i);
                long long f;
                int got = lex_get(lex, w, n, &f);
                if (got == -2)
                    goto twin;
                if (got < 0)
                    goto fail;
                if (!f || f <= word)
                    continue;
                /* _split: a more frequent word of two at the word's edge */
                uint64_t pair = 0;
                if (k && k < nl) {
                    if (route_pair(&t, PyUnicode_READ(kl, dl, nl - k - 1), PyUnicode_READ(kl, dl, nl - k), &pair) < 0)
                        goto corrupt;
                    if (pair >= (uint64_t)f)  /* (f > word >= 0 here) */
                        continue;
                }
                if (r && r < nr) {
                    if (route_pair(&t, PyUnicode_READ(kr, dr, r - 1), PyUnicode_READ(kr, dr, r), &pair) < 0)
                        goto corrupt;
                    if (pair >= (uint64_t)f)
                        continue;
                }
                word = f;
            }
        }
        int got = lex_value(lex, cand, &own);  /* (the candidate itself: a str) */
        if (got == -2)
            goto twin;
        if (got < 0)
            goto fail;
        if (word > best_word || (word == best_word && own > best_own)) {
            best = cand;
            best_word = word;
            best_own = own;
        }
    }
    PyBuffer_Release(&view);
    if (best == NULL) {
        PyErr_SetString(PyExc_IndexError, "choose: no candidates");
        return NULL;
    }
    Py_INCREF(best);
    return best;
twin:
    PyBuffer_Release(&view);
    Py_RETURN_NOTIMPLEMENTED;
corrupt:
    PyErr_SetString(PyExc_ValueError, "words: a slot names no frequency (a corrupt table)");
fail:
    PyBuffer_Release(&view);
    return NULL;
}

/* best_routes(head, middles, tail, words) -> [best_route(head + m + tail,
   words) for m in middles] (middles a tuple or a list of str), each text
   put together in one buffer, not as a str. */
static PyObject *
best_routes(PyObject *self, PyObject *args)
{
    PyObject *head, *middles, *tail;
    Py_buffer view;
    routetable t;
    if (!PyArg_ParseTuple(args, "UOUy*", &head, &middles, &tail, &view))
        return NULL;
    if (ready(head) < 0 || ready(tail) < 0 || get_route_table(&view, &t) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    if (!PyTuple_Check(middles) && !PyList_Check(middles)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "best_routes: middles must be a tuple or a list");
        return NULL;
    }
    /* the middles read from a tuple (a list copied: no Python code run by a
       later allocation can change what is read), the list of scores made
       before they are measured */
    PyObject *seq = PySequence_Tuple(middles);
    if (seq == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(seq);
    PyObject *out = PyList_New(count);
    if (out == NULL) {
        Py_DECREF(seq);
        PyBuffer_Release(&view);
        return NULL;
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    Py_ssize_t nh = PyUnicode_GET_LENGTH(head), nt = PyUnicode_GET_LENGTH(tail), longest = 0;
    for (Py_ssize_t j = 0; j < count; j++) {
        if (!PyUnicode_Check(items[j]) || ready(items[j]) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "best_routes: middles must be str");
            Py_DECREF(out);
            Py_DECREF(seq);
            PyBuffer_Release(&view);
            return NULL;
        }
        if (PyUnicode_GET_LENGTH(items[j]) > longest)
            longest = PyUnicode_GET_LENGTH(items[j]);
    }
    size_t room = (size_t)(nh + longest + nt + 1);
    Py_UCS4 *buf = PyMem_New(Py_UCS4, room);
    double *route = PyMem_New(double, room);
    if (buf == NULL || route == NULL) {
        PyMem_Free(buf);
        PyMem_Free(route);
        Py_DECREF(out);
        Py_DECREF(seq);
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    if (PyUnicode_AsUCS4(head, buf, nh + 1, 0) == NULL)
        goto error;
    for (Py_ssize_t j = 0; j < count; j++) {
        Py_ssize_t nm = PyUnicode_GET_LENGTH(items[j]);
        if ((nm && PyUnicode_AsUCS4(items[j], buf + nh, nm, 0) == NULL)
                || (nt && PyUnicode_AsUCS4(tail, buf + nh + nm, nt, 0) == NULL))
            goto error;
        double score;
        if (route_score(&t, PyUnicode_4BYTE_KIND, buf, nh + nm + nt, route, &score) < 0) {
            PyErr_SetString(PyExc_ValueError, "words: a slot names no log-probability (a corrupt table)");
            goto error;
        }
        PyObject *f = PyFloat_FromDouble(score);
        if (f == NULL)
            goto error;
        PyList_SET_ITEM(out, j, f);
    }
    PyMem_Free(buf);
    PyMem_Free(route);
    Py_DECREF(seq);
    PyBuffer_Release(&view);
    return out;
error:
    PyMem_Free(buf);
    PyMem_Free(route);
    Py_DECREF(out);
    Py_DECREF(seq);
    PyBuffer_Release(&view);
    return NULL;
}

/* marks_in(text, spans, chars) -> the offsets of the characters of `chars`
   in text[a:b] for each (a, b) of `spans` (a list of pairs of ints, in the
   order of their starts; they may overlap), each once, in order: from each
   span, the part past the spans before it. */
static PyObject *
marks_in(PyObject *self, PyObject *args)
{
    PyObject *text, *spans, *chars;
    if (!PyArg_ParseTuple(args, "UO!U:marks_in", &text, &PyList_Type, &spans, &chars))
        return NULL;
    if (ready(text) < 0 || ready(chars) < 0)
        return NULL;
    charset marks;
    charset_init(&marks, chars);
    TEXT_VIEW(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t seen = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(spans); k++) {
        PyObject *span = PyList_GET_ITEM(spans, k);
        Py_ssize_t a, b;
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "marks_in: spans must be pairs (start, end)");
            goto error;
        }
        a = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
        if (a == -1 && PyErr_Occurred())
            goto error;
        b = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if (b == -1 && PyErr_Occurred())
            goto error;
        if (b <= seen)
            continue;
        Py_ssize_t lo = a > seen ? a : seen, hi = b < n ? b : n;
        if (lo < 0)
            lo = 0;
        seen = b;
        for (Py_ssize_t i = lo; i < hi; i++) {
            if (charset_has(&marks, PyUnicode_READ(kind, data, i))) {
                PyObject *at = PyLong_FromSsize_t(i);
                if (at == NULL || PyList_Append(out, at) < 0) {
                    Py_XDECREF(at);
                    goto error;
                }
                Py_DECREF(at);
            }
        }
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* code_pairs(text, start, end): the spans of the inline code that
   zhfix.loops.scan.INLINE_CODE_RE finds between start and end (a backtick
   not right after another, one or more characters that are neither a
   backtick nor a line break, a backtick not followed by another before
   end), as finditer(text, start, end) lists them; None where some backtick
   between start and end is in none of them (the caller pairs the runs of
   backticks then).  start and end are clamped to the text, as a regex's
   pos and endpos are; its look-behind reads the character before start. */
static PyObject *
code_pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t start, end;
    if (fc_nargs("code_pairs", nargs, 3, 3) < 0 || fc_ssize(args[1], &start) < 0 || fc_ssize(args[2], &end) < 0)
        return NULL;
    PyObject *text = args[0];
    if (ready(text) < 0)
        return NULL;
    TEXT_VIEW(text);
    if (start < 0)
        start = 0;
    if (end > n)
        end = n;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t ticks = 0, paired = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        if (PyUnicode_READ(kind, data, i) != '`')
            continue;
        ticks++;
        if (i > 0 && PyUnicode_READ(kind, data, i - 1) == '`')
            continue;  /* (?<!``) */
        Py_ssize_t j = i + 1;
        Py_UCS4 c = 0;
        while (j < end && (c = PyUnicode_READ(kind, data, j)) != '`' && c != '\n')
            j++;
        if (j == i + 1 || j == end || c != '`' || (j + 1 < end && PyUnicode_READ(kind, data, j + 1) == '`'))
            continue;  /* no code between, no closing backtick, or one followed by another */
        PyObject *span = Py_BuildValue("(nn)", i, j + 1);
        if (span == NULL || PyList_Append(out, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(span);
        ticks++;
        paired += 2;
        i = j;  /* the search goes on after the closing backtick */
    }
    if (paired != ticks) {
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    return out;
}

/* pick(cands, simps, near, limit) -> a tuple of the items cands[i] (a tuple
   or a list) whose simps[i] (one character per item) is one of the
   characters of near, in order, at most limit of them.  Near is hundreds
   of characters (a charset's filter by low byte would let most by), so it
   is marked in a bitmap of the BMP (cleared again before returning: no
   Python code runs in between); characters beyond it are looked for in
   near itself. */
static uint64_t pick_bmp[0x10000 / 64];

static PyObject *
pick(PyObject *self, PyObject *args)
{
    PyObject *cands, *simps, *near;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "OUUn:pick", &cands, &simps, &near, &limit))
        return NULL;
    if (!PyTuple_Check(cands) && !PyList_Check(cands)) {
        PyErr_SetString(PyExc_TypeError, "pick: cands must be a tuple or a list");
        return NULL;
    }
    if (ready(simps) < 0 || ready(near) < 0)
        return NULL;
    /* made before the candidates are read and the bitmap is marked: a new
       object may start the cyclic GC, whose finalizers may run Python code
       (a list grows without it) */
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(cands);
    if (PyUnicode_GET_LENGTH(simps) != n) {
        Py_DECREF(out);
        PyErr_SetString(PyExc_ValueError, "pick: simps must have one character per candidate");
        return NULL;
    }
    PyObject **items = PySequence_Fast_ITEMS(cands);
    Py_ssize_t m = PyUnicode_GET_LENGTH(near);
    int nkind = PyUnicode_KIND(near);
    const void *ndata = PyUnicode_DATA(near);
    int astral = 0;
    for (Py_ssize_t j = 0; j < m; j++) {
        Py_UCS4 c = PyUnicode_READ(nkind, ndata, j);
        if (c < 0x10000)
            pick_bmp[c >> 6] |= (uint64_t)1 << (c & 63);
        else
            astral = 1;
    }
    if (limit < 0)
        limit = 0;
    {
        int kind = PyUnicode_KIND(simps);
        const void *data = PyUnicode_DATA(simps);
        for (Py_ssize_t i = 0; i < n && PyList_GET_SIZE(out) < limit; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            int hit;
            if (c < 0x10000)
                hit = (pick_bmp[c >> 6] >> (c & 63)) & 1;
            else if (!astral)
                hit = 0;
            else {
                hit = 0;
                for (Py_ssize_t j = 0; j < m && !hit; j++)
                    hit = PyUnicode_READ(nkind, ndata, j) == c;
            }
            if (hit && PyList_Append(out, items[i]) < 0) {
                Py_CLEAR(out);
                break;
            }
        }
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        Py_UCS4 c = PyUnicode_READ(nkind, ndata, j);
        if (c < 0x10000)
            pick_bmp[c >> 6] = 0;
    }
    if (out == NULL)
        return NULL;
    PyObject *tuple = PyList_AsTuple(out);
    Py_DECREF(out);
    return tuple;
}

/* -- zhfix.fix_text's shortcut --------------------------------------------- */

/* Fixer(slow): zhfix.fix_text as a C callable, standing for the Python
   function `slow`.  Once ready() gave it zhfix.runner's class table and page
   facts, a call with one str and nothing else (the call a pipeline makes
   most) is answered here: ASCII text at once, as slow answers it; any other
   by its classes and facts (page()) and runner's verdict on them
   (calm_of(mask), kept here by mask): 1 (calm), or 2 (calm but for a spam
   header) where the facts' `headless` bit says the first line holds none,
   returns the text itself; any other page goes to after(text, mask), the
   rest of runner.fix_default.  Any other call (a config, keywords, a str
   subclass, before ready()) goes to slow(*args, **kwargs).  The Python
   frames of fix_text and fix_default cost as much as the scan of a short
   page of Chinese. */
#define CALM_SLOTS 64
#define CALM_BITS 6

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;    /* functools.update_wrapper's attributes (__doc__, __wrapped__...) */
    PyObject *weakrefs;
    PyObject *slow;
    PyObject *table;   /* NULL until ready() */
    PyObject *facts;
    PyObject *after;
    PyObject *calm_of;
    uint64_t headless;
    uint64_t calm_key[CALM_SLOTS];
    signed char calm[CALM_SLOTS];  /* calm_of's answer for calm_key, -1 where none is kept */
} Fixer;

static PyObject *
fixer_call(PyObject *obj, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Fixer *self = (Fixer *)obj;
    if (self->slow == NULL) {
        PyErr_SetString(PyExc_ValueError, "Fixer: cleared");
        return NULL;
    }
    if (PyVectorcall_NARGS(nargsf) != 1 || kwnames != NULL || self->table == NULL || !PyUnicode_CheckExact(args[0]))
        return PyObject_Vectorcall(self->slow, args, nargsf, kwnames);
    PyObject *text = args[0];
    if (ready(text) < 0)
        return NULL;
    if (PyUnicode_IS_ASCII(text)) {
        Py_INCREF(text);
        return text;
    }
    uint64_t mask;
    if (page_facts(text, self->table, (const uint32_t *)PyBytes_AS_STRING(self->table),
                   (const uint64_t *)PyBytes_AS_STRING(self->facts), &mask) < 0)
        return NULL;
    const unsigned int slot = (unsigned int)((mask * 0x9E3779B97F4A7C15ull) >> (64 - CALM_BITS)) & (CALM_SLOTS - 1);
    int calm;
    if (self->calm[slot] >= 0 && self->calm_key[slot] == mask) {
        calm = self->calm[slot];
    } else {
        PyObject *m = PyLong_FromUnsignedLongLong(mask), *calm_of = self->calm_of;
        if (m == NULL)
            return NULL;
        Py_INCREF(calm_of);  /* (held while it runs, as `after` below) */
        PyObject *answer = PyObject_CallOneArg(calm_of, m);
        Py_DECREF(calm_of);
        Py_DECREF(m);
        if (answer == NULL)
            return NULL;
        if (calm_of != self->calm_of) {  /* ready() again meanwhile: the answer is not the new verdict's */
            Py_DECREF(answer);
            return PyObject_Vectorcall(self->slow, args, nargsf, kwnames);
        }
        long v = PyLong_AsLong(answer);
        Py_DECREF(answer);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        if (v < 0 || v > 2) {
            PyErr_SetString(PyExc_ValueError, "Fixer: calm_of must answer 0, 1 or 2");
            return NULL;
        }
        calm = (int)v;
        self->calm_key[slot] = mask;
        self->calm[slot] = (signed char)calm;
    }
    if (calm == 1 || (calm == 2 && (mask & self->headless))) {
        Py_INCREF(text);
        return text;
    }
    PyObject *m = PyLong_FromUnsignedLongLong(mask);
    if (m == NULL)
        return NULL;
    PyObject *after = self->after;
    Py_INCREF(after);  /* (held while it runs: a ready() inside it may replace it) */
    PyObject *pair[2] = {text, m};
    PyObject *out = PyObject_Vectorcall(after, pair, 2, NULL);
    Py_DECREF(after);
    Py_DECREF(m);
    return out;
}

static PyObject *
fixer_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *slow;
    if ((kwds != NULL && PyDict_GET_SIZE(kwds)) || !PyArg_ParseTuple(args, "O:Fixer", &slow))
        return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_TypeError, "Fixer() takes no keyword arguments");
    if (!PyCallable_Check(slow))
        return PyErr_Format(PyExc_TypeError, "Fixer(slow): slow must be callable");
    Fixer *self = (Fixer *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->vectorcall = fixer_call;
    Py_INCREF(slow);
    self->slow = slow;
    memset(self->calm, -1, sizeof self->calm);
    return (PyObject *)self;
}

static int
fixer_traverse(Fixer *self, visitproc visit, void *arg)
{
    Py_VISIT(self->dict);
    Py_VISIT(self->slow);
    Py_VISIT(self->table);
    Py_VISIT(self->facts);
    Py_VISIT(self->after);
    Py_VISIT(self->calm_of);
    return 0;
}

static int
fixer_clear(Fixer *self)
{
    Py_CLEAR(self->dict);
    Py_CLEAR(self->slow);
    Py_CLEAR(self->table);
    Py_CLEAR(self->facts);
    Py_CLEAR(self->after);
    Py_CLEAR(self->calm_of);
    return 0;
}

static void
fixer_dealloc(Fixer *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakrefs != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    fixer_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ready(table, facts, after, calm_of, headless): what the shortcut reads
   (zhfix.runner.ready_fixer gives it); its kept verdicts forgotten. */
static PyObject *
fixer_ready(Fixer *self, PyObject *args)
{
    PyObject *table, *facts, *after, *calm_of;
    unsigned long long headless;
    const uint32_t *t;
    const uint64_t *f;
    if (!PyArg_ParseTuple(args, "OOOOK:ready", &table, &facts, &after, &calm_of, &headless)
        || get_table(table, &t) < 0 || get_facts(facts, &f) < 0)
        return NULL;
    if (!PyCallable_Check(after) || !PyCallable_Check(calm_of))
        return PyErr_Format(PyExc_TypeError, "ready(): after and calm_of must be callable");
    PyObject *old[4] = {self->table, self->facts, self->after, self->calm_of};
    Py_INCREF(table);
    Py_INCREF(facts);
    Py_INCREF(after);
    Py_INCREF(calm_of);
    self->table = table;
    self->facts = facts;
    self->after = after;
    self->calm_of = calm_of;
    self->headless = headless;
    memset(self->calm, -1, sizeof self->calm);
    for (int k = 0; k < 4; k++)
        Py_XDECREF(old[k]);
    Py_RETURN_NONE;
}

/* Pickled (a multiprocessing pool's map) as the global its __qualname__
   names in its __module__, as a function is. */
static PyObject *
fixer_reduce(PyObject *self, PyObject *unused)
{
    return PyObject_GetAttrString(self, "__qualname__");
}

/* A method descriptor, as a function is (inspect and pydoc document it as
   a routine): bound to an instance, a method, as the function would be. */
static PyObject *
fixer_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static PyMethodDef fixer_methods[] = {
    {"ready", (PyCFunction)fixer_ready, METH_VARARGS, "ready(table, facts, after, calm_of, headless): what the shortcut reads"},
    {"__reduce__", fixer_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef fixer_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject FixerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "zhfix.loops._speedups.Fixer",
    .tp_basicsize = sizeof(Fixer),
    .tp_dealloc = (destructor)fixer_dealloc,
    .tp_vectorcall_offset = offsetof(Fixer, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Fixer(slow): zhfix.fix_text's shortcut for a page no stage changes (see ready())",
    .tp_traverse = (traverseproc)fixer_traverse,
    .tp_clear = (inquiry)fixer_clear,
    .tp_methods = fixer_methods,
    .tp_getset = fixer_getset,
    .tp_descr_get = fixer_get,
    .tp_dictoffset = offsetof(Fixer, dict),
    .tp_weaklistoffset = offsetof(Fixer, weakrefs),
    .tp_new = fixer_new,
};

static PyMethodDef methods[] = {
    {"classes", (PyCFunction)(void (*)(void))classes, METH_FASTCALL, "classes(text, table[, placed, before, after]) -> OR of table[c] over text, the placed bits only where positions() finds one"},
    {"count", count, METH_VARARGS, "count(text, table, bits) -> characters with any of bits"},
    {"counts", (PyCFunction)(void (*)(void))counts, METH_FASTCALL, "counts(text, table, masks) -> count() of each mask (at most 8), one pass"},
    {"positions", (PyCFunction)(void (*)(void))positions, METH_FASTCALL, "positions(text, table, bits, before=0, after=0) -> offsets"},
    {"runs_holding", runs_holding, METH_VARARGS, "runs_holding(text, table, bits, need) -> the runs of characters with any of bits that hold one with any of need, joined by newlines"},
    {"select", select_chars, METH_VARARGS, "select(text, table, bits) -> the characters with any of bits"},
    {"punct_places", punct_places, METH_VARARGS,
     "punct_places(text, table, half, chinese, han) -> offsets of marks and parentheses in Chinese, in order"},
    {"enclosed", enclosed, METH_VARARGS, "enclosed(text, starts, close, limit, known, missing=None[, table, bits, before, after, first]) -> [(start - 1, known value or the enclosed string)]; with the list missing, None values left out and unknown strings appended to it too (the same objects); starts None: the offsets positions(text, table, bits, before, after) gives, from first on"},
    {"page", (PyCFunction)(void (*)(void))page, METH_FASTCALL, "page(text, table, facts) -> classes with the placed bits as classes() keeps them, and the bits of the facts that hold (zhfix.loops.scan.page)"},
    {"runs", (PyCFunction)(void (*)(void))runs, METH_FASTCALL, "runs(text, table, bits, min_len) -> [(start, end)] of the runs around them"},
    {"splice", splice, METH_VARARGS, "splice(text, edits) -> text with the sorted edits (start, end, new, ...) applied"},
    {"common_pairs", common_pairs, METH_VARARGS, "common_pairs(a, b[, table, bits]) -> (different pairs in a, of them in b (b's characters with bits alone, given a table))"},
    {"distinct", distinct, METH_VARARGS, "distinct(text, table, bits, limit) -> different characters, up to limit"},
    {"term_counts", term_counts, METH_VARARGS, "term_counts(text, table, bits, pairs, groups[, split]) -> {term: count} (or two, split)"},
    {"translate", translate, METH_VARARGS, "translate(text, bmp, astral) -> mapped text"},
    {"t2s_places", t2s_places, METH_VARARGS, "t2s_places(text, bulk, places, groups, candidates, defaults, memo, counted=False, given=None) -> (text, decisions), or (text, how many) when counted; (None, pending places) when a choice is neither given nor in the memo"},
    {"substitute", substitute, METH_VARARGS, "substitute(text, places, mapping, skip[, table, half, chinese, han]) -> (text with mapping[c] at each place, how many, the places of skip, left as they are); places None: punct_places' offsets"},
    {"annotation_splice", annotation_splice, METH_VARARGS, "annotation_splice(text, found, whole_at, flag_at) -> (text with annotation_edits' edits applied, how many, the rest)"},
    {"script_lines", script_lines, METH_VARARGS, "script_lines(text, table, simp_bits, trad_bits, prose) -> (lines of 3+ simplified and no traditional, of 3+ traditional and no simplified), among lines with a prose mark"},
    {"marks_after_han", marks_after_han, METH_VARARGS, "marks_after_han(text, table, half, han) -> halfwidth marks after Han"},
    {"pair_counts", pair_counts, METH_VARARGS, "pair_counts(text) -> a pair table: how often each pair of neighbouring characters occurs"},
    {"flag_counts", flag_counts, METH_VARARGS, "flag_counts(found, fields) -> for each field, how many pairs (start, shape) of found have shape[field] true"},
    {"explain", explain, METH_VARARGS, "explain(text, edits, cls, names, limit) -> (changes, lines): each edit's line, and for the first `limit` an instance of cls holding (line, column, before, after, note) under `names`"},
    {"ordered", ordered, METH_O, "ordered(edits) -> whether the edits' starts (ints) strictly increase: the list is as sorted() orders it"},
    {"freeze", freeze, METH_O, "freeze(record) -> record, kept from the cyclic GC if its items are strings, numbers or such records (only for a class that lives as long as the program)"},
    {"slot_best", slot_best, METH_VARARGS, "slot_best(simps, memo, before, cands, after, pairs, window, weight, missing) -> the two highest (memo[simp] + echo, cand), highest first; None, the simps without a score appended to missing, if there are any"},
    {"pick", pick, METH_VARARGS, "pick(cands, simps, near, limit) -> the cands[i] whose simps[i] is a character of near, in order, at most limit"},
    {"best_routes", best_routes, METH_VARARGS, "best_routes(head, middles, tail, words) -> [best_route(head + m + tail, words) for m in middles]"},
    {"code_pairs", (PyCFunction)(void (*)(void))code_pairs, METH_FASTCALL, "code_pairs(text, start, end) -> the spans of INLINE_CODE_RE's matches between start and end, or None where a backtick there is in none"},
    {"marks_in", marks_in, METH_VARARGS, "marks_in(text, spans, chars) -> offsets of the characters of chars in each span (a, b), each once, in order"},
    {"choose", choose, METH_VARARGS, "choose(left, candidates, right, lex, words) -> the candidate making the most frequent word with its neighbours (zhfix.stages.model._choose_py); NotImplemented where the twin must decide (a candidate not a str of at most 60 characters, lex a dict subclass, a frequency not an int of 64 bits)"},
    {"best_route", best_route, METH_VARARGS, "best_route(text, words) -> log P(text) under jieba's best segmentation, words a table from zhfix.stages.model.route_table"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "zhfix._speedups", "zhfix's per-character loops in C", -1, methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    if (PyType_Ready(&FixerType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&FixerType);
    if (PyModule_AddObject(m, "Fixer", (PyObject *)&FixerType) < 0) {
        Py_DECREF(&FixerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

