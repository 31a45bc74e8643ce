"""Document review rules from round twenty's held-out misses (L48, L49), table-driven, on letters written here: a
"基金会" that speaks for families is an agency; "替我去跟这些公司…" names no company (a false accusation); the
deceased's tie to the principal, the principal describing herself and relatives in the story (因亲属工亡, 儿子上学) are
not the agent's relationship, a chamber's membership is; a writer naming themself with a nationality or passport; a
call record's caller is the principal."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from tests.unit.review.conftest import doc, elements, serious

FOUNDATION = ("全国工亡家属债务援助基金会\n关于申请豁免工亡人员债务的函\n致：泰丰银行股份有限公司信用卡中心\n本基金会受工亡家属王桂芳女士委托，"
              "就工亡人员马卫东所欠借款一事函告如下：请立即停止催收，予以全额注销。\n此后有关该笔债务的一切事宜请与本基金会援助专员联系，"
              "勿再直接联系家属。\n援助专员：陈静\n")


def test_a_foundation_speaking_for_families_is_high(policy):
    found = run_checks(doc(FOUNDATION), policy)[1]
    assert any(f.severity == "high" and "基金会" in f.message for f in found)
    assert not any("请与本基金会" in f.message for f in found)     # its self-reference is no second organisation


def test_these_companies_name_no_one(policy):
    text = ("委托书\n我叫李秀兰，身份证号140402197803150011。我委托孩子他叔郭建民（就是我小叔子，身份证号140402198001010022）"
            "替我去跟这些公司商量还款的事，电话打给他。\n委托期限：半年。\n委托人签字：李秀兰\n2026年12月22日\n")
    assert serious(policy, text) == []


@pytest.mark.parametrize("line", ["工亡人员姓名：郭建军　　与委托人关系：夫妻", "委托人因亲属工亡，家庭丧失主要经济来源。",
                                  "家庭困难情况：丈夫去世 儿子上学 没有收入"])
def test_ties_that_are_not_the_agents(line):
    text = ("援助申请表\n委托人（工亡家属）：李秀兰\n" + line + "\n受托人：某某援助基金会\n委托事项：全权处理债务。\n委托期限：一年。\n"
            "委托人签字：李秀兰\n2026年12月2日\n")
    assert not elements(text)["relationship"]


def test_a_chambers_membership_is_the_relationship():
    text = ("授权委托书\n委托人（会员）：钟福源\n受托人：某某商会调解中心\n"
            "委托人系本商会正式会员，现自愿委托本中心作为委托人的全权代表，进行债务调解。\n委托期限：一年。\n委托人签字：钟福源\n2026年12月2日\n")
    assert elements(text)["relationship"]


@pytest.mark.parametrize("text", [
    "委托书\n我叫阮秋霞，越南人，护照号码C5172846，来中国十年了。我委托我老公钟福源帮我去银行问清楚欠多少钱。\n委托人签字：阮秋霞\n2026-12-23\n",
    "电话委托记录\n工亡家属刘翠萍（电话15203581976）来电，口头同意委托本基金会援助专员陈静全权处理网贷债务。\n记录人：陈静\n2026.12.17\n"])
def test_principals_named_by_nationality_or_on_a_call_record(text):
    assert elements(text)["principal"]
