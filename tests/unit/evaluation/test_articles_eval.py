"""`assist eval --suite retrieval --corpus DIR --questions FILE`: a user measures article retrieval on their own
collection (here: synthetic statutes and questions written for the tests, hashing embedder)."""

from __future__ import annotations

import json

import pytest

from assist.bootstrap import eval_context, shipped_datasets
from assist.errors import AssistError, KnowledgeError
from assist.evaluation.articles import load_article_cases
from assist.evaluation.harness import run_suites
from testkit.helpers import write
from testkit.statutes import write_questions, write_statutes


def test_article_questions_against_a_corpus_folder(hash_settings, tmp_path):
    corpus = write_statutes(tmp_path / "laws")
    questions = write_questions(tmp_path / "q.jsonl")
    run = run_suites(eval_context(hash_settings, shipped_datasets(), corpus=corpus, questions=questions), ["retrieval"])
    m = run.metrics()
    assert m["retrieval.articles.questions"] == 4 and m["retrieval.articles.unscorable"] == 1
    for k in ("recall@5.all", "mrr.all", "law@5.all", "recall@5.voice_consumer", "recall@1.style_short"):
        assert m[f"retrieval.articles.{k}"] is not None
    assert 0 < m["retrieval.articles.recall@10.all"] <= 1
    cases = {c.id: c for c in run.suites[0].cases}
    assert cases["s5"].outcome == "unscorable" and "不存在的法" in cases["s5"].reason
    assert cases["s2"].details["expected"] == ["示例消费信贷服务办法#第六条"]   # 第6条 read as 第六条
    assert run.settings["corpus"] == str(corpus)
    # the corpus got its own index beside the main one; the main index is untouched
    assert not (hash_settings.data_dir / "manifest.json").exists()
    assert list((hash_settings.data_dir / "corpora").iterdir())


@pytest.mark.parametrize("line,field", [('{"id": "a", "question": "q", "law": "x"}', "articles"),
                                        ('{"id": "a", "question": "q", "law": "x", "articles": ["十三"]}', "articles"),
                                        ('{"id": "a", "question": "", "law": "x", "articles": ["第一条"]}', "question")])
def test_a_bad_question_line_names_its_line_and_field(tmp_path, line, field):
    p = write(tmp_path / "q.jsonl", json.dumps({"id": "ok", "question": "q", "law": "x", "articles": ["第一条"]},
                                               ensure_ascii=False) + "\n" + line + "\n")
    with pytest.raises(KnowledgeError) as e:
        load_article_cases(p)
    assert e.value.line == 2 and e.value.field == field


def test_the_command_line_needs_questions_for_a_corpus(hash_settings, tmp_path, monkeypatch):
    import argparse

    from assist.edges.cli.evaluation import cmd_eval

    monkeypatch.setattr("assist.edges.cli.evaluation.settings_of", lambda args: hash_settings)
    args = argparse.Namespace(suite=["retrieval"], data=None, out=str(tmp_path / "out"), compare=None, gate=None,
                              split=None, quiet=True, corpus=str(tmp_path), questions=None)
    with pytest.raises(AssistError, match="--questions"):
        cmd_eval(args)


def test_shipped_article_question_sets_are_valid():
    from testkit.helpers import REPO

    folder = REPO / "eval" / "datasets" / "statutes"
    sizes = {p.name: len(load_article_cases(p)) for p in sorted(folder.glob("*.jsonl"))}
    assert sizes == {"questions_dev.jsonl": 90, "questions_test.jsonl": 70}
    laws = {c.law for p in folder.glob("*.jsonl") for c in load_article_cases(p)}
    assert len(laws) >= 15
