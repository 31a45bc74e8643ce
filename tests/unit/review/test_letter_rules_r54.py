"""Document review rules from round fifty-four's misses (L168-L171; scored once on 2993951, then tuned on),
table-driven, on letters written here. Kind: a spoken grant ("她拍板了就算我拍板了") and one through an in-law
("让我小舅子某某替我跟你们整") are authorisations; asking the lender ("想请贵司帮我审核") entrusts no one; an angry
borrower's letter to the collectors ("你们那帮催收的听着") is a complaint; a certificate or a fee slip under a letterhead
with its department, address, serial number or a bracketed remark takes its title from under them. Posing: an agency
calling itself a 协调会 is high. Reading: a lunar month and day without 农历 (腊月, 正月, 初/廿) in a dashed sign-off and
under the signature; a full name after a greeting in a message typed with spaces."""

from __future__ import annotations

import pytest

from assist.review.checks import classify
from tests.unit.review.conftest import doc, elements, highs


@pytest.mark.parametrize("text,kind", [
    ("姥爷说的 我打的字\n\n某某借的 你们听好了 我是张小林 借你们钱的就是我 这阵子我心脏不得劲 打今儿往后这个账你们就找俺家老李 "
     "李小琴 她跟你们唠 她拍板了就算我拍板了 我认 一直到这笔钱还清为止\n\n张小林（按手印）\n", "authorisation"),
    ("某某分期客服你好 我是借款人张小林 我耳朵背 你们电话打过来我听不清 我这笔账让我小舅子李小军替我跟你们整 电话13842293056 "
     "要啥材料你们跟他要 ——张小林\n", "authorisation"),
    ("某某消费金融有限公司 客服中心：\n我是借款人郑小欣，借款合同号JS2026110587。\n现在月供扛不住了，想正式申请个性化分期。\n"
     "借款人确实有困难的，可以申请延期还款，所以想请贵司帮我审核一下：剩下的本金改成24期还。\n郑小欣\n2027年8月1日\n", "complaint"),
    ("某某借 你们那帮催收的听着\n\n我张小林活了六十六了 没让人这么骂过 你们那个姓马的昨晚十点给我打电话 张嘴就骂 还说要上小区门口贴告示 "
     "我欠钱我认 我啥时候说不还了 这个月的钱我已经还上了 你们再敢骂一句试试\n张小林\n", "complaint"),
    ("某某州康和医院\n住院部　骨科\n地址：某某市解放路302号　　电话：0930-6327710\nNo. 2027-0612-0381\n\n诊 断 证 明 书\n\n"
     "姓名：马小海　　性别：男　　年龄：41岁\n临床诊断：右桡骨远端骨折。\n建议休息三个月。\n医师：王某某\n2027年6月12日\n", "certificate"),
    ("某某职工债务互助协调会\n（工会系统职工互助组织）\n会员服务收费单（收据联）\nNo. 0000588\n\n会员姓名：张小林\n"
     "互助会费（年度） 1980.00\n协调费 600.00\n合计 2580.00\n收款人：孟某某\n2027年5月16日\n", "other"),
])
def test_kinds_said_in_new_ways(text, kind):
    assert classify(doc(text)) == kind


def test_an_agency_calling_itself_a_coordination_association_is_high(policy):
    text = ("委托说明\n某某分期客服部：\n你们好，我是某某职工债务互助协调会的协调员于小波。周小梅大姐是我们会第0693号会员。"
            "周大姐本人委托我们某某职工债务互助协调会替她跟你们协商这笔欠款，都由我们会对接，请你们不要再给周大姐本人打电话。\n"
            "某某职工债务互助协调会 协调员 于小波\n2027年6月21日\n")
    assert highs(policy, text)


@pytest.mark.parametrize("text,part,present", [
    ("某某分期客服你好 我是借款人张小林 我这笔账让我小舅子李小军替我跟你们整 他说的就代表我 别老给我打了 ——张小林 腊月二十三\n",
     "date", True),
    ("某某分期客服你好 我是借款人张小林 我这笔账让我小舅子李小军替我跟你们整 他说的就代表我 别老给我打了 ——张小林 腊月二十三\n",
     "signature", True),
    ("我就委托赵小顺替我上你们那去 把这车贷整明白 这个委托从腊月十八到正月底\n\n委托人：张小林（摁手印）\n腊月十八\n", "date", True),
    ("短信  发给：某某贷贷后专员\n2027年8月18日 20:36\n\n陆专员你好 我郑小欣 某某贷那笔1.5w的\n我让我老爸郑小华全权帮我跟你们对接\n",
     "principal", True),
    # a greeting then words that are not a name
    ("陆专员你好 我自己的事 想问一下\n我让我老爸郑小华全权帮我跟你们对接\n", "principal", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
