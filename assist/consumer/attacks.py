"""The consumer side's attack filter: prompt injection, role play, encoded text, evasion questions, pressure
templates, other people's data, internal material and fraud help get a polite refusal. Rules name the category;
an optional learned layer (assist.consumer.text_model, `assist train-attacks`) catches phrasings the rules do not know.
A missed refusal is not a leak - the consumer side can only ever retrieve consumer material - but it answers a
request that should have been declined."""

from __future__ import annotations

import base64
import binascii
import re

import numpy as np

from assist.consumer.text_model import LinearTextModel, featurize
from assist.core.text import normalize
from assist.ports import Embedder

# Common surnames: "张某" or "王小明" names someone else.
_SURNAMES = ("张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_KIN = (r"(他|她|我(的)?(前夫|前妻|朋友|儿子|女儿|老公|老婆|丈夫|妻子|妈|爸|同事|亲戚|邻居|同学)|"
        r"[" + _SURNAMES + r"][某\u4e00-\u9fff]{1,2})")
ATTACKS: list[tuple[str, str]] = [
    (r"(忽略|忘掉|忘记|无视|作废|不用管|跳过).{0,10}(指令|只令|要求|提示|规则|设定|限制|你是)|"
     r"ignore (all |the |your )?(previous|above|prior|earlier) (instructions|rules)|(开发者|调试|管理员|越狱|上帝)(模式|指令|权限)|"
     r"developer mode|admin|override|jailbreak|((?<![a-z])ai|助手|模型).{0,6}请注意|\[\[sy|"
     r"(上面|以上|之前|前面).{0,10}(内容|指令|文字|设定|说明).{0,8}(重复|复述|输出|发|念|贴)", "prompt_injection"),
    (r"(系统|系铳)(消息|提示|提是词|设置|配置|指令)|system (prompt|message)|提示词|xi ?tong ?ti ?shi|hua ?shu|"
     r"(重复|复述|翻译|输出|列出|显示|导出|贴出|发出).{0,16}(上面|以上|之前|说明|规则|配置|知识库|隐藏|文档|条目|原文)|"
     r"(内部|员工|坐席|催收(部门|那边)?|你们公司).{0,16}(话术|资料|文档|文件|规则|标准|指引|流程|标签|手册|培训|条目|口径|制度)|"
     r"风控(规则|模型|策略)|疑似代理|(坐席|客服|员工).{0,10}(遇到|碰到|接到).{0,12}(代理|维权|中介).{0,12}(怎么|如何|用什么|话术)|"
     r"\bs\d{1,2}\b.{0,8}(信号|规则)|s\d{1,2}到s\d{1,2}|不(给|让)客户(看|知道)|internal (rules|guidelines|scripts|documents|policy)|"
     r"(怎么|如何|哪几个|什么|哪些).{0,8}(判断|识别|认定|标记).{0,10}(代理|维权)", "internal_request"),
    (r"(我是|作为|假装你是|假装|扮演).{0,16}(坐席|员工|内部|审计|监管|管理员|开发者|工作人员|检查|讲师|主管|培训)", "role_play"),
    (r"(怎么|如何|教我|才能|是不是就|好让|怎样).{0,16}(躲过|避开|规避|绕过|不被|不会被|识别不出|识破|认不出|发现不了).{0,10}(识别|检测|发现|标记|风控|标签|坐席|认定|识破|你们|出来)|"
     r"(不会|不)被.{0,8}(识别|识破|认定|标记|打标签).{0,4}(成|为)?.{0,6}(代理|中介|批量|培训|第三方)|(被|给).{0,4}打(上)?标签|识别不出来|不像(是)?被(培训|教)|"
     r"冒充(我|借款人|本人).{0,10}(打电话|协商|去)|(会|要)核实哪些.{0,16}(准备|应付)|"
     r"不会被.{0,6}识破|avoid (being )?(flagged|detected)|without being (flagged|detected)", "evasion"),
    (r"(帮我|给我|替我|请你?|能不能|教我|来一?(份|套|段))(写|生成|编|出|整理|拟|做|给|来).{0,16}(投诉|律师函|台词|模板|文案|施压|流程).{0,30}(减免|施压|逼|扛不住|让步|免息|不像|编|怕|狠|曝光|只还本金|每天投诉)|"
     r"(给|要)一?(套|份).{0,8}(施压|逼).{0,10}(流程|步骤|方案)|"
     r"(帮我|给我|替我|请|能不能)(写|生成|编|整理|拟).{0,16}(统一|批量|群发|一键|不同账号|多个账号|几十).{0,10}(投诉|模板)|"
     r"(统一|批量|群发|一键|不同账号|几十个号码|多个账号).{0,16}(投诉|模板|监管).{0,12}(怎么|如何|安排|写|不会被)|"
     r"(写|拟|需要|要|给我)一?(份|个|封|套).{0,16}模板.{0,40}(减免|施压|逼|让步|曝光|只还本金|狠|怕|免息)|"
     r"编得像|(背熟|背下来).{0,6}(台词|话术)|"
     r"complaint (letter )?template.{0,40}(threat|waive|pressure)|threatens? (regulator|media)", "pressure_template"),
    (r"(帮我|教我|替我|能不能).{0,10}(伪造|编造|编|弄|做|开)一?(个|份|张)?.{0,12}(证明|流水|异议|材料|病历).{0,24}(像真的|以假乱真|其实)|"
     r"(其实|实际上)(就是|是)我自己(借|办|贷)的|看起来像真的", "fraud_help"),
    (r"(其他|别的|别人|某某)(客户|用户|人)的.{0,6}(资料|信息|电话|欠款|身份证)|"
     r"(查|查查|查一下|看看|帮我看|告诉我|给我|提供|发我|知道)(借款人|客户|用户)?" + _KIN + r".{0,20}(欠|借|电话|住址|地址|身份证|联系人|余额|借款)|"
     r"(他|她|" + _KIN + r").{0,24}(住址|地址|紧急联系人|联系人电话|身份证号).{0,6}(给我|发我|告诉我)|"
     r"(客户|逾期|借款人)(的)?(名单|姓名和电话|电话和欠款|联系方式)|"
     r"(逾期|欠款)?(客户|用户|借款人)的?(电话|名单|资料|信息|联系方式).{0,6}(给我|发我|卖给|分成|一份)|(真实)?客户案例.{0,10}(电话|身份证)|"
     r"(outstanding )?balance and id|someone else'?s (data|balance|account)", "other_customer_data"),
]


def _looks_base64(text: str) -> bool:
    for token in re.findall(r"[A-Za-z0-9+/=]{24,}", text):
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.strip():
            return True
    return False


_ENCODED = r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}|(%[0-9A-F]{2}){3,}|\\u[0-9a-f]{4}|倒(过来|着)(读|念)|rot13"


def classify_attack(message: str) -> str | None:
    """The attack category of a consumer message (injection, internal request, role play, evasion, pressure template,
    other customers' data, encoded text), or None."""
    norm = normalize(message)
    # "忽 略 之 前 的 指 令": spaces between Chinese characters are removed before matching
    norm = re.sub(r"(?<=[\u4e00-\u9fff，。])\s+(?=[\u4e00-\u9fff，。])", "", norm)
    for pat, name in ATTACKS:
        if re.search(pat, norm, re.IGNORECASE):
            return name
    if _looks_base64(message) or re.search(_ENCODED, message, re.IGNORECASE):
        return "encoded"
    return None


CATEGORIES = tuple(name for _, name in ATTACKS) + ("encoded",)
LABELS = ("attack",)


def rule_features(message: str) -> np.ndarray:
    """One flag per rule category (the learned layer sees what the rules saw)."""
    cat = classify_attack(message)
    return np.asarray([float(cat == c) for c in CATEGORIES], dtype=np.float64)


# The learned layer never refuses a consumer asking for advice about something that happened to them, or asking
# where to complain (a right); the rules still refuse pressure templates and the like.
_ADVICE = re.compile(r"(要不要|该不该|怎么办|是不是(骗|真的|假的)|真的假的|靠谱吗|可信吗|能信吗|正常吗|有没有问题|"
                     r"(诈骗|骗子|骗局|骗人的?)[吗么吧][？?]?$)")
_RIGHTS = re.compile(r"(投诉|12378|12363|监管|管你们|不满意|申诉|找谁|上级)")
_PRESSURE = re.compile(r"(逼|施压|模板|扛不住|曝光|群发|批量|让步|怕)")
# The learned layer was trained on messages of at most 180 characters; a longer text (a pasted story) is outside what
# it learned, and embedding it would cost more than the whole answer's budget. The rules still read all of it.
LEARNED_MAX_CHARS = 200


class AttackFilter:
    """Rules, extended by the learned layer when a model trained with this embedder is available."""

    def __init__(self, embedder: Embedder | None, model: LinearTextModel | None) -> None:
        self.embedder = embedder
        self.model = model if embedder is not None else None

    def classify(self, message: str) -> str | None:
        """The attack category, "learned" when only the model sees one, or None."""
        cat = classify_attack(message)
        if cat is not None or self.model is None or self.embedder is None:
            return cat
        norm = normalize(message)
        if len(norm) > LEARNED_MAX_CHARS:
            return None
        if _ADVICE.search(norm) or (_RIGHTS.search(norm) and not _PRESSURE.search(norm)):
            return None
        p = self.model.probabilities(featurize(self.embedder, message, rule_features))["attack"]
        return "learned" if p >= self.model.thresholds.get("attack", 0.5) else None
