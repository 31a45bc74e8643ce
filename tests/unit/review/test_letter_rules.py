"""Document review rules from the third round of issue 23, one test per rule, on letters written here (not copied
from the labelled set): a 执业证号 however it is labelled and written, how sure a licence-shape fault is, a scope must
name a business, a debt agency's job title on the agent is high, the title under an issuer's name, notices to an
agency's own customers, and the way letters typed on a phone write dates, terms and who acts."""

from __future__ import annotations

import json

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.authorisation import licence_problem
from assist.review.checks.elements import find_elements, find_licence
from testkit.letters import load, score, writers_in
from tests.unit.review.conftest import doc, elements

VALID = "14403201810276541"  # 1 | 4403 | 2018 | 1 | 0 | 276541: the reported 17-digit shape








def findings(text: str, policy) -> list[tuple[str, str]]:
    _, found = run_checks(doc(text), policy)
    return [(f.check, f.severity) for f in found]


FIRM = ("授权委托书\n委托人：江海燕，身份证号：310104198903120026\n{agent}\n委托事项：代为与贵公司协商信用卡欠款的分期还款。\n"
        "委托期限：六个月\n委托人（签字）：江海燕\n2025年4月2日\n")


@pytest.mark.parametrize("agent", [
    f"受托人：上海申衡律师事务所 沈立律师（证号：{VALID}）",
    f"受托人：上海申衡律师事务所律师 沈立（执业证号：{VALID[:5]}-{VALID[5:9]}-{VALID[9:]}）",
    f"受托人：上海申衡律师事务所 沈立律师\n执业证号\n{VALID[:5]} {VALID[5:9]} {VALID[9]} {VALID[10]} {VALID[11:]}",
    "受托人：上海申衡律师事务所 沈立律师\n执业证书编号：" + VALID.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    f"受托人：上海申衡律师事务所 沈立律师　执业证号：{VALID[:5]}\u3000{VALID[5:9]}\u3000{VALID[9:]}",
    f"受托人：上海申衡律师事务所的沈立律师，沈律师的执业证号为{VALID}，联系电话021-63218877",
])
def test_a_licence_however_written_is_read_whole_and_a_lawful_firm_letter_gets_no_warning(agent, policy):
    text = FIRM.format(agent=agent)
    lic = find_licence(text)
    assert lic is not None and lic.number == VALID
    assert elements(text)["licence"]
    assert [f for f in findings(text, policy) if f[1] != "info"] == []


def test_a_firms_assistant_beside_its_lawyer_is_no_warning(policy):
    text = FIRM.format(agent=f"受托人：上海申衡律师事务所 沈立律师（执业证号：{VALID}），律师助理 周洁")
    assert [f for f in findings(text, policy) if f[1] != "info"] == []
    alone = FIRM.format(agent="受托人：周洁（律师助理）").replace("沈立", "")
    assert ("auth.trustee_title", "warn") in findings(alone, policy)


def test_an_id_number_after_a_lawyers_name_is_not_a_licence(policy):
    text = FIRM.format(agent="受托人：上海申衡律师事务所 沈立律师（身份证号：310101198001010011）")
    assert find_licence(text) is None and not elements(text)["licence"]
    assert ("auth.lawyer_no_licence", "high") in findings(text, policy)


def test_digit_groups_stop_at_a_full_number():
    lic = find_licence(f"律师执业证号：{VALID[:5]} {VALID[5:]} 2025年4月2日")
    assert lic is not None and lic.number == VALID


def test_an_empty_licence_field_in_a_letter_that_names_no_lawyer_is_no_claim(policy):
    text = "委托书\n委托人：江海燕\n受托人：江海波（弟弟）\n执业证号：\n委托事项：代为协商还款\n委托期限：三个月\n委托人签字：江海燕\n2025年4月2日\n"
    assert not [f for f in findings(text, policy) if f[0].startswith(("auth.lawyer", "auth.licence"))]


@pytest.mark.parametrize("number,severity", [
    ("2024030812", "high"),                 # wrong length: the only certain part of the rule
    ("12345678901234567", "high"),          # a run typed to fill the field
    ("16666666666666666", "high"),
    ("14403180010276541", "warn"),          # first-licence year 1800
    ("34403201810276541", "info"),          # first digit: the reported rule is second-hand
    ("19901201810276541", "info"),          # province code
])
def test_how_sure_a_licence_shape_fault_is(number, severity):
    problem = licence_problem(number)
    assert problem is not None and problem[1] == severity
    assert licence_problem(VALID) is None


AUTH = "委托书\n本人庞志红，身份证号：420102197707070027。{body}\n委托期限一年。\n委托人：庞志红（签字）\n2025年4月1日\n"


@pytest.mark.parametrize("body,present", [
    ("本人全权委托我儿子庞亮（身份证号：420102200101010011）为我的代理人，一切由他做主。", False),
    ("现全权委托我侄女庞敏为代理人，她做的决定我都认可。", False),
    ("现委托我儿子庞亮全权负责跟你们处理，包括核对欠款、商量分期、领取结清证明。", True),
    ("现委托我儿子庞亮全权处理本人在贵公司的借款事宜。", True),
    ("现委托我儿子庞亮，他可代为办理：\n1. 核对欠款明细；\n2. 申请延期还款。", True),
    ("甲方委托乙方就甲方名下网贷逾期问题与各平台协商个性化分期。", True),
])
def test_a_scope_must_name_the_business_the_agent_acts_in(body, present):
    assert elements(AUTH.format(body=body))["scope"] is present


@pytest.mark.parametrize("agent", [
    "受托人：马海军（协商专员）",
    "受托人：马海军，债务规划师",
    "现委托法务顾问马海军（身份证号：420102198502020011）",
    "现委托上岸无忧债务优化中心的马经理",
    "我授权停息挂账的马老师",
])
def test_a_debt_agencys_job_title_on_the_agent_is_high(agent, policy):
    text = (f"授权委托书\n委托人：庞志红，身份证号：420102197707070027\n{agent}代为与贵公司协商还款、减免罚息。\n"
            "委托期限：一年\n委托人签字：庞志红\n2025年4月1日\n")
    assert ("auth.trustee_agency", "high") in findings(text, policy)


def test_asking_for_what_agencies_sell_is_not_an_agency(policy):
    text = ("委托书\n委托人：庞志红，身份证号：420102197707070027\n受托人：庞亮，系委托人之子\n"
            "委托事项：代为向贵公司申请停息挂账、个性化分期，与协商专员沟通。\n委托期限：一年\n委托人签字：庞志红\n2025年4月1日\n")
    found = findings(text, policy)
    assert not [f for f in found if f[1] == "high"], found


def test_an_employers_legal_officer_keeps_a_warning_not_a_high(policy):
    text = ("授权委托书\n委托人：葛晓冬，身份证号：320102199001010012\n受托人：孔岩，本公司法务专员，与委托人系同事\n"
            "委托事项：代为提交收入证明。\n委托期限：三个月\n委托人签字：葛晓冬\n2025年4月1日\n")
    found = set(findings(text, policy))
    assert ("auth.trustee_title", "warn") in found and not any(s == "high" for _, s in found)


@pytest.mark.parametrize("text,kind", [
    ("上海市静安区中心医院\n诊 断 证 明 书\n姓名：卫东　性别：男\n诊断：腰椎骨折\n建议休息三个月。\n医师：林芳\n2025年4月1日\n",
     "certificate"),
    ("南京市鼓楼区湖南路街道山西路社区居民委员会\n证明\n兹有我社区居民魏红，因病失去劳动能力，家庭困难，情况属实。\n"
     "（盖章）\n2025年4月1日\n", "certificate"),
    ("合肥瑞达机械有限公司\n收入证明\n兹证明甘霖系我公司员工，月收入2800元。\n特此证明。\n2025年4月1日\n", "certificate"),
    ("恒信消费金融有限公司\n投诉信\n你们的催收员天天打我单位电话，请停止骚扰，我要求分期还款。\n甘霖\n2025年4月1日\n",
     "complaint"),
])
def test_the_title_under_an_issuers_name_is_the_title(text, kind):
    assert classify(doc(text)) == kind


@pytest.mark.parametrize("text", [
    "协商客户须知（必看）\n1. 平台来电一律不要回复，截图发给对接专员。\n2. 协商期间不要自己还款。\n3. 尾款协商成功后付清。\n",
    "各位客户请注意：\n近期平台会打电话核实委托，请统一回答已委托专业团队处理，不要自己跟平台谈还款。\n有问题群里问。\n",
    "家人们注意啦\n这几天催收电话多，别接，别还款，等我们通知。\n",
])
def test_a_notice_to_an_agencys_own_customers_is_other(text):
    assert classify(doc(text)) == "other"


def test_a_letter_typed_on_a_phone():
    text = ("你好 我是向秋菊 身份证号430102199001010026\n我在你们这借的钱这两个月还不上\n"
            "让我老公严军替我跟你们谈延期的事\n这个月内都是他联系你们\n本人签名 向秋菊\n25.4.2\n")
    got = elements(text)
    assert {k for k, v in got.items() if not v} == {"licence"}
    assert classify(doc(text)) == "authorisation"


@pytest.mark.parametrize("term", ["期限三个月", "这个月内有效", "直到这笔账处理完", "今年年底前都由她办", "到下个月底"])
def test_terms_in_spoken_words(term):
    text = f"委托书\n本人庞志红，身份证号：420102197707070027，委托我女儿庞敏替我跟你们协商还款，{term}。\n委托人签字：庞志红\n2025年4月1日\n"
    assert elements(text)["term"]


@pytest.mark.parametrize("foot,found", [("25.4.2", True), ("4月2号", True), ("庞志红 4月2日", True),
                                        ("4月2号下午你们的人又打电话到我单位去了", False)])
def test_short_dates_count_only_at_the_foot_on_their_own(foot, found):
    text = f"委托书\n本人庞志红，身份证号：420102197707070027，委托我女儿庞敏替我跟你们协商还款。\n委托人签字：庞志红\n{foot}\n"
    assert elements(text)["date"] is found


def test_who_entrusts_and_who_acts_in_spoken_letters():
    first = elements("我是庞志红 我委托 我女儿庞敏 帮我跟你们商量还款\n")
    assert first["principal"] and first["agent"]
    foot = elements("我授权我女儿庞敏帮我跟你们商量还款\n庞志红 身份证420102197707070027\n2025.4.1\n")
    assert foot["principal"]
    # "我叫…" names the writer; it does not make them the agent
    named = find_elements(doc("委托书\n我叫庞志红，身份证号：420102197707070027，借款逾期。\n"))
    assert not named["agent"].found


def test_a_relative_doing_the_borrowers_business_makes_an_authorisation():
    text = ("我是甘霖 身份证420102198801010011 在你们这借了三万\n我爱人石娟替我办还款分期的事\n要签字的她签\n甘霖\n2025年4月1号\n")
    assert classify(doc(text)) == "authorisation"


def test_letters_from_any_folder_load_and_score_with_clear_errors(tmp_path):
    w = tmp_path / "L99"
    w.mkdir()
    (w / "a.txt").write_text("委托书\n委托人：甘霖\n", encoding="utf-8")
    (w / "labels.jsonl").write_text(json.dumps({"file": "a.txt", "kind": "authorisation", "posing": False,
                                                "legit": True, "complete": False, "template": None,
                                                "elements": None}) + "\n", encoding="utf-8")
    assert writers_in(tmp_path) == ("L99",)
    letters = load(("L99",), tmp_path)
    assert [lt.name for lt in letters] == ["L99/a.txt"]
    with open(w / "labels.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"file": "missing.txt", "kind": "other", "posing": false, "legit": true}\n')
    with pytest.raises(ValueError, match=r"labels.jsonl:2: file 'missing.txt'"):
        load(("L99",), tmp_path)
    (w / "labels.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"labels.jsonl:1"):
        load(("L99",), tmp_path)
    with pytest.raises(ValueError, match="no writer folder"):
        writers_in(tmp_path / "L99")
    assert score([], {})["kind_accuracy"] is None
