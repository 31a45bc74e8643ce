"""The CI gate: the fast suites against the floors and ceilings in eval/thresholds.toml, with the bundled embedder,
the shipped models and the shipped datasets. The quality floors live in that file and nowhere else."""

from assist.bootstrap import eval_context, shipped_datasets
from assist.evaluation.gate import check_gate, load_thresholds
from assist.evaluation.harness import FAST_SUITES, run_suites, write_run
from testkit.helpers import REPO


def test_ci_gate_on_the_shipped_datasets(e5_index, tmp_path):
    run = run_suites(eval_context(e5_index, shipped_datasets()), FAST_SUITES)
    write_run(run, tmp_path)
    failures = check_gate(run.metrics(), load_thresholds(REPO / "eval" / "thresholds.toml"), set(FAST_SUITES))
    assert not failures, "\n".join(f.message() for f in failures)
    assert run.metrics()["attacks.leak_rate"] == 0.0
    assert (tmp_path / "report.html").is_file() and (tmp_path / "results.json").is_file()
