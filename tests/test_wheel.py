"""The Linux wheel as a user gets it (scripts/check-wheel.sh): built, repaired
by auditwheel to a manylinux wheel, installed where no compiler can run, it
is the compiled build and repairs the in-the-wild page; and `pip install .`
without a compiler installs the pure-Python build, which says so.

Wheels for macOS and Windows are built and tested by cibuildwheel
(.github/workflows/wheels.yml); only the Linux one can be checked here."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "check-wheel.sh"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux wheels only")


def test_check_wheel_script(tmp_path):
    if not os.environ.get("CI"):  # (under CI nothing is skipped: a missing tool fails)
        if not (shutil.which("cc") or shutil.which("gcc")):
            pytest.skip("no C compiler here")
        try:
            import auditwheel  # noqa: F401
        except ImportError:
            pytest.skip("auditwheel not installed (pip install -e '.[test]')")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZHFIX_PURE", "CC")}
    env["PYTHON"] = sys.executable
    r = subprocess.run(["bash", str(SCRIPT), str(tmp_path)], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL, timeout=600)
    out = r.stdout
    print(out)
    assert r.returncode == 0, out[-4000:] + r.stderr[-4000:]
    # (auditwheel wraps its lines where a wheel's name is long)
    assert 'consistent with the following platform tag: "manylinux' in " ".join(out.split())
    [repaired] = (tmp_path / "wheelhouse").glob("zhfix-*.whl")
    assert "manylinux" in repaired.name
    lines = out.splitlines()
    versions = [line for line in lines if re.match(r"zhfix \d+\.\d+\.\d+ \(", line)]  # (--version)
    assert len(versions) == 2, versions
    assert versions[0].endswith(" (compiled)"), versions
    assert "(pure Python: no C extension was built" in versions[1], versions
    assert lines[-1].endswith("all checks passed")
