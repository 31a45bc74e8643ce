"""The short version of bench/load.py that CI runs: two `assist serve` workers on PostgreSQL with a Chroma server,
3 calls sending a turn every 4 s and the consumer widget's 20 clients, all over real HTTP. It checks that the
deployment serves every turn and message (no errors) and that the JSON report has its shape; speed is the bench's
business (README, "Capacity"), never a test's."""

import json
import os
import subprocess
import sys

import pytest

from testkit.helpers import REPO

PG = os.environ.get("ASSIST_TEST_PG_URL")


def test_quick_load_bench_on_the_reference_deployment(tmp_path):
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
        pytest.skip("no PostgreSQL (set ASSIST_TEST_PG_URL)")
    out = tmp_path / "load.json"
    run = subprocess.run([sys.executable, str(REPO / "bench" / "load.py"), "--quick", "--pg", PG, "--out", str(out)],
                         capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    (deployment,) = result["runs"]
    assert deployment["workers"] == 2 and deployment["chroma"] == "server" and deployment["live_state"] == "database"
    step = deployment["steps"][0]
    assert step["errors"] == 0 and step["turns"] == 3 * 3 and step["p95_ms"] > 0
    assert deployment["consumer"]["answered"] == 200 and deployment["consumer"]["errors"] == 0
