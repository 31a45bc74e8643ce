"""Checks on a hardship certificate (失业、疾病、贫困证明…): who issued it and how to verify it with the issuer.

A certificate cannot be judged from its text. What helps staff is knowing whom to ask and how: call the issuer on
a number found independently (official website, the 12345 government hotline, directory enquiries), never on the
number printed on the certificate, which may be answered by whoever made it. Waves of near-identical certificates
are found by the similarity check, not here."""

from __future__ import annotations

import re

from assist.review.checks.evidence import LENDER, dates, finding
from assist.review.policy import ReviewPolicy
from assist.review.types import Finding, ReadDocument, Severity

_ISSUER = re.compile(r"[\u4e00-\u9fa5]{2,24}?(社区居民委员会|居民委员会|村民委员会|居委会|村委会|社区服务中心|街道办事处|人民政府|"
                     r"社区卫生服务中心|人民医院|中医院|医院|卫生院|诊所|派出所|公安局|民政局|人力资源和社会保障局|人社局|"
                     r"人民调解委员会|调解委员会|调解中心|调解室|司法所|有限责任公司|股份有限公司|有限公司|公司|学校|"
                     # a government bureau by its place: "城关区文化旅游局", "某县市场监督管理局"
                     r"(?<=[省市区县州旗])[\u4e00-\u9fa5]{2,14}局)")
_KIND_OF_ISSUER = (
    ("community", re.compile(r"居民委员会|村民委员会|居委会|村委会|社区服务中心|街道办事处|人民政府")),
    ("mediation", re.compile(r"调解委员会|调解中心|调解室|司法所")),
    ("medical", re.compile(r"医院|卫生院|诊所|卫生服务中心")),
    ("police", re.compile(r"派出所|公安局")),
    ("government", re.compile(r"民政局|人力资源和社会保障局|人社局")),
    ("employer", re.compile(r"公司|学校")),
)
_ADVICE = {
    "community": "向该居（村）委会核实是否出具过此证明、经办人是谁、所述困难是否属实。",
    "mediation": "向当地司法行政部门（司法局、司法所）核实该调解组织是否依法设立、是否出具过此证明；自称“调解中心”的公司不是人民调解组织。",
    "medical": "向该医院医务科或病案室核实是否有此患者的就诊或住院记录、证明是否由该院出具、开具医生是否在职。",
    "police": "公安机关一般不出具经济困难类证明，且曾有伪造公安证明的案例：请交专人向当地公安机关核实。",
    "government": "向该部门核实是否出具（低保、特困身份可在民政部门核实）。",
    "employer": "向该单位人事部门核实劳动关系是否解除、解除时间，以及证明是否由其出具。",
}
_INDEPENDENT = "联系出具单位请用独立查到的号码（官方网站、12345政务服务热线、114查号），不要拨打证明上印的电话。"
_SUBJECT = (("失业", re.compile(r"失业|下岗|解除劳动|离职|裁员|停产|倒闭")),
            ("疾病", re.compile(r"疾病|诊断|住院|病情|手术|治疗|患有|重病")),
            ("贫困", re.compile(r"贫困|低保|特困|困难|收入微薄|无力")))
_PHONE = re.compile(r"(联系电话|电话|联系方式|座机|手机|热线)[:：]?\s*((?:\+?86[\s-]?)?[0-9０-９][0-9０-９\-—\s]{6,18}[0-9０-９])")
_SEAL = re.compile(r"盖章|公章|（章）|\(章\)|印章|签章|专用章")


def check_certificate(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    """Findings for a hardship certificate: the issuer and how to verify, a printed phone number, missing parts."""
    text = doc.text
    out: list[Finding] = []
    subjects = [name for name, pat in _SUBJECT if pat.search(text)]
    what = "、".join(subjects) + "证明" if subjects else "证明"
    issuer = _pick_issuer(doc)
    if issuer is None:
        out.append(finding(doc, "cert.issuer_missing", "warn", f"这份{what}找不到出具单位的名称：无法核实，请要求提供出具单位"
                           "并由专人核实。（查找了全文中以居委会、村委会、医院、派出所、公司等结尾的单位名称。）",
                           signal=policy.signal_for("cert.issuer_missing")))
    else:
        name, start, end = issuer
        kind = next((k for k, pat in _KIND_OF_ISSUER if pat.search(name)), "employer")
        severity: Severity = "warn" if kind == "police" else "info"
        out.append(finding(doc, f"cert.verify_{kind}", severity, f"{what}的出具单位：{name}。{_ADVICE[kind]}{_INDEPENDENT}",
                           start, end, signal=policy.signal_for("cert.verify")))
    for m in _PHONE.finditer(text):
        # most real certificates print a number: the advice (never verify through it) is a note, not a suspicion
        out.append(finding(doc, "cert.printed_phone", "info", "证明上印有联系电话：核实时不要拨打这个号码，另行查找出具单位的"
                           "公开电话。", m.start(), m.end(), signal=policy.signal_for("cert.printed_phone")))
    if not _SEAL.search(text):
        out.append(finding(doc, "cert.seal_missing", "info", "文字中没有“盖章/公章”字样：扫描件看不出印章真伪，必要时要求原件。"
                           "（查看了全文的“盖章、公章、（章）、专用章”等字样。）"))
    if not dates(text):
        out.append(finding(doc, "cert.date_missing", "info", "证明没有出具日期。（查看了全文中的年月日写法。）"))
    return out


def _pick_issuer(doc: ReadDocument) -> tuple[str, int, int] | None:
    """The issuing organisation: the one named in the closing lines (where it signs and seals), else the first named."""
    # the lender a certificate is shown to ("将其在瑞丰消费金融股份有限公司的债务…") never issued it
    matches = [m for m in _ISSUER.finditer(doc.text) if not LENDER.search(m.group(0))]
    if not matches:
        return None
    starts = doc.starts
    tail_from = starts[max(0, len(starts) - 5)]
    tail = [m for m in matches if m.start() >= tail_from]
    m = tail[-1] if tail else matches[0]
    name = re.sub(r"^(兹证明|兹有|特此证明|出具单位|证明单位|单位|落款|盖章)[:：]?", "", m.group(0))
    return name, m.end() - len(name), m.end()
