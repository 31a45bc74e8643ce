"""Document review rules from round thirty-eight's misses (L104-L107; held out when this stop's first commit was
measured, then tuned on), table-driven, on letters written here:
- a message handing the loan to a relative is an authorisation however it is said ("我叫我女儿…替我处理", "这笔账全交给我爸
  管 他说了算", "车贷的事我交给我婆娘…她跟你们说的就算我说的", "俺让俺兄弟…替俺去"), also under a chat's title;
- a revocation that recites the grant it withdraws, and an outfit's notice to its own members, are "other";
- parts said in Minnan, Sichuan and Anhui words, in messages without punctuation, or with a typed name at the foot;
- an outfit's notice telling its members not to repay is high, and so is a fee slip from a debt "platform";
- a lawful complaint that reserves the right to go to the police and the courts is not "chain complaints"."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.reading import reading_view
from tests.unit.review.conftest import doc, elements, highs, serious

GRANTS = [
    "【某某花APP 在线客服 留言】\n2027-10-25 21:47\n我是林阿福 身份证后四位1638 我明天要住院开刀 这段时间你们不要打我电话 我接不到 "
    "这笔钱的事我叫我查某囝林小雅替我处理 伊电话18759203364 要还多少 怎么分 你们跟伊讲就好 伊讲的我拢认\n",
    "某某借APP 在线客服 对话记录\n2027/10/12 21:47\n我：在吗 我是借款人王小明 身份证尾号2417\n"
    "我：以后我在你们这的这笔账全交给我爸王大山管 他在广州 电话13823567091 你们核账 谈分期 都跟他说 他说了算\n",
    "短信 发送至：某某分期客服\n2027-03-08 22:47\n你好 我是车贷的借款人李强 车牌川A·D7K52 我这个月要跑长途 车贷这边的事我交给我婆娘"
    "张丽 她电话15828360917 你们有啥子事直接找她 扣款 逾期都跟她说 她跟你们说的就算我说的\n",
    "某某银行信贷员：\n下面是俺姑说的：\n俺是刘桂香，身份证340825197503126628，俺在恁行里贷了三万块钱。俺现在住院回不去，"
    "俺让俺兄弟刘桂生替俺去办展期，他是俺亲弟弟。\n口述人：刘桂香（按手印）\n",
]


@pytest.mark.parametrize("text", GRANTS)
def test_a_message_handing_the_loan_to_a_relative_is_an_authorisation(policy, text):
    assert classify(reading_view(doc(text))) == "authorisation"
    assert run_checks(doc(text), policy)[0] == "authorisation"


NOT_GRANTS = [
    "撤销委托声明\n\n本人王小明，身份证号510105198603124517。\n2027年2月16日，本人与某某维权联盟签了一份《会员授权委托书》，委托该联盟"
    "及其专员张某代我与某某花协商借款。\n现声明：从今天起撤销上面这份委托，该联盟任何人都无权再以我的名义跟平台联系。\n声明人：王小明\n"
    "2027年5月15日\n",
    "某某商户信用服务社\n致全体社员的一封信（第3期）\n\n各位社员：\n近期催收电话较多，大家一律不要接，接了就讲“我已委托服务社处理”。"
    "千万不要私自还款！停息挂账方案谈成的社员，请在三日内交清尾款。\n社长：蔡某\n2027年9月13日\n",
]


@pytest.mark.parametrize("text", NOT_GRANTS)
def test_a_revocation_and_a_notice_to_members_are_other(policy, text):
    assert run_checks(doc(text), policy)[0] == "other"


@pytest.mark.parametrize("text,part,present", [
    ("授权委托书\n委托人：林阿水\n受托人：林小弟\n我叫阮小弟替我去某某花谈分期，伊讲的我拢认。\n", "relationship", True),
    ("委托书\n我委托李秀凤替我去银行办延期，秀凤跟我做伙卖了十五年，厝边隔壁。\n委托人：林阿水\n", "relationship", True),
    ("委托书\n我委托修复师蔡小明替我处理网贷，他是服务社派给我的专属修复师。\n委托人：林阿水\n", "relationship", True),
    ("委托书\n我委托某某律师事务所的董律师帮我核对欠款。我以前委托过的中介我已经写了解除，以后我的事和他们没有关系。\n"
     "委托人：程小梅\n", "relationship", False),
    ("授权委托书\n委托人：林阿水\n受托人：郑律师，某某律师事务所律师\n执业证号：13502202110274583\n"
     "（附注：阮阿爸字识得不多，这份委托书是我念给伊听的。——女儿 林小雅）\n", "relationship", False),
    ("委托\n我让我小弟林阿土替我跟某某花谈分期，这个分期的事办好就好，办好了这个委托就没了。\n", "term", True),
    ("某某花客服 俺是刘桂香 俺让张春梅替俺跟恁打电话申请延期还款 她跟恁说的就是俺说的 就到这个月月底 下个月俺自己来弄\n", "term", True),
    ("委托书\n现授权蔡明德（身份证号350203198512204432）代我办理这笔借款的延期。\n授权期限：2027年11月1日至2027年12月31日。\n"
     "授权人：陈进财\n2027年10月30日\n", "signature", True),
    ("委托书\n现授权蔡明德（身份证号350203198512204432）代我办理这笔借款的延期。\n授权期限：2027年11月1日至2027年12月31日。\n"
     "2027年10月30日\n", "signature", False),
    ("某某客服 俺是刘桂香 身份证340825197503126628 今天7月3号 俺腰开了刀 恁那边有事都找刘晓雯 她是俺儿媳妇 她替俺办\n",
     "date", True),
    ("你好 我是车贷的借款人李强 车牌川A·D7K52 车贷这边的事我交给我婆娘张丽 你们有啥子事直接找她\n", "principal", True),
    ("你好 我是车贷的借款人李强 车贷这边的事我交给我婆娘张丽 你们有啥子事直接找她 扣款 逾期都跟她说\n", "scope", True),
    ("2027-10-25\n我是林阿福 这段时间你们不要打我电话 我接不到 这笔钱的事我叫我查某囝林小雅替我处理\n", "agent", True),
    ("2027-10-25\n我是林阿福 这段时间你们不要打我电话 我接不到 这笔钱的事我叫我查某囝林小雅替我处理\n", "relationship", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


COACHING = ("某某司机互帮群\n致全体会员司机的紧急通知\n\n各位会员司机：\n最近有平台绕开群里直接打电话给会员本人。平台打来的电话一律不接，"
            "维权期间不要私自向任何平台还款，哪怕还一百块前面就白做了。本月月费请于月底前缴清。\n群主：老张\n2027年3月20日\n")
FEE_SLIP = ("学子债务援助平台\n服务费确认单\n\n学员姓名：王小明\n援助导师：周某\n服务费标准：债务总额 × 30%\n应收服务费：9480元\n"
            "本次实收：3000元\n收款人：周某\n2027年9月8日\n")


def test_a_notice_telling_members_not_to_repay_is_high(policy):
    assert run_checks(doc(COACHING), policy)[0] == "other"
    assert "agency.coaching_notice" in highs(policy, COACHING)


def test_a_fee_slip_from_a_debt_platform_is_high(policy):
    assert "auth.trustee_company" in highs(policy, FEE_SLIP)


RESERVED = ("投诉信\n某某消费金融客服部负责人：\n我是借款人王小明的父亲。催收人员给孩子的奶奶打了十一次电话，请立即停止联系第三人，并在七个工作日内"
            "书面答复。\n如果七个工作日内没有答复，我将拨打消费者投诉热线12378，向金融监管部门正式投诉，同时保留向公安机关报案和向法院起诉的权利。"
            "\n王大山\n2027年10月16日\n")
PRESSING = ("投诉信\n某某消费金融客服部：\n我已经投了人民银行、金融监管局和12315，下一步就找媒体。不给我减免罚息，我就一直投下去。\n"
            "王小明\n2027年10月16日\n")


def test_reserving_the_right_to_go_to_police_and_court_is_not_chain_complaints(policy):
    assert "complaint.S7" not in serious(policy, RESERVED)


def test_naming_many_bodies_to_press_still_is(policy):
    assert "complaint.S7" in serious(policy, PRESSING)


# What the first fixes of this round broke on earlier writers, and is mended: a lawyer entrusted with other business in
# a clause of its own is not the agent claiming to be a lawyer; "我跟某某是两口子…我托她办" still names the agent once 俺
# reads as 我; a lender's collectors "受贵平台委托" are not an agency acting.
OTHER_LAWYER = ("委 托 书\n俺叫曲大胜，身份证370686196804121537。\n俺开春要去工地干活。\n打官司那些大事俺托了林律师，零碎跑腿的事就委托俺老伴"
                "王秀兰（身份证370686197002183320）替俺去办。\n她能替俺去农商行说还钱的事，她说的话俺都认。\n期限就是办完这几家的事为止。\n"
                "委托人：曲大胜（签字 按手印）\n2027年 三月十四日\n")
PAIRED = ("委托书\n俺叫孙大利，身份证340111198105236217。俺跟郑小英是两口子，她身份证340111198307084528。\n这些网贷跟银行的事俺托她办：\n"
          "1、跟农商行商量延期；\n到过年为止。\n委托人孙大利（签字）\n2027年12月1日\n")
COLLECTORS = ("关于我孙在贵平台借款情况的汇报\n本人是贵平台借款人王小明的祖母。自称受贵平台委托的催收人员每天往我家打电话。"
              "孩子听信网上一个叫“学子债务援助平台”的机构，把账号密码交了出去，现已改了密码，不再与那伙人来往。请贵平台核对账目，停止骚扰老人。\n2027年10月1日\n")


def test_a_lawyer_entrusted_with_other_business_is_not_the_agent(policy):
    assert serious(policy, OTHER_LAWYER) == []


def test_the_person_paired_by_a_tie_and_handed_the_business_is_the_agent():
    assert elements(PAIRED)["agent"] is True


def test_the_lenders_own_collectors_are_not_an_agency_acting(policy):
    assert highs(policy, COLLECTORS) == []
