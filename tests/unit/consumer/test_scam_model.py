"""The scam check's learned layer: hashed n-gram features, training, the artefact envelope, and how the model and the
rules decide together."""

import json

import numpy as np
import pytest

from assist.bootstrap import packaged_model, scam_model
from assist.consumer.scam_classifier import LABELS, ScamClassifier
from assist.consumer.scam_model import DIM, ScamModel, ngram_buckets, tfidf
from assist.errors import ConfigError
from assist.settings import Settings
from assist.training.text_models import scam_examples, train_scam_model
from testkit.helpers import REPO


def test_features_are_deterministic_and_digits_generalise():
    a = ngram_buckets("对方让我交3000元保证金")
    b = ngram_buckets("对方让我交5000元保证金")
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert a[0].min() >= 0 and a[0].max() < DIM
    assert len(ngram_buckets("")[0]) == 0
    idx, w = tfidf("安全账户", np.ones(DIM))
    assert abs(float(np.sqrt((w * w).sum())) - 1.0) < 1e-9 and len(idx) == len(set(idx.tolist()))


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    rows = [json.loads(x) for x in (REPO / "eval" / "training" / "scams_train.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    model = train_scam_model(scam_examples(rows[::2], "scams_train", 1.0), {"scams_train.jsonl": "test"}, C=10, folds=2)
    path = tmp_path_factory.mktemp("scam-model") / "scam_model.npz"
    model.save(path)
    return model, path


def test_training_learns_and_the_artefact_round_trips(small_model):
    model, path = small_model
    assert model.labels == LABELS and all(0.5 <= t < 1.0 for t in model.thresholds.values())
    loaded = ScamModel.load(path, LABELS)
    clf_a, clf_b = ScamClassifier(model), ScamClassifier(loaded)
    scam = "有人打电话说交3000服务费就能帮我停息挂账，让我先别还款"
    benign = "我想提前还款，在App里怎么操作？"
    pa, pb = clf_a.probabilities(scam), clf_b.probabilities(scam)
    assert all(abs(pa[k] - pb[k]) < 1e-2 for k in pa)                 # float16 storage, same decisions
    assert pa["scam"] > clf_a.probabilities(benign)["scam"]
    assert loaded.info["messages"] == {"scams_train": 140} and loaded.data_hash


def test_a_model_for_other_labels_is_refused_with_the_file_named(small_model):
    _, path = small_model
    with pytest.raises(ConfigError) as err:
        ScamModel.load(path, LABELS[:-1])
    assert str(path) in err.value.describe() and "train-scams" in err.value.describe()


def test_an_unreadable_model_file_falls_back_to_the_rules(tmp_path):
    s = Settings(data_dir=tmp_path)
    (tmp_path / "scam_model.npz").write_bytes(b"not a model")
    assert scam_model(s) is None                                        # logged; the rules still answer


def test_the_shipped_model_loads_without_any_embedder():
    m = ScamModel.load(packaged_model("scam_model.npz"), LABELS)
    assert m.info["messages"]["teleantifraud"] > 1000                     # trained on the benchmark's train split


@pytest.mark.parametrize("message,scheme", [
    ("有个自称快递理赔客服的人说我的包裹丢了，要赔我三倍，让我在备用金里借一笔钱走流程", "parcel_claim"),
    ("群里的老师天天推荐股票，说跟着他稳赚不赔，让我下载一个平台充值", "investment"),
    ("电话里说我儿子在他们手上，让我马上转十万，不许报警", "kidnapping"),
    ("收到短信说我中了节目的二等奖，领奖要先交个人所得税和公证费", "lottery"),
])
def test_the_shipped_check_names_the_new_schemes(message, scheme, tmp_path):
    v = ScamClassifier(scam_model(Settings(data_dir=tmp_path))).check(message)
    assert v is not None and v.primary == scheme and v.schemes[0]["red_flags"]


def test_without_a_verdict_of_the_model_the_rules_still_take_the_urgent_path(tmp_path):
    clf = ScamClassifier(scam_model(Settings(data_dir=tmp_path)))
    assert clf.check("收到一条短信：【某银行】您尾号1234的借记卡支出268元，余额4105元。这个正常吗？") is None
    v = clf.check("我刚刚已经把验证码发给他了怎么办")
    assert v is not None and v.urgent
