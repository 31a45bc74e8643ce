"""Prompts are files, rendered strictly: a missing or empty variable is an error, never a blank."""

import pytest

from assist.bootstrap import packaged_prompts_dir
from assist.core.prompts import load_prompt
from assist.errors import PromptError


def test_every_prompt_renders_strictly():
    folder = packaged_prompts_dir()
    names = [p.stem for p in folder.glob("*.md")]
    assert names
    for name in names:
        prompt = load_prompt(folder, name)
        system, user = prompt.render(**{v: f"<{v}>" for v in prompt.variables})
        assert "{" not in system + user
        with pytest.raises(PromptError):
            prompt.render()
        one_missing = {v: "x" for v in sorted(prompt.variables)[1:]}
        with pytest.raises(PromptError):
            prompt.render(**one_missing)
