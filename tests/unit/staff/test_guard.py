"""Compliance guard: violations caught, near-misses pass, every approved script passes."""

import pytest

from assist.bootstrap import load_knowledge
from assist.knowledge.schema import script_reply
from assist.settings import Settings
from assist.staff.guard import check

VIOLATIONS = [
    ("我保证给您全部减免利息和罚息。", "promise_waiver"),
    ("放心，可以帮您把利息全部免掉。", "promise_waiver"),
    ("这个我们可以直接给您办停息挂账。", "promise_stop_interest"),
    ("您还清以后我们可以帮您删除逾期记录。", "promise_credit_deletion"),
    ("交了钱就能洗白征信。", "promise_credit_deletion"),
    ("再不还钱就让你坐牢。", "threat"),
    ("不还的话我们会通知你单位和家人。", "threat"),
    ("你这种老赖就别找借口了。", "insult"),
    ("你是不是有病，滚蛋。", "insult"),
    ("我们是公安经侦，你的案子已经立案。", "impersonation"),
    ("法院已经对您立案了，赶紧还钱。", "impersonation"),
    ("您没必要去投诉，投诉也没用。", "discourage_complaint"),
    ("别打12378了，投诉反而会影响您的征信。", "discourage_complaint"),
    ("我劝您别举报，对您没好处。", "discourage_complaint"),
    ("後果自負，走著瞧。", "threat"),
]

NEAR_MISSES = [
    "真实的逾期记录无法删除，也没有任何机构能收费洗白征信。",
    "我们不能承诺减免，但可以把您的困难如实记录，按规定帮您申请评估。",
    "停息挂账不是法定权利，我们没有办法直接承诺停息。",
    "逾期可能会影响您的征信记录，建议尽早和我们协商还款计划。",
    "您有权拨打12378反映，我们也会按规定处理您的投诉。",
    "如果对处理结果不满意，您也可以通过金融消费者保护服务平台反映。",
    "如遇诈骗请及时拨打110报警，或拨打96110咨询。",
    "有人冒充公安让您转账，那是诈骗，请不要理会。",
    "我们不会在电话里让您提供验证码，也不会要求您转账到安全账户。",
    "关于减免，需要按机构政策评估，结果我不能现在保证。",
    "协商还款是免费的，不需要通过任何中介。",
    "遇到垃圾短信、骚扰电话，可以拨打12321举报。",
    "我们不会利滚利，逾期利息按合同约定计算。",
    "有人自称律师却说不出执业证号，可能是骗子，请您提高警惕。",
]


@pytest.mark.parametrize("reply,rule", VIOLATIONS)
def test_violations_are_caught(reply, rule):
    res = check(reply)
    assert not res.ok and rule in {v.rule for v in res.violations}, res
    v = next(v for v in res.violations if v.rule == rule)
    assert reply[v.start:v.end] == v.quote and v.message


@pytest.mark.parametrize("reply", NEAR_MISSES)
def test_near_misses_pass(reply):
    res = check(reply, caller_verified=False)
    assert res.ok, res.reasons()


def test_account_figures_need_a_verified_caller():
    reply = "他目前欠款12,345元，已经逾期45天。"
    assert check(reply, caller_verified=True).ok
    res = check(reply, caller_verified=False)
    assert {v.rule for v in res.violations} == {"disclosure_unverified"}
    assert check("核实身份后我再和您确认欠款金额。", caller_verified=False).ok


def test_every_approved_script_passes_even_before_verification():
    docs = load_knowledge(Settings())
    scripts = [d for d in docs if d.kind == "script"]
    assert len(scripts) >= 40
    for d in scripts:
        res = check(script_reply(d.body), caller_verified=False)
        assert res.ok, f"{d.id}: {res.reasons()}"


def test_scripts_must_not_say_lists_are_caught_when_said():
    # The phrases a script forbids are, where they are promises or threats, caught by the guard.
    for phrase, rule in [("保证给您减免", "promise_waiver"), ("帮您删除逾期记录", "promise_credit_deletion"),
                         ("不要去投诉", "discourage_complaint")]:
        assert rule in {v.rule for v in check(phrase).violations}
