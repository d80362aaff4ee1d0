#!/usr/bin/env bash
# Run the tests of zhfix's C loops against an ASan/UBSan build of them.
#
#   1. copy src/, tests/, fixtures/, bench/ and pyproject.toml to a temporary
#      directory (this checkout's own build of the extension is left alone);
#   2. build zhfix/loops/_speedups.c there with
#      -fsanitize=address,undefined -fno-omit-frame-pointer (and
#      -fno-sanitize-recover: any undefined behaviour stops the run);
#   3. run tests/test_speedups.py and tests/test_fixtures.py (every fixture
#      repaired through the loops) there, libasan preloaded, leaks not
#      reported (CPython's own allocations would be), every object from
#      malloc, stopping at the first error the sanitizers find.
#
# Usage: PYTHON=.venv/bin/python scripts/sanitize.sh [pytest arguments]
# PYTHON (default python3) is an environment with zhfix's test dependencies
# (pip install -e ".[test]").  Needs gcc (or CC) with libasan and libubsan
# (on Debian and Ubuntu the gcc package brings them).  Exit status: pytest's;
# 77 when the compiler or the sanitizer runtime is missing.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
CC=${CC:-gcc}

if ! command -v "$CC" >/dev/null 2>&1; then
    echo "sanitize.sh: no C compiler ($CC)" >&2
    exit 77
fi
ASAN=$("$CC" -print-file-name=libasan.so)
UBSAN=$("$CC" -print-file-name=libubsan.so)
if [ ! -e "$ASAN" ] || [ ! -e "$UBSAN" ]; then
    echo "sanitize.sh: $CC has no libasan.so or libubsan.so" >&2
    exit 77
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$REPO/src" "$REPO/tests" "$REPO/fixtures" "$REPO/bench" "$REPO/pyproject.toml" "$WORK/"
find "$WORK/src" -name '_speedups*.so' -delete
# (a sanitized build is several times slower: no hypothesis deadline there)
cat >> "$WORK/tests/conftest.py" <<'PY'

from hypothesis import settings as _settings

_settings.register_profile("sanitize", deadline=None)
_settings.load_profile("sanitize")
PY

INC=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['include'])")
SUF=$("$PY" -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
"$CC" -shared -fPIC -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -ffp-contract=off -I"$INC" "$WORK/src/zhfix/loops/_speedups.c" -o "$WORK/src/zhfix/loops/_speedups$SUF"

if [ $# -eq 0 ]; then
    set -- tests/test_speedups.py tests/test_fixtures.py
fi
cd "$WORK"
# (PYTHONMALLOC=malloc: every object from malloc, where ASan sees its bounds,
# not from pymalloc's pools)
# (their reports go to files, shown at the end: pytest holds stderr)
export LD_PRELOAD="$ASAN" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path="$WORK/asan" \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path="$WORK/ubsan" PYTHONMALLOC=malloc
unset ZHFIX_PURE
# (the sanitized build must be the one in use: a pure-Python run would pass unchecked)
PYTHONPATH="$WORK/src" "$PY" -c "import sys, zhfix.loops.scan as s; sys.exit(s.build_info() != 'compiled')" || {
    echo "sanitize.sh: the sanitized build does not load" >&2
    exit 1
}
echo "sanitize.sh: $CC -fsanitize=address,undefined build of zhfix.loops._speedups; pytest $*"
status=0
"$PY" -m pytest -q -p no:cacheprovider -x "$@" || status=$?
for report in "$WORK"/asan.* "$WORK"/ubsan.*; do
    [ -e "$report" ] && { cat "$report" >&2; status=${status/#0/1}; }
done
exit "$status"
