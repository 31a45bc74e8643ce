import subprocess
import sys

from conftest import REPO


def test_package_is_mypy_clean():
    out = subprocess.run([sys.executable, "-m", "mypy", "assist", "--ignore-missing-imports", "--no-incremental"],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:]
