"""Document review rules from round fifty-six's misses (L176-L183, eight writers; scored once on b51508d, then tuned
on), table-driven, on letters written here. Safety: a lawyer's matters that include getting an agency's 协商服务费 back
do not make the lawyer a paid debt agent; a son telling the lender that the agency asked for passwords, after the
family withdrew its authority, gets a note, not a high; a relative who names the borrower as "我妹夫某某（…借款合同号…）"
and asks not to be called at work is family. Reading: a relative in the story who "已在该社办理" something; a neighbour
said as "屋挨屋"; an agency's 援助员 as the agent; "要签字个，伊替阿拉签" is a matter, not a signing line; a lunar date
with the year in Chinese numerals."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs, serious

LAWYER = ("授权委托书\n委托人：曾小明，身份证号码511011197204113617。\n受托人：钟小岚，四川某某律师事务所律师，律师执业证号：15110201810345678。\n"
          "委托人因与某某消费金融有限公司之间的借款事宜，以及与某某养殖户债务协商中心之间的服务费纠纷，现委托上述受托人为代理人。\n"
          "代理权限如下：\n一、代为与贷款机构协商还款方案；\n二、代为向某某养殖户债务协商中心主张退还已收取的协商服务费人民币10800元。\n"
          "委托期限：自2027年4月6日起至2027年10月31日止。\n委托人（签名并捺印）：曾小明\n2027年4月6日\n")


def test_a_lawyer_getting_an_agencys_fee_back_is_not_a_paid_agent(policy):
    assert highs(policy, LAWYER) == []


def test_the_agency_asking_for_passwords_told_after_revoking_is_a_note(policy):
    text = ("某某消费金融有限公司：\n我是关小宇，借款人关小刚的儿子。七月中旬，一家自称“某某信用修复服务社”的机构找到我父母，"
            "让我父母把手机银行的密码都交给他们的“修复专员”。\n我父亲已于7月30日书面撤销对该服务社的委托。我家已经修改了密码。\n"
            "请贵公司直接与我父亲本人联系。\n关小宇\n2027年8月2日\n")
    assert "agency.takes_credentials" not in serious(policy, text)
    # an agency's own paper asking for them stays high
    asks = "某某信用修复服务社 服务须知\n请客户将手机银行密码和征信查询密码交给修复专员，由我社统一操作。\n"
    assert "agency.takes_credentials" in highs(policy, asks)


def test_a_relative_naming_the_borrower_as_kin_asking_not_to_be_called_is_family(policy):
    text = ("某某借客服中心：\n您好！我是张小芳，在某某小学教书。我妹夫李小伟（身份证尾号2437，借款合同号MS20270402）摔伤住院了。\n"
            "这几天贵司的催收人员每天拨打我所在学校的办公室电话。请立即停止拨打我单位和我本人的电话。\n张小芳\n2027年9月8日\n")
    assert "complaint.S3" not in serious(policy, text)


@pytest.mark.parametrize("text,part,present", [
    ("委托书\n本人那小云委托某某服务社修复专员王某某代为处理借款事宜。因本人丈夫关小刚已在该社办理修复业务，本人一并委托。\n"
     "委托人：那小云（签字）\n2027年8月1日\n", "relationship", False),
    ("委托书\n我委托杨小山替我去信用社问分期的事。我们两家屋挨屋住了三十年。\n委托人：吴小生（按手印）\n2027年3月1日\n",
     "relationship", True),
    ("委托书\n谢小妹现委托本站法律援助员颜小斌（援助登记号：LDHZ-2027-0457）代她处理橙石花借款的全部事宜。\n", "agent", True),
    ("阿拉托志明去办：\n电话打来，伊替阿拉接；\n要签字个，伊替阿拉签。\n\n陈阿娣\n2027年5月3日\n", "signature", False),
    ("我托我女儿吴小燕替我跟你们谈分期。\n\n委托人：吴小生（按手印）\n二〇二七年农历九月廿八\n", "date", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
