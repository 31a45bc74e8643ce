"""Small synthetic statutes, written for the tests in our own words (no real statutory text), laid out the way law
databases export them: a `# title` line, a line on its adoption, chapters as `##` headings, one article per paragraph,
numbered items （一）（二）. With a digest that cites one of them and a question file over them."""

from __future__ import annotations

import json
from pathlib import Path

from testkit.helpers import doc, write

LENDING = """# 示例消费信贷服务办法

2030年1月1日 示例委员会通过

<!-- INFO END -->

## 第一章 总 则

第一条 为了规范示例消费信贷服务，保护借款人合法权益，制定本办法。

第二条 本办法所称借款人，是指向贷款机构申请消费贷款的自然人。

## 第二章 催收行为

第三条 贷款机构催收欠款，不得以暴力或者其他方法威胁借款人。

第四条 贷款机构不得向借款人以外的第三人披露借款人的欠款信息，但借款人同意的除外。

第五条 贷款机构每日联系同一借款人不得超过三次，不得在晚上九点至次日八点之间联系借款人。

## 第三章 利息与费用

第六条 贷款利率不得超过合同成立时一年期贷款市场报价利率的四倍。

利息不得预先在本金中扣除。预先扣除的，按照实际出借的金额返还借款并计算利息。

第七条 贷款机构收取费用，应当事先书面告知借款人下列事项：

（一）收费项目；

（二）收费标准；

（三）收费依据。

贷款机构未告知的，借款人有权拒绝支付该项费用。

第八条 借款人提前返还借款的，按照实际借款的期间计算利息。

第八条之一 借款人对逾期记录有异议的，可以向贷款机构提出，贷款机构应当在十五日内核查并答复。
"""

PRIVACY = """示例个人资料保护条例

第一条 为了保护个人资料，制定本条例。

第二条 处理个人资料应当取得本人同意。

第三条 任何组织不得出售或者非法向他人提供个人资料。

第四条 个人有权查阅、复制其个人资料；资料不准确的，有权要求更正。
"""

DIGEST_BODY = """## 规定要点

- 催收时不能把欠款情况告诉借款人的亲戚、朋友、同事，也就是不能爆通讯录（示例消费信贷服务办法第四条）。

## 坐席须知

- 客户说催收打给了他的家人，记录并上报。
"""

QUESTIONS = [
    {"id": "s1", "question": "催收的人能不能打给我家里人说我欠钱", "law": "示例消费信贷服务办法", "articles": ["第四条"],
     "voice": "consumer", "style": "colloquial"},
    {"id": "s2", "question": "借钱的时候先把利息扣掉合法吗", "law": "示例消费信贷服务办法", "articles": ["第6条"],
     "voice": "consumer", "style": "colloquial"},
    {"id": "s3", "question": "有人把我的资料卖给别人", "law": "示例个人资料保护条例", "articles": ["第三条"],
     "voice": "consumer", "style": "short"},
    {"id": "s4", "question": "提前还款利息怎么算", "law": "示例消费信贷服务办法", "articles": ["第八条"], "voice": "staff",
     "style": "short"},
    {"id": "s5", "question": "这部法律不在库里", "law": "不存在的法", "articles": ["第一条"]},
]


def write_statutes(folder: Path) -> Path:
    """Two statutes without front matter (one Markdown, one plain text) in ``folder``."""
    write(folder / "示例消费信贷服务办法.md", LENDING)
    write(folder / "示例个人资料保护条例.txt", PRIVACY)
    return folder


def write_digest(folder: Path) -> Path:
    """A regulation digest (front matter) that cites article 4 of the lending statute, in the words people use."""
    return write(folder / "reg-demo-third-party.md", doc(
        "reg-demo-third-party", "示例办法：不得向第三人透露欠款", DIGEST_BODY, kind="regulation", audience="all",
        tags="[爆通讯录, 打给家人, 亲戚朋友]",
        extra="source: {law: 示例消费信贷服务办法, articles: [第四条], effective: 2030-01-01}\n"))


def write_questions(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    return path
