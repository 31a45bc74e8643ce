"""Document review rules from round twenty-seven's held-out misses (L62-L65), table-driven, on letters written here:
complete lawful authorisations no longer warned (a firm in a province whose name starts with 贵, "受委托人" as the
agent's label, the lenders listed before "等借款合同纠纷", "上述公司" and an errand's company); a debt outfit's
"关爱中心" is high; a kin word inside an organisation's or a group's name, a form's family-contact section, a story
("借的时候是我孙子帮我…", "离婚后前夫…", "经朋友介绍") and a "代签" note are not the agent's relationship, while
"我前妻", "我舍友" and "是我们互助会的会长" are; "今天有效" is a term; a form's "姓    名" with spaces is the principal;
the principal's signing line wins over the agent's."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from assist.review.checks.elements import find_elements
from tests.unit.review.conftest import doc, elements, serious

LAWYER = ("授权委托书\n委托人：杨小勇，男，身份证号码：522636199809212499\n{agent}：吴文华，{firm}律师\n执业证号：15226201910287399\n"
          "委托人因与{parties}借款合同纠纷一事，现委托上列受托人作为代理人。\n"
          "代理权限：一般代理，具体为：代为调取借款合同；代为向上述公司了解各项费用；代为协商还款方案。\n"
          "委托期限：自2027年3月8日起至2027年9月7日止。\n委托人（签名）：杨小勇\n受托人（签名）：吴文华\n2027年3月8日\n")



@pytest.mark.parametrize("agent,firm,parties", [
    ("受委托人", "贵州某苗律师事务所", "深圳某米网络小额贷款有限公司"),
    ("受托人", "贵阳某城律师事务所", "江苏某启网络小额贷款有限公司（“周转宝”平台）、杭州某融信息科技有限公司（“好借点”平台）等"),
    ("受托人", "东莞市某信律师事务所", "深圳市某享网络小额贷款有限公司（“速享借”APP）"),
])
def test_complete_lawyers_authorisations_are_not_warned(policy, agent, firm, parties):
    text = LAWYER.format(agent=agent, firm=firm, parties=parties)
    assert serious(policy, text) == []
    assert "委托人" in find_elements(doc(text))["signature"].quote and "受托人" not in find_elements(doc(text))["signature"].quote


def test_an_errands_company_is_not_an_agency(policy):
    text = ("委托书\n本人沈小宁（身份证号320102198001010099），现委托我前妻陈小曼（身份证号320102198201010088）代我办下面几件事：\n"
            "1、到某区市场监督管理局登记窗口领取某某茶饮有限公司的《准予注销登记通知书》原件；\n2、到银行领取对公账户的销户回单。\n"
            "委托时间：2027年2月10日到2027年3月10日\n委托人签字：沈小宁（按手印）\n2027-2-10\n")
    assert serious(policy, text) == []
    assert elements(text)["relationship"]


def test_a_debt_outfits_caring_centre_is_high(policy):
    text = ("授权委托书\n委托人：陈国华\n受托人：钱振国\n"
            "现特别委托津门老年债务关爱中心法律顾问钱振国老师作为本人的全权代理人，代为处理本人全部网贷债务。\n"
            "委托期限：2027年1月20日至2028年1月19日\n委托人：陈国华（签字并按手印）\n2027年1月20日\n")
    assert "high" in [f.severity for f in run_checks(doc(text), policy)[1]]


@pytest.mark.parametrize("line", [
    "职  务：某某工友互助联盟 首席维权官",
    "推 荐 人    工友群\"某某夜班兄弟\"群主 阿强",
    "家属联系人：李文杰（儿子）    电话：13752208461",
    "【家属信息】\n姓名：李红霞    与老人关系：女儿",
    "借的时候是我孙子帮我在手机上点的。",
    "因离婚后前夫拒不偿还婚内债务，",
    "经朋友介绍到某某债务律师事务所咨询。",
    "（老人在看病，由老伴代签——孟）",
])
def test_ties_that_are_not_the_agents(line):
    text = ("授权委托书\n委托人：刘淑华\n" + line + "\n受托人：某某债务关爱中心关爱顾问 孟凡华\n委托事项：代为处理委托人名下全部债务事宜。\n"
            "委托期限：一年。\n委托人签字：刘淑华\n2027年1月16日\n")
    assert not elements(text)["relationship"]


@pytest.mark.parametrize("line", ["现委托我前妻陈小曼代我去银行领回单。", "我舍友蒙丽华拿我的身份证复印件过来帮我办一下。",
                                  "蓝姐（蓝海燕）是我们互助会的会长，我授权她代表我协商还款。"])
def test_ties_that_are(line):
    text = "委托书\n委托人：韦小燕\n" + line + "\n委托人：韦小燕（签名）\n2027年2月3日\n"
    assert elements(text)["relationship"]


def test_today_only_is_a_term_and_a_spaced_form_name_the_principal():
    assert elements("委托\n我舍友蒙丽华帮我去人事部开个证明。\n就今天，今天有效\n委托人：韦小燕（签名）\n2027年2月3日\n")["term"]
    form = ("某某互助联盟 入盟登记表\n姓    名    黎国华                    性    别    男\n身份证号    511623199408217799\n"
            "授权声明    本人自愿加入某某互助联盟，授权联盟法务专员全权处理本人上述全部债务。\n本人签名    黎国华（手印）\n")
    assert elements(form)["principal"]
