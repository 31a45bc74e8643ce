"""Document review rules from round twenty-one's held-out misses (L50, L51), table-driven, on letters written here: an
organisation of any name that speaks for borrowers in its own voice and draws the lender's contact to itself is the
paid-agent sign (a 维权委员会, a 服务站), while a law firm or a borrower who left one is not; a government bureau's
受理告知单 is a certificate; an agency's officer named by title (授权本站法务, 站长马国强同志) is the agent; "啥时候事办完
啥时候结束" is a term; where the writer lives (暂住朋友处), who is out of work and who is addressed (朋友们) are not the
relationship; an instruction to sign later is no signature."""

from __future__ import annotations

import pytest

from assist.review.checks import classify
from assist.review.checks.reading import reading_view
from tests.unit.review.conftest import doc, elements, highs

VOICE = ("关于要求立即撤销贷款的严正交涉函\n某某消费金融有限公司：\n本{org}代表全体受害租户，就租金贷一事向贵司提出严正交涉：立即停止一切扣款及"
         "催收，于3日内与本{org}联系。\n联系人：钱振海\n昆明租金贷受害者维权{org}（章）\n")


@pytest.mark.parametrize("org", ["委员会", "站"])
def test_an_organisation_of_any_name_speaking_for_borrowers_is_high(policy, org):
    assert highs(policy, VOICE.format(org=org))


def test_a_law_firm_speaking_for_its_clients_is_not(policy):
    text = ("致：某某消费金融有限公司\n云南某明律师事务所受杨思琪等三人委托，现函告如下：请提供租金贷合同，并与本所联系。\n"
            "云南某明律师事务所 周致远律师（执业证号：15301201610234567）\n2026年12月14日\n")
    assert not highs(policy, text)


def test_a_bureaus_acceptance_notice_is_a_certificate():
    text = ("昆明市官渡区住房和城乡建设局\n信访（投诉）事项受理告知单\n编号：官住建访〔2026〕第1187号\n杨思琪等37人：\n"
            "你们联名反映的事项，本局已收悉，决定予以受理。\n昆明市官渡区住房和城乡建设局（盖章）\n2026年12月8日\n")
    assert classify(reading_view(doc(text))) == "certificate"


@pytest.mark.parametrize("line", ["授权声明：本人自愿入站，授权本站法务全权代为与车贷、网贷机构协商停催。",
                                  "我孙大勇授权司机之家法律服务站站长马国强同志全权代表我处理车贷网贷的所有事。"])
def test_an_agencys_officer_named_by_title_is_the_agent(policy, line):
    text = "授权书\n" + line + "\n授权人：孙大勇（手印）\n2026年12月3日\n"
    assert elements(text)["agent"]


def test_until_the_matter_is_done_said_in_henan_speech():
    text = "委托书\n俺孙大勇委托俺表哥孙大海替俺跟平台谈车贷的事，啥时候事办完啥时候结束。\n委托人签字：孙大勇\n2026年12月3日\n"
    assert elements(text)["term"]


@pytest.mark.parametrize("line", ["我被清退后现暂住朋友处）", "老婆没工作，孩子还小。", "请还没有登记的朋友抓紧："])
def test_not_the_agents_relationship(line):
    text = ("授权委托书\n委托人：杨思琪（" + line + "\n受托人：某某服务站\n委托事项：全权处理租金贷。\n委托期限：一年。\n委托人签字：杨思琪\n"
            "2026年12月3日\n")
    assert not elements(text)["relationship"]


def test_an_instruction_to_sign_later_is_no_signature():
    text = ("群通知\n授权说明：凡在群内回复“授权”的群成员，即视为全权授权本委员会代表您与消费金融公司交涉。\n"
            "私聊小韩领取授权委托书，签字按手印拍照发回\n")
    assert not elements(text)["signature"]
