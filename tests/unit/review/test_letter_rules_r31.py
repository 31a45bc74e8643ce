"""Document review rules from round thirty-one's held-out misses (L78-L81), table-driven, on letters written here:
the lender's office the agent is sent to ("去合肥某某线下服务中心") is a place, not the agent (a complete lawful
authorisation no longer accused); a borrower who writes in Shaanxi speech ("额的账额自己跟你们谈", "不经过任何啥站") and a
lawyer who says the outfit "不是…的代理人" have left the agency (two lawful letters no longer accused); an agency's
letter that asks for reported records to be "撤销" has not withdrawn anything (its template is high again); a year is
not a duration ("失联时间 2027年2月"); "这两天" in a story is no term; kin inside "妇女儿童", a harassed family and a
marriage "存续期间" are not the agent's relationship, "我们店的大厨" is; "我女子雷晓燕", "我们店的大厨于长海" and "援助导师小雨处理"
name agents; "11号 晚上" closing a note is its date."""

from __future__ import annotations

import pytest

from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import elements, serious


def test_the_lenders_office_the_agent_goes_to_is_a_place(policy):
    text = ("授权委托书\n委托人：王小勇，身份证340104198001010099\n受托人：周小萍，身份证340104198201010088\n关系：夫妻\n"
            "我跑车走不开，委托我爱人周小萍6月20号去合肥某享借线下服务中心，替我递交异议书和报警回执复印件，并替我签收他们的收件回执。\n"
            "委托期限：2027年6月20日当天。\n委托人签字：王小勇\n2027年6月18日\n")
    assert serious(policy, text) == []


@pytest.mark.parametrize("line", ["从今往后额的账额自己跟你们谈 不经过任何啥站", "该机构不是雷小虎先生的代理人。"])
def test_leaving_the_agency_in_other_words(line):
    assert REVOKED.search(line)


def test_asking_to_revoke_reported_records_is_no_withdrawal(policy):
    text = ("某某合伙债务处置办公室\n关于合伙债务的处置函\n某某农村商业银行：\n"
            "本办公室受委托人于小涛（身份证号：210211198603154499）委托，郑重致函如下：\n"
            "一、停止向征信系统报送委托人逾期信息，已报送的予以撤销；\n二、今后一切事宜仅与本办公室处置专员联系，不得直接联系委托人。\n"
            "某某合伙债务处置办公室（盖章）\n2027年4月22日\n")
    assert REVOKED.search(text) is None
    assert serious(policy, text, ("high",))


@pytest.mark.parametrize("text,part,present", [
    ("处置登记表\n姓名：姜小伟\n失联合伙人    付小强                   失联时间    2027年2月\n"
     "授权声明：本人自愿授权本办公室处置专员李小帅全权代理本人处置上述全部合伙债务。\n", "term", False),
    ("委托书\n本人郑小全，可这两天血压又上来了，我让于小海替我跑一趟，把街道的证明给你们送过去。\n", "term", False),
    ("授权委托书\n委托人：王小燕\n受托人：孙小婷，某某律师事务所律师（合肥市妇联妇女儿童法律援助工作站指派）\n", "relationship", False),
    ("授权委托书\n委托人：雷小虎\n受托人：白小博，某某律师事务所律师\n代理权限：代为就第三方向委托人亲属及其工作单位披露借款信息等行为投诉。\n",
     "relationship", False),
    ("授权委托书\n委托人：王小燕\n受托人：孙小婷\n本人因被平台催收一事（上述借款系本人前夫陈小栋在婚姻关系存续期间冒用本人身份所借）。\n",
     "relationship", False),
    ("委托书\n我们店的大厨于长江，跟我干了十来年了。我让他替我跑一趟，把街道的证明给你们送过去。\n", "relationship", True),
    ("委托书\n我们店的大厨于长江，跟我干了十来年了。我让他替我跑一趟，把街道的证明给你们送过去。\n", "agent", True),
    ("委托书\n我叫雷小仓。我委托我女子雷小燕替我跟“好收成”联系，跟他们商量分期还款。\n", "agent", True),
    ("授权书\n本人杨小萍自愿全权委托暖心热线援助导师小雨处理我名下所有网贷。\n", "agent", True),
    ("委托\n额叫额发小张小牢替额跟你们谝一下分期的事。\n就这个月 到5月31号为止\n\n11号 晚上\n", "date", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
