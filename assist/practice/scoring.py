"""How a trainee's replies are scored in practice mode: compliance (the guard), the elements the situation requires
(what an approved script for this kind of caller would contain), and closeness to the approved scripts the assistant
suggests at that moment; and the summary at the end of a call."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_NAMES = {"intermediary": "第三方代理（收费中介）", "coached": "被代理机构教唆的借款人本人", "victim": "被代理机构坑害的借款人",
               "genuine": "真实借款人（有困难或情绪激动）", "legit_rep": "合法代理人（律师/有授权的亲属）"}

# What a good handling of each kind of caller contains (any keyword of an element counts). Drawn from the staff
# guides: verify before disclosing, authorisation documents, call back on the registered number, free direct
# negotiation, victim protection, empathy and concrete options for a genuine borrower.
ELEMENTS: dict[str, tuple[str, str]] = {
    "verify": ("核实身份或授权", r"核实|确认.{0,4}身份|本人|身份证后|验证|授权|委托书|执业证|律师证"),
    "callback": ("回拨预留号码", r"回拨|预留.{0,4}(手机|号码|电话)|登记的.{0,4}(号码|手机)|打给.{0,4}本人"),
    "authorisation": ("要求授权材料", r"授权|委托书|执业证|律师证|律所.{0,6}(函|电话|总机)"),
    "free_direct": ("告知可免费直接协商", r"免费|直接(和|与|跟)?我们|不需要.{0,4}中介|无需.{0,4}中介|不用.{0,4}(找|交钱|付费)"),
    "options": ("给出还款协商方案", r"分期|协商|延期|还款(计划|方案|安排)|方案|减轻|困难"),
    "empathy": ("体谅与安抚", r"理解|明白|别着急|不着急|抱歉|辛苦|您放心|我们一起"),
    "protect": ("受害者保护（证据、报警、止损）", r"报警|110|96110|保留.{0,4}(证据|记录|凭证|聊天)|不要再.{0,4}(付|转|交)|止损"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "intermediary": ("verify", "callback"),
    "coached": ("free_direct", "options"),
    "victim": ("protect", "empathy"),
    "genuine": ("empathy", "options"),
    "legit_rep": ("authorisation", "verify"),
}


@dataclass
class ReplyScore:
    reply: str
    violations: list[str]
    elements: list[str]
    similarity: float | None
    reference: str
    reference_title: str

    def feedback(self) -> str:
        lines = ["【合规】通过" if not self.violations else "【合规问题】" + "；".join(self.violations)]
        if self.elements:
            lines.append("【做到了】" + "、".join(ELEMENTS[e][0] for e in self.elements))
        if self.similarity is not None:
            lines.append(f"【接近度】{self.similarity:.2f}，与推荐话术相比（参考《{self.reference_title}》：{self.reference}）")
        return "\n".join(lines)


@dataclass
class PracticeSummary:
    label: str
    label_name: str
    score: int
    handled_well: list[str]
    missed: list[str]
    violations: list[str]
    mean_similarity: float | None
    hint_category: str

    def text(self) -> str:
        out = [f"本次来电的真实类型：{self.label_name}（风险提示最后判断：{self.hint_category}）", f"得分：{self.score}/100"]
        out.append("做得好的：" + ("、".join(self.handled_well) or "暂无"))
        out.append("遗漏的：" + ("、".join(self.missed) or "无"))
        if self.violations:
            out.append("合规问题：" + "；".join(self.violations))
        if self.mean_similarity is not None:
            out.append(f"与推荐话术的平均接近度：{self.mean_similarity:.2f}")
        return "\n".join(out)


def summarise(label: str, scores: list[ReplyScore], hint_category: str) -> PracticeSummary:
    """The summary of a call's replies: 40 points for compliance (20 off per violation), 40 for the required
    elements covered, 20 for closeness to the suggested scripts (similarity 0.80 to 0.95)."""
    covered = {e for r in scores for e in r.elements}
    required = REQUIRED.get(label, ())
    well = [ELEMENTS[e][0] for e in required if e in covered]
    missed = [ELEMENTS[e][0] for e in required if e not in covered]
    violations = [v for r in scores for v in r.violations]
    sims = [r.similarity for r in scores if r.similarity is not None]
    mean_sim = sum(sims) / len(sims) if sims else None
    compliance = 40 if not violations else max(0, 40 - 20 * len(violations))
    coverage = 40 * (len(well) / len(required)) if required else 40
    closeness = 20 * min(1.0, max(0.0, ((mean_sim or 0.80) - 0.80) / 0.15))
    return PracticeSummary(label, LABEL_NAMES.get(label, label), int(round(compliance + coverage + closeness)),
                           well, missed, violations, mean_sim, hint_category)
