"""Shared by the review tests: the review policy built the production way, and a letter typed as plain text read
the way an upload is read."""

from __future__ import annotations

import pytest

from assist.bootstrap import build_review_service, document_budgets
from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from assist.review.reader import read_document
from assist.settings import DocumentSettings, Settings
from testkit.fakes import ScriptedOcr

BUDGETS = document_budgets(DocumentSettings())


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    """The review policy built the production way (signals.yaml, rules with the domain terms)."""
    svc = build_review_service(Settings(data_dir=tmp_path_factory.mktemp("policy")), ocr=ScriptedOcr([]))
    yield svc.policy
    svc.close()


def doc(text: str):
    """A letter typed as plain text, read as an uploaded .txt file is."""
    return read_document(text.encode("utf-8"), "letter.txt", ocr=ScriptedOcr([]), office=None,  # type: ignore[arg-type]
                         max_bytes=10**6, budgets=BUDGETS)


def elements(text: str) -> dict[str, bool]:
    """Which parts of an authorisation review finds in the letter."""
    return {k: v.found for k, v in find_elements(doc(text)).items()}


def serious(policy, text: str, levels: tuple[str, ...] = ("high", "warn")) -> list[str]:
    """The checks of the findings at the given severities (high and warn: what staff are asked to act on)."""
    return [f.check for f in run_checks(doc(text), policy)[1] if f.severity in levels]


def highs(policy, text: str) -> list[str]:
    """The checks of the high findings."""
    return serious(policy, text, ("high",))
