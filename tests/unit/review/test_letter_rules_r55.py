"""Document review rules from round fifty-five's misses (L172-L175; scored once on ff390eb, then tuned on),
table-driven, on letters written here. Safety: a lawyer asked with "我请…律师事务所的…律师" is at that firm, so no
"lawyer without a firm" warning. Kind: an agency's letter saying the member "已正式委托本会全权代理" is the agency
speaking, a complaint; a notice to an agency's "调解当事人" is "other"; a grant said as "他讲的就是我讲的", "这笔账从现在
起交给我男人…", "以后我的这个账的事情你们跟我老婆…说" is an authorisation; a hospital's header with its 住院号 and 科室
lines stands above the certificate's title. Reading: the agent's errand ("他给你们送材料"), an agency's "律所执业许可证号"
(so a fake one is checked, not called missing), a full name opening a spoken note's line."""

from __future__ import annotations

import pytest

from assist.review.checks import classify
from tests.unit.review.conftest import doc, elements, serious


def test_a_lawyer_asked_at_a_named_firm_is_not_without_a_firm(policy):
    text = ("委托书\n我叫阿依小丽·热合曼，身份证652101197908204127。我在某某消费金融借了23000块钱。\n"
            "我请某某坎泉律师事务所的阿不都小提·玉素甫律师（执业证号16521201911045729）替我跟某某消费金融谈还款的事情。"
            "他不能替我借新的钱。\n时间是从今天到2027年12月31日。\n委托人：阿依小丽·热合曼（签字，按手印）\n2027年9月3日\n")
    assert "auth.lawyer_no_firm" not in serious(policy, text)
    assert "auth.lawyer_no_firm" in serious(policy, text.replace("某某坎泉律师事务所的", ""))


@pytest.mark.parametrize("text,kind", [
    ("某某金融消费者权益促进会\n关于会员刘小燕借款事项的维权告知函\n\n某某消费金融有限公司：\n本会会员刘小燕于2026年5月在贵公司借款。"
     "现该会员暂时无力还款，已正式委托本会全权代理其与贵公司之间的全部事宜。\n一、请贵公司立即停止催收。\n"
     "二、本会代表会员申请停息挂账。\n特此告知。\n某某金融消费者权益促进会（盖章）\n2027年8月17日\n", "complaint"),
    ("某某市务工人员债务调解所\n致全体调解当事人的通知\n\n各位老乡、各位调解当事人：\n近期有部分当事人私自接听平台电话、私自还款，"
     "影响了本所的调解进度。\n一、调解期间一律不要向任何平台还款。\n二、还没有交清调解费的请在5月31日前交清。\n", "other"),
    ("（小娟打字：阿叔躺在病床上讲，我一句一句打下来的）\n\n我黄小彬 现在住在医院 昨天刚开刀\n某某借那笔网贷 这段时间交给我阿叔黄小水去处理\n"
     "自己人 他讲的就是我讲的\n\n2027.5.9\n黄小彬\n", "authorisation"),
    ("某某花客服你好 我是借款人杨小兰 我回老家了 信号也差 这笔账从现在起交给我男人龙小明跟你们讲 电话13824716093 要哪样资料找他拿 "
     "——杨小兰\n", "authorisation"),
    ("这个是我大伯说的话我帮他用手机打出来的\n\n某某分期的人你们好\n我是艾小买买提 在你们这里借了钱买拖拉机\n"
     "以后我的这个账的事情你们跟我老婆阿依小丽说 她的汉语比我好\n她的电话13899508824\n\n艾小·买买提（签字）\n2027年8月1日\n",
     "authorisation"),
    ("某某市康和医院\n门诊号：0027814　　住院号：2027-03362\n　　　　疾病诊断证明书\n姓名：龙小明　　性别：男\n"
     "诊断：右手食指开放性骨折。\n建议休息两个月。\n医师：王某某\n2027年6月12日\n", "certificate"),
])
def test_kinds_said_in_new_ways(text, kind):
    assert classify(doc(text)) == kind


@pytest.mark.parametrize("text,part,present", [
    ("委托\n我艾小·买买提，身份证652101197703152418。现在葡萄开始摘了，服务点我去不了。我让艾小山替我去。"
     "他给你们送材料，村委会的证明，他听你们说什么方案，回来给我说。\n", "scope", True),
    ("授权委托书\n受托人：某某债务优化律所 主办律师 王某某\n律所执业许可证号：闽律许字350300202600386\n", "licence", True),
    ("（小娟打字：阿叔躺在病床上讲，我一句一句打下来的）\n\n我黄小彬 现在住在医院 昨天刚开刀\n", "principal", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
