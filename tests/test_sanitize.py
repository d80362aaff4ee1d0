"""The C loops under AddressSanitizer and UndefinedBehaviorSanitizer
(scripts/sanitize.sh): their tests pass against a
sanitized build, so a read past a buffer, a use after free or an overflow
in them fails the suite rather than waiting for a review to find it."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "sanitize.sh"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the script builds with gcc on Linux")


def test_the_c_loops_pass_their_tests_under_asan_and_ubsan():
    if not os.environ.get("CI") and not (shutil.which(os.environ.get("CC", "gcc"))):
        pytest.skip("no C compiler here")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZHFIX_PURE", "LD_PRELOAD")}
    env["PYTHON"] = sys.executable
    r = subprocess.run(["bash", str(SCRIPT), "tests/test_speedups.py"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                       timeout=900)
    if r.returncode == 77:  # (no compiler or sanitizer runtime: under CI that is a failure, said so)
        assert not os.environ.get("CI"), "CI has no gcc with libasan/libubsan: " + r.stderr
        pytest.skip(r.stderr.strip())
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-6000:]
    assert "-fsanitize=address,undefined build of zhfix.loops._speedups" in r.stdout
    last = r.stdout.splitlines()[-1]
    assert re.search(r"\d+ passed", last) and not re.search(r"\d+ (failed|error)", last), last
