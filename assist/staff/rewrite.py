"""Optional LLM adaptation of an approved script to the conversation, always behind the compliance guard:
a generated reply that fails falls back to the script, and the reason is logged (masked)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from assist.core.pii import mask
from assist.core.prompts import Prompt
from assist.ports import ChatModel, TokenCounter
from assist.risk.types import Turn
from assist.staff.guard import check

log = logging.getLogger("assist.staff.rewrite")


@dataclass(frozen=True)
class Rewrite:
    text: str
    adapted: bool
    note: str          # why the script was kept, when it was


SITUATIONS = {"intermediary": "疑似第三方代理来电", "coached": "疑似受人指导的借款人", "victim": "借款人可能是代理机构的受害者",
              "none": "普通来电"}


class ReplyRewriter:
    """Rewrites the best approved script for this conversation with a chat model; the guard has the last word."""

    def __init__(self, model: ChatModel, prompt: Prompt, counter: TokenCounter, prompt_budget: int) -> None:
        self.model = model
        self.prompt = prompt
        self.counter = counter
        self.budget = prompt_budget

    def _transcript(self, turns: Sequence[Turn], fixed: int) -> str:
        """Most recent turns that fit the token budget (older ones are dropped first)."""
        lines: list[str] = []
        used = fixed
        for t in reversed(turns):
            line = ("来电人：" if t.speaker == "caller" else "坐席：") + mask(t.text)
            n = self.counter.count(line) + 1
            if used + n > self.budget:
                break
            lines.append(line)
            used += n
        return "\n".join(reversed(lines)) or "（无）"

    def rewrite(self, script: str, turns: Sequence[Turn], situation: str, verified: bool) -> Rewrite:
        base = {"situation": SITUATIONS.get(situation, situation), "verified": "是" if verified else "否",
                "script": script, "transcript": "-"}
        sys_t, user_t = self.prompt.render(**base)
        fixed = self.counter.count(sys_t) + self.counter.count(user_t)
        system, user = self.prompt.render(**{**base, "transcript": self._transcript(turns, fixed)})
        try:
            text = self.model.complete(system, user)
        except Exception as exc:  # any transport or provider failure must leave the approved script in place
            log.warning("LLM adaptation failed (%s); showing the approved script", type(exc).__name__)
            return Rewrite(script, False, f"模型调用失败（{type(exc).__name__}），使用标准话术")
        text = text.strip().strip("“”\"")
        if not text:
            return Rewrite(script, False, "模型无输出，使用标准话术")
        verdict = check(text, caller_verified=verified)
        if not verdict.ok:
            log.warning("LLM reply failed the compliance guard: %s", mask(verdict.reasons()))
            return Rewrite(script, False, f"改写未通过合规检查：{verdict.reasons()}")
        return Rewrite(text, True, "")
