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


def _naming_examples() -> list:
    """Pasted calls of three look-alike schemes that differ only in who the caller says they are at the start."""
    from assist.training.text_models import ScamExample

    openings = {"fake_customer_service": "您好，这里是某宝客服中心，", "identity_theft": "喂，这里是国家身份信息管理中心，",
                "phishing": "您好，我是银联安全部门的专员，"}
    bodies = ["您的账户有异常交易，请提供身份证号和银行卡号核实。", "为了您的资金安全，需要您配合验证身份信息。",
              "我们检测到可疑的登录，请告诉我您的卡号后六位。", "请您马上提供开户时预留的手机号和身份证号码。",
              "系统显示您的账户存在风险，需要尽快核实一下。", "如果不配合核实，账户可能会被冻结。"]
    return [ScamExample(f"对话是这样的：\n对方：{o}{b}\n我：真的吗？\n对方：{bodies[(k + 1) % 6]}\n这是诈骗吗？", True, (s,),
                        1.0, "test") for s, o in openings.items() for k, b in enumerate(bodies)]


def test_the_naming_head_reads_the_opening_and_survives_the_artefact(tmp_path, small_model):
    from assist.consumer.scams import evidence_of
    from assist.training.text_models import train_naming_head

    model, _ = small_model
    examples = _naming_examples()
    head, info = train_naming_head(examples, [evidence_of(e.message) for e in examples], model.idf, C=10, folds=3)
    assert head is not None and info["messages"] == 18 and 0.0 <= info["weight"] <= 1.0
    model.naming = head
    path = tmp_path / "with_head.npz"
    model.save(path)
    loaded = ScamModel.load(path, LABELS)
    assert loaded.naming is not None and loaded.naming.labels == head.labels
    text = evidence_of("对方：喂，这里是国家身份信息管理中心，有人冒用您的名义办了卡，请配合核实。").text
    p = loaded.naming_scores(text)
    assert max(p, key=lambda s: p[s]) == "identity_theft" and abs(sum(p.values()) - 1.0) < 1e-6
    model.naming = None
    assert ScamModel.load(_saved(model, tmp_path / "without.npz"), LABELS).naming is None   # older files still load


def _saved(model: ScamModel, path):
    model.save(path)
    return path


def test_one_scheme_alone_gives_no_naming_head(small_model):
    from assist.consumer.scams import evidence_of
    from assist.training.text_models import train_naming_head

    model, _ = small_model
    examples = [e for e in _naming_examples() if e.schemes == ("phishing",)]
    head, info = train_naming_head(examples, [evidence_of(e.message) for e in examples], model.idf, C=10, folds=3)
    assert head is None and info == {}


def test_the_semantic_layer_alone_needs_a_scam_like_message(tmp_path):
    """A scheme only the semantic layer sees is not named when the n-gram layer finds the message far from a scam
    (a genuine refund call); without the n-gram layer the semantic layer still speaks."""
    from assist.adapters.embedders import HashEmbedder
    from assist.consumer.scam_classifier import SEMANTIC_LABELS, SEMANTIC_SCAM_FLOOR, semantic_rule_features
    from assist.consumer.text_model import LinearTextModel

    model = scam_model(Settings(data_dir=tmp_path))                     # the shipped one
    emb = HashEmbedder(16)
    n = 16 + len(semantic_rule_features("x"))
    always = LinearTextModel("scams", SEMANTIC_LABELS, np.zeros((len(SEMANTIC_LABELS), n)),
                             np.asarray([10.0 if s == "fake_customer_service" else -10.0 for s in SEMANTIC_LABELS]),
                             {}, emb.name, "test", {})
    genuine = "我在淘宝买的衣服退货了，客服打电话说退款三个工作日内原路退回，不需要我操作什么。"
    assert ScamClassifier(model).probabilities(genuine)["scam"] < SEMANTIC_SCAM_FLOOR
    assert ScamClassifier(model, always, emb).check(genuine) is None
    v = ScamClassifier(None, always, emb).check(genuine)
    assert v is not None and v.primary == "fake_customer_service"
