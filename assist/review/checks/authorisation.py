"""Checks on an authorisation letter (授权委托书): are the parts a valid entrustment needs there, who is the trustee (受托人)
(a law firm, a relative, or a consulting company posing as one), and does a claimed lawyer give a licence number of
the right shape. Findings are advice to verify, never a verdict: a letter can be genuine with a part missing."""

from __future__ import annotations

import datetime as dt
import re

from assist.core.text import clause_bounds
from assist.review.checks.elements import PRINCIPAL_UNIT, find_elements, find_licence, sentence_of
from assist.review.checks.evidence import LENDER, REVOKED, finding
from assist.review.policy import ReviewPolicy
from assist.review.types import Element, Finding, ReadDocument, Severity

_PRINCIPAL = re.compile(r"(?<![被受])(委托人|授权人|委托方)")
_TRUSTEE = re.compile(r"(受托人|受委托人|被委托人|代理人|被授权人|受托方)")
_TRUSTEE_UNIT = re.compile(r"受托单位|乙方|经办人|对接人")
# The lender the letter is written to, named by a pronoun: "贵公司", "你们公司", "该公司" are never the trustee.
_ADDRESSEE = re.compile(r"贵公司|贵司|你们公司|我们公司|该公司|本公司|我公司|此公司|其公司|你公司")
_BROAD = re.compile(r"全权|一切|所有(事务|事宜|事项)|全部事宜")
_SCOPE = re.compile(r"委托事项|委托权限|代理权限|代理事项|授权范围|授权事项|委托范围|代理范围|委托内容|特别授权|一般授权")
_LABEL = re.compile(rf"^\s*(?:{_PRINCIPAL.pattern}|{_TRUSTEE.pattern}|{_SCOPE.pattern}|委托期限|代理期限|授权期限|有效期|"
                    r"委托人签|受托人签|日期|受托单位|乙方|经办人|对接人)")
_ID_WORD = re.compile(r"身份证|公民身份号码|证件号|统一社会信用代码|营业执照|居住证|通行证|台胞证|回乡证|护照")
# A named organisation: up to 30 name characters ending in an organisation word.
_ORG = re.compile(r"[\u4e00-\u9fa5A-Za-z（）()]{2,30}?(?:有限责任公司|股份有限公司|有限公司|公司|工作室|律师事务所|"
                  r"法律服务所|事务所|服务中心|咨询中心|团队|法律服务机构|权益服务机构|调解中心|委员会|调解室|调解院|"
                  r"权益保护中心|保护中心|保护站|权益站|维权站|帮扶中心|服务站|调解站|(?:援助|调解|纠纷|维权|协商|帮扶|债务|金融)工作站|服务队|帮扶会|关爱会|理事会|联盟|互助会|援助会|救助会|维权会|维权中心|协商中心|减免中心|清零中心|服务平台|权益平台|"
                  # what paid agents call themselves online: "XX上岸学堂", "XX法务部", "XX律师团", "债务处置中心"
                  r"学堂|法务部|律师团|处置中心|纾困中心|合作社|(?:法务|债务|信用|征信|帮扶|援助|优抚|权益)中心|协会|促进会|联合会|"
                  r"基金会|协调会|(?<!信用)(?<!信用合作)联社|"
                  # outfits under an office's or an institute's name: "金融纠纷协商办公室", "债务和解研究院", "互助服务社"
                  r"(?:协商|纠纷|债务|维权|和解|减免)[\u4e00-\u9fa5]{0,4}?(?:办公室|研究院)|服务社|互助社|"
                  # a debt outfit's "centre" under any caring name: "老年债务关爱中心"
                  r"(?:债务|征信|信用修复)[\u4e00-\u9fa5]{1,4}?中心|"
                  # a debt outfit's "platform": "学子债务援助平台"
                  r"(?:债务|征信|信用修复|上岸|化解|维权)[\u4e00-\u9fa5]{0,4}?平台)")
# A company of another trade (a car dealer in a fee dispute, a factory, a shop): not a paid agent unless its name says so
_TRADE = re.compile(r"销售|制造|贸易|商贸|物流|运输|餐饮|电器|建材|汽车|医院|学校|培训")
_DEBT_TRADE = re.compile(r"债务|法务|咨询|维权|协商|规划|征信|顾问|权益|清零|减免|上岸|信用修复|洗白")
_SUSPECT_ORG = re.compile(r"法务|债务|咨询|规划|信息|科技|管理(?!人)|服务|联盟|互助|顾问|商务|财务|金融|协商|维权|调解|"
                          r"上岸|纾困|律师团|陪跑|处置|权益|优抚|帮扶|援助(?!中心)|信用修复|征信|洗白")
# What an agency did before the borrower withdrew ("让家母签过一份委托书", "收了她的服务费"): told in the past
_PAST_DEAL = re.compile(r"签过|签了|收了|收过|交了|交过|曾|之前|以前|当时|上个?月|今年[一二三四五六七八九十\d]+月")
# Not a named organisation but a kind of one ("未委托任何咨询公司", "在银行、贷款公司借款", "这些借款机构"): no one to
# verify or to suspect.
_GENERIC_ORG = re.compile(r"^(?:任何|各类|各家|这些|那些|这类|那类|此类|一些|某些|其他|其它|别的|哪家|所有|全部)"
                          r"|^(?:服务中心|客服中心|客户服务中心)$|^(?:[\u4e00-\u9fa5]{0,4}的)?(?:贷款|借款|网贷|小贷|借贷|放贷|催收|金融)(?:公司|机构|平台)$|^(?:公司|机构|中心|团队|工作室|律师事务所|律所|事务所|法务部|协会|联盟|基金会|商会|行业协会|联社|调解站|服务站|工作站)$")
# Public bodies that mediate or give legal aid (人民调解委员会 of a village, township or street, the 司法所, a court, a
# legal-aid centre): lawful, never a paid agent. A company calling itself a 调解中心 is not one of them.
PUBLIC_BODY = re.compile(r"人民调解委员会|司法所|人民法院|村民委员会|居民委员会|村委会|居委会|仲裁委员会|法律援助中心|"
                          r"工会|职工法律援助|消费者权益保护委员会|消费者协会|人民调解(?:工作站|站)|"
                          # registered public associations: of small traders, the disabled, women, commerce
                          r"个体劳动者协会|私营企业协会|残疾人联合会|妇女联合会|工商业联合会|总工会")
_NOT_PUBLIC = re.compile(r"公司|有限|服务|咨询|科技|信息|顾问|管理")
# A government unit by its place: "霞浦县下浒镇海洋与渔业服务站", "某区司法局", "某街道办事处"
# "镇上农业服务中心", "乡便民服务中心": a township's public service centre
# (乡 as a level, not the 乡 of 乡村振兴: "大瑶山乡村振兴金融服务站" is no township's unit)
_GOV_UNIT = re.compile(r"(?:省|市|县|区|乡(?!村)|镇|街道)[\u4e00-\u9fa5]{0,12}(?:服务站|站|所|局|办公室|办事处|委员会|"
                       r"(?:农业|农技|农机|畜牧|兽医|林业|水利|水务|便民|政务|党群|就业|社保|社会保障|退役军人|文化|卫生)(?:综合)?服务中心)$")
_NOT_GOV = re.compile(r"公司|有限|咨询|债务|法务|顾问|规划|维权|信息|事务所|律师|法律服务|借贷|网贷|信贷|贷款|上岸|停息|征信")
# The borrower's own employer or its union acting for a worker: the letter says the borrower works there. Only for a
# company whose name has none of the consulting words (_SUSPECT_ORG): an agency stays high however it describes itself.
_EMPLOYER = re.compile(r"(?:系|是|为)(?:本|我|该|所在)?(?:公司|厂|单位|企业|集团)?的?(?:[\u4e00-\u9fa5]{1,3}部)?(?:职工|员工|在职)|工会|"
                       r"人力资源|人事部|(?:本|我)(?:公司|厂|单位)(?:职工|员工)|所在单位|公司员工"
                       # a host or artist under contract to the company: "我是该公司签约主播"
                       r"|(?:本|该|我|贵)?公司(?:的)?签约(?:主播|艺人|作者|达人|模特)")
# A public legal-aid centre of a city, district or county (not a company calling itself 法律援助服务中心): its lawyers
# (公职律师) act through it as others act through a firm.
_LEGAL_AID = re.compile(r"(?:省|市|区|县|州|旗|盟)法律援助(?:中心|处|工作站|站)(?!有限|服务)|法律援助署")
_LEGAL_WORKER = re.compile(r"法律服务工作者|法律服务所")
# "…去合肥某某线下服务中心": the place, not the agent; "去你们南京的线下服务中心": the lender's own office
# ... and "与“X委员会”之服务费纠纷": the quote mark between
_COUNTERPARTY = re.compile(r"(?:(?:[在向与和跟同对于去到]|前往)(?:你们|您们|贵司|贵行|贵公司|贵平台)?|(?:你们|您们|贵司|贵行|贵公司|贵平台)的?)"
                           r"[“\"「『]?$")
# the company behind a lending app: "“蓝鲸分期”平台（运营方：杭州澜舟信息科技有限公司）" is the lender, not an agent
_OPERATOR_BEFORE = re.compile(r"(?:运营方|运营主体|运营公司|运营商|放款方|出借方|出借人|资金方|债权人|贷款方)\s*(?:为|是|系)?\s*[:]?\s*$")
# "委托人因与“蓝鲸分期”平台（运营方：X）、“速易花”平台（运营方：Y）之间的借款合同纠纷": every party in the dispute
# "因与A（“周转宝”平台）、B（“好借点”平台）、C等借款合同纠纷一案"
_DISPUTE_TAIL = re.compile(r"[^。\n;]{0,110}?(?:之间的?[^。\n;]{0,12}?(?:纠纷|争议|合同|借款|借贷)"
                           r"|(?:借款|借贷|合同|金融借款)[^。\n;]{0,6}?(?:纠纷|争议))")
# "代为向东申银行信用卡中心、重庆某小额贷款有限公司、深圳某科技有限公司了解…": every lender in the list after 向
_LIST_AFTER_PREP = re.compile(r"(?:代为|代我|代本人)?(?:向|与|和|同)[^。\n;,]{2,80}、$")
_DISPUTE_HEAD = re.compile(r"(?:因|就)?(?:与|和|同)[^。\n;]{0,80}$")
# "安诚消费金融有限公司 客户服务中心": a department right after the lender's name is the lender
_LENDER_UNIT = re.compile(rf"(?:{LENDER.pattern})[\u4e00-\u9fa5]{{0,8}}?(?:有限责任公司|股份有限公司|有限公司|公司|分行|支行)?"
                          r"[\s:,]*$")
# the addressee line of a letter: "To：…", "致：…", "收件人：…", "尊敬的…"
_ADDRESS_LINE = re.compile(r"^\s*(?:to|致|收件人|收信人|尊敬的)", re.I | re.M)   # re.M: searched from a line start
# an authority the letter says was withdrawn: "曾向X出具授权委托书，该授权已于…撤销，与本委托无关"
_ENTRUST = re.compile(r"委托|受托|代理|授权|代为")
_LAWYER = re.compile(r"(?<!非)(?<!非执业)(?<!不是)(?<!并非)(?<!不是执业)律师(?!事务所|助理|函)")   # not "非执业律师"
_TITLE = re.compile(r"法务专员|法务主任|法务经理|法务|律师助理")
# Job titles that exist only at debt-negotiation agencies (停息挂账/债务优化 outfits), and such an agency named right
# before a person ("安心债务优化的李经理"): a person with one, acting as the borrower's agent, is the agency acting.
_AGENCY_TITLE = re.compile(r""
                           r"信用管理顾问|信用顾问|征信顾问|征信专员|信用修复师|征信异议代理|债务规划师|债务优化师|债务协商师|规划师|协商专员|协商顾问|协商师|维权顾问|维权专员|债务顾问|法务顾问|"
                           r"调解专员|首席调解|调解顾问|调解师|上岸顾问|上岸导师|协商官|首席协商|权益官|权益顾问|权益专员|(?:债务优化|债务协商|债务规划|债务处理|债务管理|债务重组|停息挂账|反催收|"
                           r"征信修复|上岸)[\u4e00-\u9fa5]{0,4}?的?[\u4e00-\u9fa5]?(?:经理|老师|专员|顾问|主管|总监|助理)")
# Province codes (first two digits of the GB/T 2260 region code) that can appear in digits 2-3 of a licence.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
              61, 62, 63, 64, 65, 71, 81, 82}


def licence_shape(number: str) -> str | None:
    """Why a lawyer's licence number (律师执业证号) has the wrong shape, or None if it looks right (licence_problem)."""
    problem = licence_problem(number)
    return problem[0] if problem is not None else None


def _made_up(number: str) -> bool:
    """A run of 10 or more digits counting up or down by one, or one digit repeated: typed to fill a field."""
    steps = [(int(b) - int(a)) % 10 for a, b in zip(number, number[1:])]
    run = best = 0
    for i, step in enumerate(steps):
        run = run + 1 if step in (0, 1, 9) and (i == 0 or step == steps[i - 1]) else (1 if step in (0, 1, 9) else 0)
        best = max(best, run)
    best += 1  # digits = steps + 1
    return best >= 10


def licence_problem(number: str, latest_year: int | None = None) -> tuple[str, Severity] | None:
    """What is wrong with the shape of a lawyer's licence number (律师执业证号), and how much it says, or None.

    The current certificates carry 17 digits. From the Ministry of Justice numbering rule as reported in secondary
    sources (no official text was available to us): digit 1 = certificate type (1 = lawyer), digits 2-5 = region
    of the firm (province + city), digits 6-9 = year of first licence, digit 10 = practice category (1 full-time,
    2 part-time, 3-9 other kinds), digit 11 = sex, digits 12-17 = serial. Only the length is certain, so the
    severity follows how sure the fault is: a wrong length or a typed-in run of digits (1234567890…) is high; a
    first-licence year that cannot be is a warning; a first digit or region that does not fit the reported rule is
    only noted (the rule itself is second-hand). Older certificates had shorter numbers: "verify", not "forged".
    ``latest_year`` is the latest year the licence can have been first issued: this year, or the year the letter is
    dated if that is later (a letter dated 2027 may name a lawyer first licensed in 2027).
    """
    if not number.isdigit():
        return "含有非数字字符", "high"
    if len(number) != 17:
        return f"为{len(number)}位，现行律师执业证号为17位数字", "high"
    if _made_up(number):
        return "是一串顺序或重复的数字，不像真实编号", "high"
    year = int(number[5:9])
    if not 1979 <= year <= max(dt.date.today().year, latest_year or 0):
        return f"第6-9位首次执业年份“{number[5:9]}”不合理", "warn"
    if number[0] != "1":
        return "首位不是1（据公开资料，律师执业证号首位为1），编号规则以司法行政机关为准", "info"
    if int(number[1:3]) not in _PROVINCES:
        return f"第2-3位“{number[1:3]}”不是省级行政区代码，编号规则以司法行政机关为准", "info"
    return None


def _block(doc: ReadDocument, label: re.Pattern[str]) -> tuple[int, int] | None:
    """Character span of the section a label opens: its line and the continuation lines up to the next label."""
    starts = doc.starts
    for i, ln in enumerate(doc.lines):
        m = label.search(ln.text)
        if m is None or m.start() > 8:  # a label opens a line (after numbering); mid-sentence mentions are not labels
            continue
        end = i + 1  # continuation lines: short, not a sentence of their own, not another label
        while end < len(doc.lines) and end - i < 3 and not _LABEL.search(doc.lines[end].text) \
                and len(doc.lines[end].text) < 30 and "。" not in doc.lines[end].text:
            end += 1
        last = doc.lines[end - 1]
        return starts[i] + m.start(), starts[end - 1] + len(last.text)
    return None


def _org_name(raw: str) -> str:
    """An organisation name without the words the name pattern swallowed in front of it (现委托…, 受托人…)."""
    name = re.split(r"委托|受托人|受托单位|受托方|代理人|授权|本人|现由|交由|经由|指派|已与|已和|已同|已跟|日向|曾向|已向|"
                    r"就是|一家|这家|那家|一个|那个|这个|他们|她们|直接找|联系|听了|听信|听说|找|就与|代为与|通过|在(?!线)|交给|交由|名叫|叫做|叫|不是|并非|"
                    r"我是|我系|我们是|我们|你们|你跟|再打|的是|以下|现为|现任|加入|成为|用于|转给|转至|这些|那些|这几家|那几家|请与|与本|向本|"
                    # an errand's verbs and a reference back: "到…登记窗口领取X有限公司的…", "代为向上述公司了解…"
                    r"领取|窗口|上述|前述|上列|有事让|让|因与|曾与|前往|去|到|经过|代为向|代我向|代本人向|"
                    # "我请吐鲁番某某律师事务所的…律师"
                    r"我请|俺请|聘请|请了",
                    raw)[-1] or raw
    name = re.split(r"\((?=[^)]{4,}$)", name)[-1]       # "赵金龙(锡林郭勒某合作社": the organisation in the bracket
    # "…委托人与X委员会签订的": 人 of 委托人, then the preposition
    return re.sub(r"^(?:人|方)?(?:系|是|由|为|的|与|和|同|跟)(?=..)", "", name.lstrip("(（)）“\"'"))


def _sentence(text: str, pos: int) -> str:
    left, right = clause_bounds(text, pos, pos, "。\n")
    return text[left:right]


# An organisation saying it acts for the borrower: "我中心已接受…的委托，代为处理其…债务", "由我司全权代理".
# An organisation naming itself: 我中心, 本机构, 本调解室
_OWN = r"(?:我|本)(?:调解)?(?:中心|机构|司|公司|单位|室|委员会|工作室|会|联盟|律师团|团|法务部|社|基金会|商会|研究院)"
# "已与鼎和调解服务中心签订调解服务协议": a service contract with the organisation
# "现在在X服务站做帮扶员": where the agent works, not a place the borrower deals with
# (an agency's roles only: "我在某某科技公司上班" is the borrower's employer, which stays a place)
_STAFF_THERE = re.compile(r"[^。\n,]{0,2}?(?:做|当|任|担任)[^。\n,]{0,4}?(?:帮扶员|专员|顾问|协商员|调解员|修复员|化解员|援助员|"
                          r"导师|规划师|协商师|站长|社长|会长)")
_SIGNED_WITH = re.compile(r"[^。\n]{0,4}签(?:订|署|了)[^。\n]{0,10}(?:服务|调解|委托|代理|协商)(?:协议|合同)")
# (never the lender's own collectors: "自称受贵平台委托的催收人员")
_ACTING = re.compile(r"接受(?!贵|你们|您们)(?:[^。\n(]|\([^)\n]{0,40}\)){0,30}委托"
                     r"|受(?!贵|你们|您们)(?:[^。\n(]|\([^)\n]{0,40}\)){0,20}委托|"   # an ID between
                     r"代为处理|全权代理|全权处理|委托服务|代办|对接|由该(?:中心|公司|机构)"
                     # the borrower entrusting an organisation to act: "同时委托延边某某服务中心调解员代为参加调解",
                     # "授权【债管家协商团队】作为本人代理人"
                     r"|(?:委托|授权)[^。\n]{0,30}?(?:中心|公司|机构|团队|工作室|平台|联盟|协会|基金会|委员会)[】\]]?[^。\n]{0,8}?"
                     r"(?:代为|全权|代理|作为)"
                     # the organisation in its own voice: "全权委托我中心处理", "还款方案请与我中心协商", "由本机构统一处理"
                     rf"|委托{_OWN}|(?:与|和|同|联系|联络|找){_OWN}|{_OWN}[^。\n]{{0,6}}(?:受理|代理|代表|负责处理|统一处理|全权)"
                     # a fee for handling someone's debts: "债务协商调解服务费", "停息挂账代理费"
                     r"|(?:债务|协商|调解|代理|停息|挂账|征信|减免|维权|上岸)[^。\n]{0,8}?(?:服务费|咨询费|手续费|代理费|顾问费)"
                     # any fee for it ("债务协商建档费") and the work itself ("全程代为协商")
                     r"|(?:债务|协商|停息|挂账|征信|减免|维权|上岸)(?:服务)?(?:建档|办理|申请|咨询|服务|代理|顾问)费"
                     r"|代为[^。\n，,]{0,10}?(?:协商|沟通|谈判|对接)"
                     # the borrower's calls handed to the organisation: "所有借款电话一律转至本公司处理"
                     rf"|(?:转至|转给|转到|交给|交由){_OWN}"
                     # its cut of what it wins back: "减免下来的部分按30%收服务费"
                     r"|(?:减免|减下来|退回来|退的钱|退款)[^。\n]{0,12}?(?:按|抽|收|提)\s*\d{1,2}\s*%"
                     # acting in the client's name: "以甲方名义与甲方全部债权机构进行协商"
                     r"|以(?:甲方|委托人|客户|会员|您|你)的?名义"
                     # its staff writing for the borrower: "我是鑫安债务清零服务有限公司的法务顾问，负责钱德明老人的债务处理"
                     r"|我(?:是|们是)[^。\n]{0,30}?(?:公司|中心|机构|工作室|平台)的?(?:法务|顾问|专员|律师|经理|规划师)"
                     # selling the service: "成功案例展示", "成功率高达98.6%", "已服务持卡人1,200余名"
                     r"|成功案例|成功率|已服务[^。\n]{0,10}?(?:客户|持卡人|会员|家庭)|签约当天"
                     # the borrower's repayments to go through the outfit: "由本所指定账户统一代收代付"
                     r"|代收代付|代为收取|代收(?:还款|款项)|指定(?:代收)?账户")
# Someone who does debt settlement for a living, or runs a paid "上岸" group, acting for the borrower: "他是专业做上岸的",
# "专业做债务协商六年", "上岸互助群群主", "上岸导师"
_PRO_AGENT = re.compile(r"(?:专业|专门)(?:做|搞|从事|办|处理)?(?:上岸|债务|协商|停息|挂账|征信|反催收|逾期)"
                        r"|上岸(?:导师|老师|教练)|群主代理|(?:上岸|互助|协商|债务)[^。\n]{0,4}群(?:的)?群主"
                        r"|上岸[^。\n]{0,4}群[^\n]{0,20}?(?:会员费|服务费|收款)"
                        # an unnamed paid team or "mentor" the lender is sent to: "本人已委托专业团队全程跟进，后续事宜请直接
                        # 联系本人委托的导师"
                        r"|(?:委托|聘请)了?(?:专业|第三方)?(?:团队|导师|上岸老师|法务团队|债务顾问|协商团队)(?:全程|全权|跟进|处理|代为|负责)"
                        r"|(?:联系|找|对接)(?:本人|我)?(?:委托|聘请)的(?:导师|老师|顾问|团队|法务|专员)"
                        # a one-person "debt planner" acting for her "clients": "受客户委托的债务规划师", "蒋老师｜债务规划"
                        r"|债务规划师|债务优化师|债务规划|规划师本人|本规划师|受(?:客户|当事人)委托的(?!律师)"
                        # a person known by surname and a legal title acting: "委托司机之家刘法务全权处理…"
                        r"|(?:委托|授权)[^。\n]{0,8}?[\u4e00-\u9fa5]法务(?=全权|帮我|替我|代我|代为|处理)"
                        # a debt app's bill: "上岸VIP", "协商服务预付款", "成功费（…罚息减免…）"
                        r"|上岸(?:VIP|会员)|(?:协商|停催|减免)服务(?:预付款|费)|成功费[^。\n]{0,8}?(?:减免|协商)")
# An organisation whose name says it settles debts ("婚姻家事债务咨询有限公司", "企业纾困服务", "上岸学堂") issuing a paper
# for a fee it took from the borrower ("家事服务费", "纾困方案费", "维权保证金"): on its receipt or service slip (its name
# on the payee or seal line, or on a line of its own), that is the paid-agent sign however the work is described. A
# borrower's letter telling of the fee they paid is their story, not the agency acting.
_DEBT_TRADE_NAME = re.compile(r"债务|纾困|上岸|停息|挂账|反催收|征信修复|信用修复|维权|协商|法务|解押|退款|退保|退费")
_AGENCY_FEE = re.compile(r"(?:服务|方案|咨询|顾问|代理|陪跑|会员|建档|委托)费|保证金|定金|订金")
# ... or any consulting company's slip for a fee for that work ("上岸陪跑营课程服务费…停息挂账60期方案定制")
_DEBT_WORK = re.compile(r"停息|挂账|上岸|债务|减免|征信修复|反催收|停催|逾期协商|协商还款|全程协商|解押|GPS拆除|拆除GPS|网贷退款|退款服务|代理退保")
_ISSUER_MARK = re.compile(r"收款|开票|盖章|公章|专用章|\(章\)|出具|开具")
# "委托人因与长沙某医疗美容门诊部有限公司（已停业）之间的…合同纠纷": the party the borrower is in dispute with
_DISPUTE_AFTER = re.compile(r"(?:\([^)\n]{0,20}\))?之间")
_ANY_SUCH = re.compile(r"(?:任何|所谓|自称|冒充|假冒)[^。\n]{0,10}$")
_FIRM_ACTS = re.compile(r"律师事务所[^。\n]{0,6}?(?:接受|受)[^。\n]{0,60}?委托")
# A producers' cooperative (a lawful body the borrower belongs to), not a "互助合作社" that negotiates debts
_PRODUCERS_COOP = re.compile(r"(?:专业|经济|股份经济|农民|渔业|林业|种植|养殖)合作社$")
# An organisation of any name right after the verb of entrusting, acting: "委托和信联调中心全权处理…" (public bodies,
# law firms and legal-aid centres excluded by name)
# (not "与昆月消费金融有限公司及其委托的催收机构协商": an organisation someone else entrusted, named by a relative clause)
_NAMED_ORG_AGENT = re.compile(r"(?<![受已])(?:委托|授权)(?![人方书的])((?!上述|前述|上列|各)"
                              r"(?![^。\n]*?(?:律师事务所|法律服务所|法律援助|司法所|人民调解|居民委员会|村民委员会|"
                              r"居委会|村委会|人民法院|工会))[\u4e00-\u9fa5【】]{2,14}?(?:中心|机构|平台|团队|工作室|联盟|协会|基金会|委员会))"
                              r"(?=全权|处理|代|帮|负责|协商|作为)")
# An authorisation that cuts the lender off from the borrower and demands a waiver: what paid agencies write, under any
# name (a real firm asks to be copied in; it does not forbid the lender to speak to its client)
_CUTOFF = re.compile(r"(?:不得|禁止|不准|请勿|勿|不要)[^。\n]{0,12}?(?:以任何方式)?(?:直接)?(?:联系|联络|接触|骚扰)[^。\n]{0,4}?"
                     r"(?:委托人|借款人|当事人|本人)")
_WAIVER = re.compile(r"停息挂账|减免[^。\n]{0,6}?本金|本金[^。\n]{0,4}?减免|只还本金|全额减免|免除[^。\n]{0,6}?(?:利息|本金)")
# A lender's own department named after its app: "随心借(APP)客户服务中心", "贷后管理中心"
_LENDER_DEPT = re.compile(r"(?:客户服务|客服|贷后管理|贷后|催收管理|资产管理|风险管理)中心$")
# Words no organisation's name holds: the lender addressed (贵行), a preposition (向), a label's colon ("代表本公司向贵行
# 报送公司担保贷款…" names no company), a pronoun or a member opening it ("我是公司法定代表人", "社员与联社")
_NOT_ORG_NAME = re.compile(r"贵(?![州阳港溪定])|你们|您们|向(?:银行|平台|法院)|[:：]|^[我你他她本]|^(?:社员|会员|成员|客户|用户)")
# An organisation named only by its kind as the agent: "全权委托中心处理我的医美贷", "授权律师团代为协商", "授权合作社法务专员
# 孙磊…" (never the lender: "授权贵公司查询" names 贵)
_BARE_ORG_AGENT = re.compile(r"(?<![受已])(?:委托|授权|交给|交由)(中心|机构|平台|团队|工作室|法务部|律师团|合作社|本社|协会|联盟|本会|基金会|"
                             r"本基金会|商会|委员会|本委员会|本站)"
                             r"(?=全权|处理|代|帮|来|办|负责|协商|及|(?:的)?[\u4e00-\u9fa5]{0,3}?(?:法务|专员|社长|会长|顾问|经理|导师|老师))")
_FOR_BORROWER = re.compile(r"委托|代表|对接|全权|代理|找他|打他|跟他|联系他|他说的|会员")
# A certificate is an agency's only when an agency-type body says the borrower mandated it ("与本中心签订…委托…"): an
# employer or a hospital that prints "如有疑问请联系本公司" is not acting for anyone.
_AGENCY_NAME = re.compile(r"法务|债务|协商|维权|调解|权益|咨询|顾问")
_MANDATED = re.compile(rf"委托{_OWN}|与{_OWN}签(?:订|署)|{_OWN}[^。\n]{{0,6}}(?:受理|代理|全权)|接受[^。\n]{{0,30}}委托")


# An organisation of any name speaking for borrowers in its own voice ("本委员会代表全体受害租户…", "本站受司机委托…") and
# asking the lender to deal with it: the paid-agent sign, whatever it calls itself (委员会, 服务站, 基金会, 联盟…).
_SELF_ORG = r"(?:本|我)(?:委员会|站|基金会|联盟|协会|会|中心|社|团|团队|工作室|机构|平台|公司|司|研究院|办)"
_ORG_ACTS = re.compile(rf"{_SELF_ORG}[^。\n]{{0,6}}?"
                       r"(?:代表(?:全体|广大)?[^。\n]{0,6}?(?:会员|社员|成员|受害|租户|家属|客户|借款人|当事人|司机|学员|委托人|用户|您|各位)"
                       r"|(?:依法)?(?:接)?受[^。\n]{0,40}?委托)")
_TO_ORG = re.compile(rf"(?:与|找|联系|联络|和|同){_SELF_ORG}"
                     r"|(?:不得|勿|不要|请勿|停止|禁止)[^。\n]{0,10}?(?:直接)?(?:联系|联络|骚扰|催收)")
_FIRM_WRITES = re.compile(r"律师事务所|法律援助")


# A 律师事务所's name on a paper whose fee is collected by a consulting company ("诚瑞律师事务所…律师代理费…印章：某某法律咨询服务
# 有限公司 财务专用章"): a firm's fees are the firm's; a company behind a firm's name is a paid agency posing as one.
_FIRM_FEE = re.compile(r"律师(?:代理)?费|风险代理费|代理费")
_CONSULTING_SEAL = re.compile(r"(?:印章|专用章|开具|收款单位|收款方)[^\n]{0,20}?([\u4e00-\u9fa5]{2,20}咨询[\u4e00-\u9fa5]{0,8}有限公司)"
                              r"|([\u4e00-\u9fa5]{2,20}咨询[\u4e00-\u9fa5]{0,8}有限公司)[^\n]{0,12}?(?:印章|专用章|开具)")


def _firm_front(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    text = doc.text
    m = _CONSULTING_SEAL.search(text)
    if m is None or "律师事务所" not in text or not _FIRM_FEE.search(text):
        return []
    g = 1 if m.group(1) else 2
    return [finding(doc, "auth.trustee_company", "high", f"以律师事务所名义收取律师费，收款或盖章的却是咨询公司（{m.group(g)}）："
                    "律所的费用由律所收取；这是付费代理以律所名义出面的迹象，请经司法行政机关公开信息核实该律所，并直接联系借款人本人。",
                    m.start(g), m.end(g), signal=policy.signal_for("auth.trustee_company"))]


def _org_voice(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    """An organisation acting for borrowers in its own voice and drawing the lender's contact to itself (see above)."""
    text = doc.text
    m = _ORG_ACTS.search(text)
    if m is None or not _TO_ORG.search(text) or _FIRM_WRITES.search(text) or REVOKED.search(text):
        return []
    return [finding(doc, "auth.trustee_company", "high", "以机构名义（" + m.group(0)[:12] + "…）代借款人出面，并要求贷款机构与其对接："
                    "这类机构不是律师事务所，属疑似付费代理，请交专人核实并直接联系借款人本人。", m.start(), m.end(),
                    signal=policy.signal_for("auth.trustee_company"))]


def check_agency(doc: ReadDocument, policy: ReviewPolicy, *, certificate: bool = False) -> list[Finding]:
    """For letters that are not authorisations (a 告知函, a service slip, a complaint): a consulting company that says
    it acts for the borrower is the same paid-agent sign as a company named as trustee. On a ``certificate`` only an
    agency-type body the borrower mandated counts (a 调解中心 "certifying" its own mandate)."""
    if certificate and not _MANDATED.search(doc.text):
        return []
    found, _ = _company_findings(doc, policy, skip=(0, 0), trustee=None, acting_only=True)
    if not certificate and not any(f.severity == "high" for f in found):
        found += _pro_agent(doc, policy)
    if not certificate and not any(f.severity == "high" for f in found):
        found += _org_voice(doc, policy)
    if not certificate and not any(f.severity == "high" for f in found):
        found += _firm_front(doc, policy)
    if not certificate and not any(f.severity == "high" for f in found):
        found += _repay_via_org(doc, policy)
    if not certificate and not any(f.severity == "high" for f in found):
        found += _coaching_notice(doc, policy)
    if not certificate and not any(f.severity == "high" for f in found):
        found += _takes_credentials(doc, policy)
    return [f for f in found if not certificate or _AGENCY_NAME.search(doc.text[f.start or 0:f.end or 0])]


# The borrower's passwords or one-time codes handed to the agent ("修改了密码请在24小时内同步给您的规划师", "把网银U盾和
#验证码交给专员"): whoever holds them can borrow and pay in the borrower's name. No lender, lawyer or relative's
# authorisation asks for them; a warning never to give them away ("请勿将密码告诉任何人") is not this.
_CREDENTIALS = re.compile(r"(?:密码|验证码|动态码|U盾|u盾|网银盾)[^。\n]{0,24}?(?:同步|发给|告诉|提供给|交给|报给|转给|上交)"
                          r"[^。\n]{0,6}?(?:您的|你的)?(?:规划师|顾问|专员|老师|经理|主任|优化师|修复师|协商员|客服专员|我们|"
                          r"本工作室|本中心|本公司|本会|工作室|中心)"
                          r"|(?:提供|上交|交出|交给我们)[^。\n]{0,10}?(?:登录|支付|交易|网银|银行卡|账户|账号)[^。\n]{0,4}?密码")
_NEVER_GIVE = re.compile(r"不要|切勿|请勿|勿|不得|千万别|不能|绝不|别")


def _takes_credentials(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    for m in _CREDENTIALS.finditer(doc.text):
        if _NEVER_GIVE.search(doc.text, max(0, m.start() - 16), m.start() + 8):
            continue    # a warning near it: "请勿将密码告诉…", "密码不要发给…"
        if REVOKED.search(doc.text):
            # the family telling the lender what the agency asked for, after withdrawing its authority: a note for the
            # call, not a sign against the letter
            return [finding(doc, "agency.takes_credentials", "info", "信中说代理方曾要借款人交出账户密码或验证码，委托已撤销："
                            "请直接联系借款人本人，提醒其修改密码、不向任何人提供验证码，此后只与本人沟通。", m.start(), m.end())]
        return [finding(doc, "agency.takes_credentials", "high", "材料要借款人把账户密码或验证码交给代理方：持有这些的人可以用借款人的"
                        "名义借款、转账。这是付费代理和诈骗的迹象。请交专人核实，直接联系借款人本人，提醒其立即修改密码、不向任何人提供"
                        "验证码。", m.start(), m.end(), signal=policy.signal_for("auth.trustee_company"))]
    return []


# The borrower's repayments paid into the agent's organisation, which is to repay the lenders for them: "以后每个月的钱我
# 打到联合会卡上，由他们去还". A lender is repaid by the borrower (or a relative) directly; an outfit that collects the
# money is the paid agent's sign, and where borrowers lose it. The lender's own account ("打到贵公司账户") is not this.
_REPAY_VIA_ORG = re.compile(r"(?:钱|还款|月供|款项?)[^。\n]{0,12}?(?:打到|转到|交到|存到|汇到|打进|转进|存进|打给|转给|交给)"
                            r"[^。\n]{0,10}?(?:会|社|中心|公司|机构|工作室|联盟|站|团队|协会|基金)的?(?:银行)?"
                            r"(?:卡|账户|账上|账号|户头|收款码)")
_LENDERS_ACCOUNT = re.compile(r"贵|你们|您|官方|借款|贷款|金融|银行卡?$|还款账户|对公还款")


def _repay_via_org(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    for m in _REPAY_VIA_ORG.finditer(doc.text):
        if _LENDERS_ACCOUNT.search(m.group(0)) or REVOKED.search(doc.text):
            continue
        return [finding(doc, "auth.repay_via_agent", "high", "借款人的还款要先打到代理方（机构）的账户、由其代为还款：正规代理不经手"
                        "借款人的还款。这是付费代理的迹象，也有截留还款的风险。请交专人核实，直接联系借款人本人，提醒其只向本机构官方"
                        "渠道还款。", m.start(), m.end(), signal=policy.signal_for("auth.trustee_agency"))]
    return []


# An outfit's notice to its own customers or members ("致全体社员的一封信", "各位会员司机：") telling them not to repay
# the lender or not to answer it: the coaching of a paid agent, whatever it calls itself. A lender or a union never tells
# borrowers to stop repaying.
TO_MEMBERS = re.compile(r"^(?:致|告)?(?:各位|亲爱的|全体|广大)(?:委托|签约|服务|协商|尊敬的)?[\u4e00-\u9fa5]{0,3}?"
                        r"(?:客户|学员|会员|社员|盟员|伙伴|委托人|老铁|姐妹|兄弟伙|工友|头家)"
                        # any group it calls by a name of its own ("致各位签约船老大的通知", "各位聋友好！"), never the
                        # lender's staff a complaint addresses ("各位领导：")
                        r"|^(?:致|告)?(?:各位|全体|广大)(?!好|您好|领导|老师|工作人员|客服|负责人|同事|经理|法官|干部|同志|专家|评委|"
                        r"银行|平台|贵司|债权人|机构)"
                        r"[\u4e00-\u9fa5]{1,6}?(?:[:,!、]|的(?:通知|紧急通知|一封信|公告|告知书)|好[:,!]?$)"
                        # a notice's header line saying whom it goes to: "发布范围：全体服务期内客户"
                        r"|^(?:发布|发送|通知|适用|推送)(?:范围|对象)[:](?:全体|各位|所有|本)[\u4e00-\u9fa5]{0,10}?"
                        r"(?:客户|学员|会员|社员|盟员|伙伴|委托人)", re.M)
# quotation marks inside a salutation ("各位“上岸”路上的伙伴：") do not part its words
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
_DONT_REPAY = re.compile(r"(?:不要|别|严禁|禁止|一律停止|停止|切勿|请勿|不得|千万不要)(?:再)?(?:私自|私下|自行|擅自|自己)?(?:去)?"
                         r"(?:向[^。\n]{0,10}?)?"
                         r"(?:还款|还钱|还一分|还任何)"
                         r"|(?:钱|款)(?:先|暂时|都|就)?(?:不要|别|不)还"
                         r"|(?:催收|平台|银行)[^。\n]{0,6}?电话[^。\n]{0,4}?(?:一律|全部|都)?(?:不要|别|不)接")


def to_own_members(doc: ReadDocument) -> bool:
    """Addressed, in its first four lines, to the issuer's own customers or members ("致全体社员的一封信", "各位会员司机
    兄弟伙："): an agency's notice to them, never a letter to a lender, whatever it asks."""
    heads = [_QUOTES.sub("", re.sub(r"\s+", "", ln.text)) for ln in doc.lines if ln.text.strip()][:4]
    return any((m := TO_MEMBERS.search(h)) is not None and not _TO_LENDERS.search(m.group(0)) for h in heads)


# a letter to the lenders, however it greets them ("致各位借款平台、银行：")
_TO_LENDERS = re.compile(r"平台|银行|贷|金融|公司|机构|领导|客服|债权|催收")


def _coaching_notice(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    text = doc.text
    if not to_own_members(doc):
        return []
    m = _DONT_REPAY.search(text)
    if m is None:   # typed with a space between words ("钱 先 不 要 还"): looked for again without them
        keep = [i for i, ch in enumerate(text) if not (ch == " " and 0 < i < len(text) - 1)]
        t = _DONT_REPAY.search("".join(text[i] for i in keep))
        if t is None:
            return []
        start, end = keep[t.start()], keep[t.end() - 1] + 1
    else:
        start, end = m.start(), m.end()
    return [finding(doc, "agency.coaching_notice", "high", "这是一份发给自己“客户/会员”的通知，要求他们不还款或不接贷款机构的"
                    "电话：这是付费代理操控借款人的做法。请交专人核实，直接联系借款人本人，提醒其按合同还款、谨防被中介收费诱导。",
                    start, end, signal=policy.signal_for("auth.trustee_company"))]


def _pro_agent(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    """A person who settles debts for a living (or runs a paid 上岸 group) acting for the borrower: the paid-agent sign,
    whatever the paper is."""
    # (not a fee the borrower wants back: "代为向X中心主张退还已收取的协商服务费")
    m = next((m for m in _PRO_AGENT.finditer(doc.text) if not _RECOVERS_FROM.search(_sentence(doc.text, m.start()))), None)
    if m is None or not _FOR_BORROWER.search(doc.text) or REVOKED.search(doc.text):
        return []
    return [finding(doc, "auth.trustee_agency", "high", "代借款人出面的人以做“上岸”、债务协商为业（或是收费“上岸群”的群主）："
                    "属疑似付费代理，请交专人核实并直接联系借款人本人。", m.start(), m.end(),
                    signal=policy.signal_for("auth.trustee_agency"))]


# What the named agent is to do against an organisation the authorisation names (not the agent): get back what it took,
# or answer for what it sent in the borrower's name
_AGAINST_IT = re.compile(r"\s*(?:以|用)(?:本人|我|委托人)的?名义|\s*(?:要回|追回|讨回|索回|索还|退还|退回|返还)")
_HANDED_TO = re.compile(r"委托|授权|交给|交由|让|由")     # ... unless it is the one entrusted to do so
# what a lawyer does against an agency that took the borrower's money: recover the fees, report it
_RECOVERS_FROM = re.compile(r"(?:交涉|主张|追讨|追回|要回|讨回|索回|要求)[^。\n;]{0,4}?(?:退费|退款|退还|返还)"
                            r"|协助报案|代为报案|被(?:其|该|对方)?收取|(?:追讨|追回|要回|讨回|索回|索还)[^。\n;]{0,16}?(?:费|款|钱)")
# an organisation the borrower entrusted before, named inside the new agent's own line ("代我处理之前委托X期间产生的纠纷")
_BEFORE_WORDS = ("之前", "以前", "此前", "曾经", "曾", "原先", "当初", "先前")
_PAST_MANDATE = re.compile(rf"(?:{'|'.join(_BEFORE_WORDS)})(?:委托|授权|签约|加入)(?:了|过)?$")
# a law firm entrusted in prose ("现委托广东某某律师事务所郑某某律师…作为我的代理人")
_FIRM_ENTRUSTED = re.compile(r"(?<![受已])(?:委托|授权)(?![人方书])[^。\n;]{0,30}?律师事务所")
# (a past one is not: "代我处理之前委托X期间产生的纠纷，包括要求其退还已收费用")
_ENTRUSTED_JUST_BEFORE = re.compile("".join(f"(?<!{w})" for w in _BEFORE_WORDS)
                                    + r"(?:委托|授权|交给|交由)(?![人方])[^。\n;]{0,12}$")


def _company_findings(doc: ReadDocument, policy: ReviewPolicy, *, skip: tuple[int, int],
                      trustee: tuple[int, int] | None, acting_only: bool = False) -> tuple[list[Finding], bool]:
    """Organisations named in the letter: a law firm (verify by its switchboard), a legal service office, or a company
    acting as trustee (high). ``skip`` is the principal's own span; the lender the letter is written to never counts.
    With ``acting_only`` only a company said to act for the borrower is reported. Returns (findings, a firm named)."""
    text = doc.text
    out: list[Finding] = []
    firm = False
    seen: set[str] = set()
    parties: set[str] = set()
    own_members = to_own_members(doc)
    revoked = REVOKED.search(text) is not None and not own_members
    own = {u.group(1) for u in PRINCIPAL_UNIT.finditer(text)}  # a company authorising its own staff (reading form)
    firm_trustee = trustee is not None and "律师事务所" in text[trustee[0]:trustee[1]]
    # a law firm is the agent, in a trustee block or entrusted in prose
    firm_agent = firm_trustee or _FIRM_ENTRUSTED.search(text) is not None
    for m in _ORG.finditer(text):
        name = _org_name(m.group(0))
        start = m.end() - len(name)
        if any(o.endswith(name) or name.endswith(o) for o in own) or _NOT_ORG_NAME.search(name) or _LENDER_DEPT.search(name):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start) if text.find("\n", start) >= 0 else len(text)
        if len([ln for ln in text[:line_start].split("\n") if ln.strip()]) <= 2 \
                and text[line_start:line_end].rstrip().endswith(":") and not _ENTRUST.search(text, line_start, line_end):
            continue  # the letter's salutation ("金桔分期客户服务中心："): the lender it is written to
        if _ANY_SUCH.search(text, max(0, start - 14), start):
            continue  # "任何自称“法务部”“债务处置中心”的机构": a kind of organisation warned of, no one named
        if text.startswith(("员工", "职工"), m.end()):
            continue  # "（公司员工，非执业律师）": the company's staff, not an organisation named
        if name in parties:
            continue  # named before as a party to the dispute: so it stays ("代为向X主张退还…")
        if _DISPUTE_AFTER.match(text, m.end()):
            parties.add(name)
            continue  # the other side of the borrower's dispute ("与X门诊部有限公司之间的…纠纷"), never the agent
        if _OPERATOR_BEFORE.search(text, max(0, start - 12), start) or _LIST_AFTER_PREP.search(text, max(0, start - 90), start) \
                or _DISPUTE_TAIL.match(text, m.end()) and _DISPUTE_HEAD.search(text, max(0, start - 60), start):
            parties.add(name)
            continue  # an app's operator, or one of several parties to the dispute: the lender's side
        counterparty = _COUNTERPARTY.search(text[max(0, start - 6):start]) is not None \
            and not _SIGNED_WITH.match(text, m.end()) \
            and not _STAFF_THERE.match(text, m.end())   # "已与X调解服务中心签订服务协议", "在X服务站做帮扶员": the agent's
        if skip[0] <= start < skip[1] or LENDER.search(name) or counterparty or _GENERIC_ORG.search(name) \
                or any(prev.endswith(name) for prev in seen) \
                or _ADDRESSEE.search(name) or _LENDER_UNIT.search(text, max(0, start - 40), start) and not _DEBT_TRADE.search(name) \
                or _ADDRESS_LINE.search(text, text.rfind("\n", 0, start) + 1, start):
            continue  # the borrower's own line, or the lender the letter is addressed to (or one of its departments)
        sentence = _sentence(text, start)
        line = text[text.rfind("\n", 0, start) + 1:(text.find("\n", start) + 1 or len(text) + 1) - 1]
        if (REVOKED.search(sentence) or REVOKED.search(line) and _PAST_DEAL.search(sentence)) and not own_members:
            # an outfit's notice to its own customers tells of others revoking it ("个别客户…自行撤销了对本工作室的授权"):
            # no grant is withdrawn by the paper itself
            seen.add(name)
            out.append(finding(doc, "auth.revoked_agency", "info", f"信中说此前对{name}的委托已撤销，或说它并非本人所托："
                               "请与借款人本人核实，此后不再与该机构沟通，只联系借款人本人或新的受托人。", start, m.end()))
            continue
        seen.add(name)
        in_trustee = trustee is not None and trustee[0] <= start < trustee[1]
        if PUBLIC_BODY.search(name) and not _NOT_PUBLIC.search(name) or _GOV_UNIT.search(name) and not _NOT_GOV.search(name) \
                or _TRADE.search(name) and not _DEBT_TRADE.search(name) and not in_trustee:
            continue
        if acting_only and _FIRM_ACTS.search(text) and "律师事务所" not in name and not _DEBT_TRADE_NAME.search(name):
            continue    # a law firm acting for its client: another company it names (a GPS vendor, a dealer) is a party
        if acting_only and revoked:     # a statement withdrawing the agency's authority: the opposite of it acting
            out.append(finding(doc, "auth.revoked_agency", "info", f"信中说此前对{name}的委托已撤销，或说它并非本人所托："
                               "请与借款人本人核实，此后不再与该机构沟通，只联系借款人本人或新的受托人。", start, m.end()))
            continue
        if acting_only:
            if "律师事务所" not in name and "法律服务所" not in name and _SUSPECT_ORG.search(name) \
                    and (_ACTING.search(text) or (_DEBT_TRADE_NAME.search(name) or _DEBT_WORK.search(text))
                         and _AGENCY_FEE.search(text) and (_ISSUER_MARK.search(line) or line.strip() == name)):
                out.append(finding(doc, "auth.trustee_company", "high", f"法务、咨询类机构（{name}）称代借款人处理债务："
                                   "这类机构不能以律师名义代理，属疑似付费代理，请交专人核实并直接联系借款人本人。",
                                   start, m.end(), signal=policy.signal_for("auth.trustee_company")))
            continue
        if "律师事务所" in name:
            firm = True
            out.append(finding(doc, "auth.law_firm_verify", "info",
                               f"受托人所在律所：{name}。请查询律所公开的总机电话回拨核实承办律师，勿只用信上留的手机号。",
                               start, m.end()))
        elif "法律服务所" in name:
            # assigned by a public legal-aid centre, a 基层法律服务工作者 is lawful help: a note, not a warning
            aided = _LEGAL_AID.search(text) is not None
            out.append(finding(doc, "auth.legal_service_office", "info" if aided else "warn",
                               f"受托单位为{name}（基层法律服务所，不是律所）：请核实法律服务工作者执业证，并经其公开电话回拨。"
                               + ("法律援助中心指派的，可向该中心核实指派。" if aided else ""), start, m.end()))
        elif not _DEBT_TRADE.search(name) and _EMPLOYER.search(text) and not (in_trustee or _ENTRUST.search(sentence)):
            continue  # the principal's employer named as the letterhead or in the story: no agency
        elif (in_trustee or _ENTRUST.search(sentence)) and not _DEBT_TRADE.search(name) and _EMPLOYER.search(text):
            out.append(finding(doc, "auth.trustee_employer", "info", f"受托方是委托人所在单位（{name}）：请经该单位公开的"
                               "电话核实经办人身份，并直接联系借款人本人确认。", start, m.end()))
        elif _PRODUCERS_COOP.search(name) and not _SUSPECT_ORG.search(name) and (in_trustee or _ENTRUST.search(sentence)):
            # the borrower's own fishing or farming cooperative (a 专业合作社, a lawful producers' body) acting for a
            # member: like an employer, verify; a "互助合作社" that negotiates debts is an agency (the branch below)
            out.append(finding(doc, "auth.trustee_employer", "info", f"受托方是委托人所在的合作社（{name}）：请经该合作社公开的"
                               "电话核实经办人身份，并直接联系借款人本人确认。", start, m.end()))
        elif not in_trustee and firm_agent and not _DEBT_TRADE.search(name):
            # a law firm is the agent (in a trustee block or entrusted in prose): another company it names (an app's
            # operator, the lender by a short name, "跟禾汇公司核对欠款") is a party
            continue
        elif (not in_trustee or _PAST_MANDATE.search(text, max(0, start - 8), start)) \
                and firm_agent and _RECOVERS_FROM.search(sentence) \
                and not _ENTRUSTED_JUST_BEFORE.search(text, max(0, start - 14), start):
            continue  # the firm is to get the fees back from an agency ("就委托人此前加入X并被收取会员费一事，代为交涉退费"): a party
        elif _AGAINST_IT.match(text, m.end()) and not _HANDED_TO.search(text, max(0, start - 12), start):
            # the agent is to act against it ("向X中心要回…", "就X公司以本人名义发出的函件作出说明"), even inside the
            # sentence that names the agent: a party, never the one entrusted
            continue
        elif in_trustee or _ENTRUST.search(sentence):
            out.append(finding(doc, "auth.trustee_company", "high", f"受托方是公司而非律师事务所（{name}）：法务、咨询类公司"
                               "不能以律师名义代理，属疑似付费代理，请交专人核实并直接联系借款人本人。",
                               start, m.end(), signal=policy.signal_for("auth.trustee_company")))
        elif _SUSPECT_ORG.search(name):  # a consulting company's seal or "contact our 法务部" line
            out.append(finding(doc, "auth.company_named", "high", f"材料中出现法务、咨询类公司（{name}）：疑似由付费代理机构"
                               "出具，请核实。", start, m.end(), signal=policy.signal_for("auth.company_named")))
    return out, firm


def _missing(doc: ReadDocument, part: Element, check: str, severity: Severity, message: str) -> Finding:
    """A finding about a missing part: no quote, so it says where the letter was searched."""
    return finding(doc, check, severity, f"{message}（{part.where}，均未找到。）")


def check_authorisation(doc: ReadDocument, policy: ReviewPolicy) -> list[Finding]:
    """Findings for a 授权委托书."""
    text = doc.text
    out: list[Finding] = []
    parts = find_elements(doc, policy.element_reading)
    trustee = _block(doc, _TRUSTEE) or _block(doc, _TRUSTEE_UNIT)
    if trustee is None and parts["agent"].start is not None:  # "本人…现委托受托人孙律师（…）处理…": the agent's sentence
        trustee = sentence_of(doc, parts["agent"].start)
    if not parts["principal"].found:
        out.append(_missing(doc, parts["principal"], "auth.principal_missing", "warn",
                            "未见委托人（借款人本人）的身份信息：应写明姓名和身份证号，并核对与借款人资料一致。"))
    elif not _ID_WORD.search(text):
        p = parts["principal"]
        out.append(finding(doc, "auth.principal_id_missing", "info", "委托人没有写身份证号：请与借款人资料核对。",
                           p.start, p.end))
    if not parts["agent"].found:
        out.append(_missing(doc, parts["agent"], "auth.trustee_missing", "warn",
                            "未写明受托人（代理人）是谁：不能确认由谁代为办理。"))
    trustee_text = text[trustee[0]:trustee[1]] if trustee else ""
    a0 = trustee[0] if trustee else 0

    # the trustee's number may stand on the line under the trustee ("…律师程立新" / "证号：…")
    below = text.find("\n", text.find("\n", trustee[1]) + 1) if trustee else -1
    if trustee is not None and not (_ID_WORD.search(trustee_text)
                                    or find_licence(text, trustee[0], below if below > 0 else len(text))):
        out.append(finding(doc, "auth.trustee_id_missing", "info", "受托人没有写身份证号或执业证号：请要求提供并核实身份。",
                           *trustee))
    pr = parts["principal"]
    skip = (pr.start, pr.end) if pr.start is not None and pr.end is not None else (0, 0)
    found, firm = _company_findings(doc, policy, skip=skip, trustee=trustee)
    firm = firm or _LEGAL_AID.search(text) is not None
    out += found

    bare = _BARE_ORG_AGENT.search(text) or _NAMED_ORG_AGENT.search(text)
    if bare is not None and not any(f.severity == "high" for f in out):
        out.append(finding(doc, "auth.trustee_company", "high", f"受托方只写了“{bare.group(1)}”，是一个机构而不是律师事务所或亲友："
                           "这类机构以代理名义处理债务属疑似付费代理，请交专人核实并直接联系借款人本人。",
                           bare.start(1), bare.end(1), signal=policy.signal_for("auth.trustee_company")))
    cutoff = _CUTOFF.search(text)
    if cutoff is not None and _WAIVER.search(text) and not any(f.severity == "high" for f in out):
        out.append(finding(doc, "auth.cuts_off_borrower", "high", "委托书要求贷款机构不得直接联系借款人本人，同时要求停息挂账或减免本金："
                           "即便以律师事务所名义，这也是付费代理的典型做法。请经司法行政机关公开的信息核实律所和律师，并直接联系借款人本人"
                           "确认意愿。", cutoff.start(), cutoff.end(), signal=policy.signal_for("auth.trustee_company")))
    agency = _AGENCY_TITLE.search(trustee_text)
    if agency is None and not any(f.severity == "high" for f in out):
        out += _pro_agent(doc, policy)      # "我朋友韩志鹏…他是专业做上岸的"
    if not any(f.severity == "high" for f in out):
        out += _repay_via_org(doc, policy)  # "以后每个月的钱我打到联合会卡上，由他们去还"
    if agency is not None:
        out.append(finding(doc, "auth.trustee_agency", "high", f"受托人是“{agency.group(0)}”：这是债务协商、停息挂账类"
                           "机构的职位，不是律师，也不是亲友；这类机构以个人名义代理属疑似付费代理，请交专人核实并直接联系借款人本人。",
                           a0 + agency.start(), a0 + agency.end(), signal=policy.signal_for("auth.trustee_agency")))
    for m in [] if agency is not None else _TITLE.finditer(trustee_text):
        if m.group(0) == "律师助理" and firm:
            continue  # a firm's assistant named beside its lawyer is the firm's staff
        if m.group(0).startswith("法务") and _EMPLOYER.search(text) and not any(f.severity == "high" for f in out):
            continue  # the legal officer of the principal's own employer ("她是公司法务部员工"): the employer case
        out.append(finding(doc, "auth.trustee_title", "warn", f"受托人自称“{m.group(0)}”：这不是律师执业身份，"
                           "请核实其与借款人的关系和委托是否出于本人意愿。", a0 + m.start(), a0 + m.end(),
                           signal=policy.signal_for("auth.trustee_title")))
        break
    out += _licence_findings(doc, trustee_text, a0, firm, policy, parts["agent"].start)

    if not parts["relationship"].found and not firm and not _LAWYER.search(text):
        out.append(_missing(doc, parts["relationship"], "auth.relationship_missing", "info",
                            "未写明受托人与委托人的关系（亲属、朋友、同事等）。"))
    scope = parts["scope"]
    if not scope.found:
        out.append(_missing(doc, scope, "auth.scope_missing", "warn", "未写明委托事项和权限：不能确认受托人可以代办哪些事。"))
    else:
        assert scope.start is not None
        broad = _BROAD.search(text, scope.start, scope.start + 200)
        if broad:
            out.append(finding(doc, "auth.scope_broad", "info", "授权范围笼统（如“全权处理一切事宜”）：按规定只在本人确有困难时"
                               "受理委托，且涉及账户信息的事项仍需本人确认。", broad.start(), broad.end()))
    if not parts["term"].found:
        out.append(_missing(doc, parts["term"], "auth.term_missing", "info", "未写明委托期限。"))
    if not parts["signature"].found:
        out.append(_missing(doc, parts["signature"], "auth.signature_missing", "warn",
                            "未见委托人签字或盖章：需要本人签名的原件。"))
    if not parts["date"].found:
        out.append(_missing(doc, parts["date"], "auth.date_missing", "warn", "委托书没有落款日期。"))
    return out


_LETTER_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*(?:年|[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}(?!\d))")


# A lawyer entrusted with other business in a clause of their own ("打官司那些大事我托了林律师，零碎跑腿的事就委托我老伴…"):
# someone else, not the agent of this letter claiming to be a lawyer
_OTHER_GRANT = re.compile(r"(?:委托|托|请|找)了?[^，,;；。\n]{0,6}$")


def _licence_findings(doc: ReadDocument, trustee_text: str, a0: int, has_firm: bool,
                      policy: ReviewPolicy, agent_start: int | None = None) -> list[Finding]:
    """A claimed lawyer needs a licence number of the right shape (and a firm); a right shape still needs checking."""
    out: list[Finding] = []
    lawyer = _LAWYER.search(trustee_text)
    if lawyer is not None and agent_start is not None:
        left, right = clause_bounds(doc.text, a0 + lawyer.start(), a0 + lawyer.end(), "，,;；。\n")
        if not left <= agent_start < right and _OTHER_GRANT.search(doc.text, left, a0 + lawyer.start()):
            lawyer = None
    lic = find_licence(doc.text, a0, a0 + len(trustee_text)) or find_licence(doc.text)
    if lawyer is None and lic is None:
        return out
    if lawyer is None and _LEGAL_WORKER.search(doc.text):
        # a 基层法律服务工作者's 执业证 is numbered by other rules than a lawyer's: nothing to say about its shape
        return out
    if lic is None or not lic.number:
        if lawyer is None:  # an empty 执业证号 field in a letter that names no lawyer: nothing claimed
            return out
        out.append(finding(doc, "auth.lawyer_no_licence", "high", "自称律师但没有写执业证号：请要求提供律师执业证号和所在律所，"
                           "在全国律师执业诚信信息公示平台查询，并经律所总机回拨核实。", a0 + lawyer.start(), a0 + lawyer.end(),
                           signal=policy.signal_for("auth.lawyer_no_licence")))
        return out
    number = lic.number
    s, e = lic.start, lic.end
    quote = f"{lic.label}：{number}"  # a licence number is public professional data, not personal data
    dated = [int(y) for y in _LETTER_YEAR.findall(doc.text)]
    problem = licence_problem(number, max(dated, default=None))
    if problem is not None:
        why, severity = problem
        named = f"（信上写作“{lic.label}”，并不是律师执业证号）" if "援助" in lic.label else ""
        out.append(finding(doc, "auth.licence_shape", severity, f"执业证号{why}{named}：请在全国律师执业诚信信息公示平台核实。",
                           s, e, signal=policy.signal_for("auth.licence_shape"), quote=quote))
    else:
        out.append(finding(doc, "auth.licence_verify", "info", "执业证号格式正确（17位）。格式正确不代表真实：请在全国律师执业"
                           "诚信信息公示平台核对姓名与律所，并经律所总机回拨。", s, e, quote=quote))
    if lawyer is not None and not has_firm:
        out.append(finding(doc, "auth.lawyer_no_firm", "warn", "自称律师但没有写所在律师事务所：律师只能通过律所接受委托。",
                           a0 + lawyer.start(), a0 + lawyer.end(), signal=policy.signal_for("auth.lawyer_no_firm")))
    return out
