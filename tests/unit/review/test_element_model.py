"""The sentence reader of an authorisation's parts (review.element_model): fitted on a handful of letters written here
it learns what states a part, round-trips through its artefact file, joins the rules only past its bars (adding a part
with the sentence it read, taking one away with where it looked), and a broken file is named."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assist.errors import ConfigError
from assist.review.checks.elements import find_elements
from assist.review.element_model import ElementModel, ElementReading, units
from assist.training.letter_elements import fit_elements, read_authorisations
from tests.unit.review.conftest import doc

TIES = ["他是我表哥", "她系我堂妹", "他是我老同学", "她是我多年的老邻居", "他是我们店的伙计", "他是我干爹",
        "她是我工友", "他是我同村的发小", "她是我姐姐", "他是我战友"]
OTHER = ["我在某某借了两万块", "最近手头紧还不上", "催收电话太多了", "请你们不要再打电话", "我想分期还款",
         "家里老人住院了", "工资这个月晚发", "我会按时还的", "谢谢你们", "麻烦尽快回复"]


def _write_letters(root: Path) -> None:
    (root / "W1").mkdir(parents=True)
    rows = []
    for i, (tie, other) in enumerate(zip(TIES, OTHER)):
        name = f"W1-{i:03d}.txt"
        text = f"委托书\n{other}。\n我委托王小{i}替我办理分期。\n{tie}。\n委托人（签字）：李某\n2027年3月{i + 1}日\n"
        (root / "W1" / name).write_text(text, encoding="utf-8")
        rows.append({"file": name, "kind": "authorisation", "posing": False, "legit": True,
                     "elements": {"principal": "李某", "agent": f"王小{i}", "relationship": tie, "scope": "替我办理分期",
                                  "term": None, "signature": "委托人（签字）：李某", "date": f"2027年3月{i + 1}日",
                                  "licence": None}})
    (root / "W1" / "labels.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                              encoding="utf-8")


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> ElementModel:
    root = tmp_path_factory.mktemp("letters")
    _write_letters(root)
    return fit_elements(read_authorisations(root), parts=("relationship", "scope"))


def test_a_part_no_letter_states_cannot_be_learned(tmp_path):
    _write_letters(tmp_path)
    with pytest.raises(ConfigError, match="'term'"):
        fit_elements(read_authorisations(tmp_path), parts=("term",))


def test_units_are_the_sentences_with_their_offsets():
    text = "第一句。第二句；\n  第三句\n\n"
    assert [text[a:b] for a, b in units(text)] == ["第一句", "第二句", "第三句"]


def test_it_learns_which_sentence_states_the_tie(model):
    s = model.scores("委托书\n我想分期还款。\n他是我表哥。\n")
    assert s["relationship"].p > 0.5
    assert "表哥" in "委托书\n我想分期还款。\n他是我表哥。\n"[s["relationship"].start:s["relationship"].end]
    assert model.scores("委托书\n我想分期还款。\n催收电话太多了。\n")["relationship"].p < 0.5


def test_the_artefact_round_trips(model, tmp_path):
    path = tmp_path / "elements.npz"
    model.save(path)
    again = ElementModel.load(path)
    text = "委托书\n他是我老同学。\n"
    assert abs(again.scores(text)["relationship"].p - model.scores(text)["relationship"].p) < 1e-4


def test_a_broken_artefact_is_named(model, tmp_path):
    path = tmp_path / "elements.npz"
    model.save(path)
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files if k != "relationship.coef"}
    np.savez(path, **arrays)
    with pytest.raises(ConfigError) as e:
        ElementModel.load(path)
    assert "elements.npz" in str(e.value) and "relationship.coef" in str(e.value)


LETTER = "委托书\n本人李某，身份证110101199001011234。\n我委托王大明替我办理分期。\n他是我的老战友。\n委托人（签字）：李某\n2027年3月1日\n"


def test_the_model_adds_a_part_only_past_its_bar_and_says_so(model):
    rules = find_elements(doc("委托书\n我委托王大明替我办理分期。\n他跟我一块扛过枪。\n"))
    assert not rules["relationship"].found
    sure = ElementReading(model, add=0.0, drop=-1.0)       # adds whatever it scores
    added = find_elements(doc("委托书\n我委托王大明替我办理分期。\n他跟我一块扛过枪。\n"), sure)["relationship"]
    assert added.found and added.by == "model" and added.quote
    never = ElementReading(model, add=1.01, drop=-1.0)
    assert not find_elements(doc("委托书\n我委托王大明替我办理分期。\n他跟我一块扛过枪。\n"), never)["relationship"].found


def test_the_model_takes_a_part_away_only_below_its_bar_and_says_where_it_looked(model):
    assert find_elements(doc(LETTER))["relationship"].found
    keep = find_elements(doc(LETTER), ElementReading(model, add=1.01, drop=-1.0))["relationship"]
    assert keep.found and keep.by == "rules"
    gone = find_elements(doc(LETTER), ElementReading(model, add=1.01, drop=1.0))
    assert not gone["relationship"].found and gone["relationship"].by == "model" and "逐句" in gone["relationship"].where
    # a part whose absence is a warning (here the scope) is never taken away, however low the model scores it
    assert gone["scope"].found and gone["scope"].by == "rules"


HARVEST = "委托书\n我委托王大明替我去银行办分期。\n从今儿起到秋收完事儿都算数。\n委托人（签字）：李某\n2027年3月1日\n"


def test_the_shipped_model_reads_a_term_the_rules_miss_through_the_service(tmp_path):
    """The production path (build_review_service): the shipped element model adds the term the rules do not know how
    to read, quoting its sentence; with the rules alone the term is reported missing."""
    from assist.bootstrap import build_review_service, element_reading
    from assist.errors import ConfigError
    from assist.settings import Settings
    from testkit.fakes import ScriptedOcr

    assert not find_elements(doc(HARVEST))["term"].found             # the rules alone miss it
    svc = build_review_service(Settings(data_dir=tmp_path / "a"), ocr=ScriptedOcr([]))
    try:
        r = svc.review(HARVEST.encode("utf-8"), "letter.txt")
    finally:
        svc.close()
    term = next(e for e in r.elements if e.name == "term")
    assert r.kind == "authorisation" and term.found and term.by == "model" and "秋收" in term.quote
    assert "auth.term_missing" not in {f.check for f in r.findings}
    rules_only = Settings(data_dir=tmp_path / "b", documents={"kind_rules_only": True})
    assert element_reading(rules_only) is None
    with pytest.raises(ConfigError) as err:
        element_reading(Settings(documents={"element_model": str(tmp_path / "absent.npz")}))
    assert "documents.element_model" in str(err.value)
