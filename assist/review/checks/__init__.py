"""Checks on a read document: what kind it is, then the findings for that kind, each with its evidence.

Pure logic over ReadDocument (no I/O). What the signal taxonomy says about letters (advice, letter phrasing, which
signal explains a finding) and the rule matcher come in as a ReviewPolicy. Every quote is masked before it leaves.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assist.review.checks.authorisation import PUBLIC_BODY, check_agency, check_authorisation, to_own_members
from assist.review.checks.certificate import check_certificate
from assist.review.checks.complaint import check_complaint
from assist.review.checks.elements import DIALECT_KIN
from assist.review.checks.evidence import LENDER, REVOKED, finding, quote_of
from assist.review.checks.reading import fold_speech, reading_view
from assist.review.policy import ReviewPolicy
from assist.review.types import SEVERITY_ORDER, DocKind, Finding, ReadDocument

# Kind markers. A title is a short first line; the body counts less than the title.
_AUTH_TITLE = re.compile(r"授权委托书|委托书|授权书|委托函|授权函|授权声明|委托声明|委托代理|债务委托|委托服务协议|委托说明|委托事宜|^委托$|"
                         r"^特此委托$")
# "I entrust X to act for me", however phrased: the statement that makes a letter an authorisation even untitled.
_ENTRUST = re.compile(r"(?<![受已未])(?<!没有)(?<!从没)(?<!并没)(?:(?:委托|授权)(?![人方书金费])"
                      r"|(?:让|(?<![我俺个位家名])叫(?!什么|啥|做|作))(?!我(?![的儿女老爱丈妻媳侄外哥弟姐妹兄闺婆男妈爸娘爹孩孙家对])))了?"
                      r"[^。\n;；]{0,30}?(?:代为|代我|代本人|代表|替我|帮我|全权|代理|代办)"
                      r"|(?<![受已未])(?<!没有)(?<!从没)(?<!并没)(?:委托|授权)(?![人方书金费])[^。\n；]{0,30}(?:办理|处理)[^。\n；]{0,20}(?:事宜|事情|手续|事项|的事)"
                      # "这笔钱的事我叫我查某囝陈佳怡替我处理": 叫 after 我 is not the writer's name when 我 follows it
                      r"|(?<=我)叫(?=我[^。\n;；]{1,14}?(?:替我|帮我|代我))"
                      # "本人授权某某工作室优化师杨帆（工号…）为本人在该笔借款上的唯一对接人"
                      r"|(?<![受已未])(?<!没有)(?:委托|授权)(?![人方书金费])[^。\n;；]{1,60}?为(?:本人|我)的?[^。\n;；]{0,16}?"
                      r"(?:对接人|代理人|受托人|联系人|全权代表)"
                      # a note to the friend who acts: "就算是我委托你的"
                      r"|(?<![受已未])(?<!没有)(?:我|本人)(?:现|特|就)?(?:委托|授权|托付)(?:给)?(?:你|您)(?!们)")
# ... naming the agent with an ID number: "现授权欧文斌（身份证号…）"
_ENTRUST_ID = re.compile(r"(?<![受已未])(?:委托|授权)(?![人方书]|委托书)[^。\n；]{0,12}身份证")     # not "授权委托书复印件 2.身份证复印件"
# "我老婆覃丽萍替我办还款分期这些事…要签字的她签": a relative doing the borrower's business for them, no verb of entrusting.
_KIN_WORD = (r"老婆|老公|爱人|妻子|丈夫|太太|媳妇|儿子|女儿|闺女|父亲|母亲|哥哥|姐姐|弟弟|妹妹|侄子|外甥|老伴|孙子|孙女|妈妈|爸爸|"
             # in-laws and cousins: "让我小舅子李某某替我跟你们整"
             r"小舅子|大舅子|大舅哥|小姨子|大姨子|连襟|姐夫|妹夫|嫂子|弟媳|儿媳|女婿|姑爷|表哥|表弟|表姐|表妹|堂哥|堂弟|堂姐|堂妹|"
             # Sichuan 婆娘 (wife), Minnan 查某囝 (daughter), a brother said plainly
             r"婆娘|查某囝|查某子|兄弟|老弟|老妹|小弟弟|小妹妹|阿侄|心舅|(?<=[我的])囡|"
             rf"(?<=[我俺])(?:妈|爸|娘|爹|对象|孩子|男人|姐|哥|弟|妹)|{DIALECT_KIN}")
_STANDS_IN = re.compile(rf"(?:{_KIN_WORD})[\u4e00-\u9fa5]{{0,4}}(?:替我|代我|帮我)(?:去|来)?"
                        r"(?:(?:跟|和|与|同|给)(?:你们|您们|贵司|贵公司|贵行|银行|公司|客服)[\u4e00-\u9fa5]{0,3}?)?"
                        r"(?:办|处理|谈|协商|商量|签|说|讲|沟通|联系|对接)"
                        # signing power: "签字的她签", "要签字的他可以代我签", "我老伴替我签字"
                        r"|(?:签字|签名)的?(?:都)?(?:由)?(?:他|她)(?!们)(?:来|可以|能|就)?(?:代我|替我|帮我)?签"
                        # ratifying in advance what the agent agrees: "她办的事我都认", "他跟你们商量好…我都认"
                        r"|(?:他|她|伊)(?!们)[^。\n,，;；]{0,20}?(?:办|定|商量|谈|答应|签|说|讲)[^。\n;；]{0,14}?我(?:都|全|也|拢)?"
                        r"(?:认|承认|认可|同意)(?![识为真])"
                        # "她跟你们说的就算我说的", "他说了算"
                        r"|(?:他|她|伊)(?!们)[^。\n,，;；]{0,8}?(?:说的|定的|签的|答应的|讲的)(?:话)?(?:就|都)?(?:算(?:我|数)|是我(?:说|讲|定)的)"
                        # "他跟你们说的话跟我说的一样"
                        r"|(?:他|她)(?!们)[^。\n,，;；]{0,8}?(?:说的|讲的|定的)(?:话)?(?:就)?(?:跟|和|同)我(?:说的|讲的|定的)?一样"
                        # "他跟你们说好了就是我说好了"
                        r"|(?:他|她)(?!们)[^。\n;；]{0,8}?(?:说好了|谈好了|定好了|讲好了)(?:的)?(?:就是|就算|算)我"
                        r"|(?:他|她)(?!们)说了(?:就)?算"
                        # "她拍板了就算我拍板了": her decision is his
                        r"|(?:他|她|伊)(?!们)[^。\n,，;；]{0,4}?(?:拍板|拍了板|点头|点了头)了?(?:就|都)?(?:算|等于|就是)(?:我|数)"
                        # "她替我跟你们商量延期的事" (the person named just before)
                        r"|(?:他|她)(?!们)(?:来)?(?:替我|代我)(?:跟|和|与|同)(?:你们|贵司|贵公司|贵行)(?:商量|谈|协商|办|沟通)")
# Handing the borrower's dealings to a named person, however said: "我委托刘畅帮我去网点办一下", "让我妈替我跟你们说",
# "这个事我交给我闺女管了", "麻烦你们以后找我儿子说", "钱的事由我儿子跟你们谈". Not a story ("之前委托了一家公司帮我…",
# "他们让我…"), not a company, not a refusal ("别找我家人"). When this is the letter's act it is an authorisation
# even if it also asks for instalments.
_NAMED = r"(?:[\u4e00-\u9fa5]{2,3}(?=[\s,，(（]|帮|替|代|去|来|全权))"
_MANDATE = re.compile(rf"(?<![受已未])(?<!没有)(?:(?:委托|授权)(?![人方书金费])|让|叫|(?<![申恳敬邀提聘])请|(?<=[我俺])托(?!管|运|儿)|麻烦)"
                      # "麻烦我的同班同学李佳琪替我把材料送过来": who the person is to the writer, then the name
                      # (not the lender asked: "想请贵司帮我审核一下")
                      rf"(?!了)(?!\s*(?:贵|你们|您|各位|领导))\s*(?:我的?|俺)?(?:[\u4e00-\u9fa5]{{0,4}}?(?:同学|同事|朋友|老乡|室友|工友|战友|邻居))?"
                      rf"(?:{_KIN_WORD}|{_NAMED})[^。\n;；了过]{{0,8}}?"
                      r"(?:帮我|替我|代我|代为|代表我|全权)"
                      rf"|(?:事|事情|事儿|账|款|钱)[^。\n;；]{{0,8}}?(?:交给|交由|托付给|托给|全交给)了?\s*(?:我的?|俺)?(?:{_KIN_WORD})"
                      # "这事全交给他了" (the person named on the next line): only a matter (事), never money handed over
                      r"|(?:这|此|这个|那个)?(?:事|事情|事儿)(?:情)?(?:就|全|都|全都)?(?:交给|交由|托付给|托给)了?(?:他|她)(?!们)"
                      # "以后我的这个账的事情你们跟我老婆阿依古丽说"
                      rf"|(?<![别不])(?:以后|今后|往后|有事|有什么事|有嘛事|有啥事)[^。\n;；别不]{{0,12}}?(?:找|问|联系|打给|跟|打)(?:我的?|俺)(?:{_KIN_WORD})"
                      rf"|(?:由|都由|让)(?:我的?|俺)(?:{_KIN_WORD})[^。\n;；]{{0,8}}?(?:跟|和|与|同)(?:你们|贵司|贵公司|贵行)"
                      # the person named just before: "刘三平是跟我一起跑车的…这台车叫他替我先开上"
                      r"|(?<![别不])(?:叫|让|托)(?:他|她)(?!们)(?:来)?(?:替我|帮我|代我)"
                      rf"|(?:委托|让|叫)(?:我的?|俺)(?:{_KIN_WORD})[\u4e00-\u9fa5]{{0,4}}?(?:去|来)?(?:跟|和|与|同)(?:你们|您们|贵司|贵公司|贵行|客服)"
                      r"(?:说|谈|商量|联系|沟通|协商|对接)"
                      r"|(?:都|就)?由(?:他|她)(?!们)(?:来)?(?:帮我|替我|代我)(?:处理|办|谈|还)"
                      # "我让阿迪力跟你们说", "由我老弟钟志明代我跟你们联系"
                      r"|(?<=[我])(?:让|叫)(?![我你他她])[\u4e00-\u9fa5]{2,4}?(?:跟|和|同)(?:你们|您们|贵司)(?:说|谈|讲|联系|沟通|商量)"
                      rf"|由(?:我的?)?(?:{_KIN_WORD})[\u4e00-\u9fa5]{{0,4}}?(?:代我|替我)(?:跟|和|与|同)(?:你们|您们|贵司)(?:联系|沟通|说|谈|协商)"
                      # "我这单的事情由我的拍摄搭档吴志航替我去跑"
                      r"|(?:事|事情|事儿)[^。\n;；]{0,6}?由(?:我的?|俺)?[^。\n;；，,]{1,12}?(?:替我|帮我|代我|代为)"
                      # "还款的事你们直接跟田娟说": the matter, and whom the lender is to deal with about it
                      rf"|(?:事|事情|事儿)[^。\n;；]{{0,4}}?(?:你们|您们|贵司)?(?:直接)?(?:跟|找|联系)(?![我你他她])[\u4e00-\u9fa5]{{2,3}}"
                      r"(?:说|谈|商量|联系|沟通)"
                      # "我的借款的事全部委托我老婆周小红处理"
                      rf"|(?:事|事情|事宜)[^。\n;；]{{0,4}}?(?:全部|全|都)?(?:委托|交给|交由)(?:我的?|俺)?(?:{_KIN_WORD})"
                      r"[^。\n;；]{0,6}?(?:处理|办|管|负责)"
                      # "现在由我女儿周嘉欣代我处理信用卡的还款"
                      rf"|(?:由|交由|都由)(?:我的?|俺)(?:{_KIN_WORD})[\u4e00-\u9fa5]{{0,4}}?(?:代我|替我|代为|代表我)"
                      r"(?:办理|处理|办|谈|协商|申请|还)")
_PAST = re.compile(r"之前|以前|当时|上次|曾经|那时|去年")
# Titles that say the paper is something else: a list, a receipt, a promise, a notice, a plan, a firm's cover letter.
_OTHER_TITLE = re.compile(r"(清单|收条|收到条|收据|承诺书|承诺|保证书|确认单|"
                          r"欠账|账目|明细表|汇总表?|一览表?|台账|统计表|记账|(?:[月年周]|流水|家庭|日常)账|"
                          r"案例|案例展示|宣传单?|海报|价目表|收费标准|(?<!^授权)(?<!^委托)声明|还款计划|计划说明|通知|所函|介绍信|回执|"
                          r"聊天记录|聊天截图|对话记录|群聊|"
                          r"收费单|缴费单|收款单|"
                          r"(?<!委托)(?<!服务)协议书?)$")  # a 还款协议 or 调解协议书, not a 委托服务协议
_CHAT_TITLE = re.compile(r"聊天记录|聊天截图|对话记录|群聊")
_FORM_TITLE = re.compile(r"(?:协议|协议书|确认单|确认书|登记表)$")
# A notice to its readers ("协商客户须知"): other even when it names what a complaint would ask for.
_NOTICE_TITLE = re.compile(r"(须知|注意事项|温馨提示|提醒|公告|告(?:客户|会员|学员|委托人)书)$|^群公告"
                           # a letter to other readers than a lender: "告各位亲戚的一封信"
                           r"|^告(?:各位|全体|亲爱的)?(?:亲戚|亲友|家人|乡亲|同学|同事|朋友|客户|会员|学员)")
# A notice an agency sends its own customers ("各位客户请注意：…"), however untitled: it asks its readers, not a lender.
_OWN_CUSTOMERS = re.compile(r"^(?:致|告)?(?:各位|亲爱的|全体|广大)(?:委托|签约|服务|协商|尊敬的)?[\u4e00-\u9fa5]{0,3}?"
                            r"(?:客户|学员|会员|社员|盟员|家人|伙伴|委托人|老铁|姐妹|兄弟伙|工友|头家|当事人|老乡|农户|养殖户|车主|摊主)"
                            r"|^家人们|^尊敬的(?:各位)?(?:委托|签约)?(?:客户|学员|会员|委托人)[:,]?$")
# A first line that only names the issuing body (a hospital, a residents' committee, an employer) above the title.
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fa5()（）]{2,30}(?:医院|卫生院|诊所|卫生服务中心|委员会|居委会|村委会|办事处|人民政府|"
                          r"派出所|公司|学校|学院|大学|中心|局|所|站|社区|村|联社|合作社|信用社|工作室|办公室|研究院|服务社|"
                          r"互助会|联盟|协会|协调会|促进会|联合会|管理人|服务部|法务部|事业部|营业部)$")
# What a letterhead carries under the issuer's name before the title: its department, address, telephone, a serial
# number, or a remark in brackets ("（京华某某律师事务所西北分所合作单位）")
_HEADER_META = re.compile(r"地址|电话|传真|邮编|网址|^(?:No|NO|no)\.?|^编号|^\d|(?:住院部|门诊部|[^\n]科)$|住院号|门诊号|床号|科室")
_AUTH_BODY = (re.compile(r"(?<![被受])(?:委托人|授权人)|本人.{0,30}现委托"), re.compile(r"受托人|被委托人|代理人|被授权人|受托方"))
# a public body's letter assigning help ("法律援助公函", "指派函") attests a fact too
# a registry's extract ("婚姻登记档案查询结果", "不动产登记信息查询结果") attests what its records say
_CERT_TITLE = re.compile(r"证明|诊断书|病历|出院记录|出院小结|低保证|特困|援助公函|指派函|核定表|核定书|鉴定意见|评估报告|"
                         # a court's or an administrator's paper: "债权审查结果通知书", "民事裁定书", "火灾事故认定书"
                         r"审查结果|认定书|裁定书|判决书|调解书|"
                         r"(?:档案|登记|记录|信息)查询(?:结果|单)|登记(?:记录|档案)(?:摘要|证明)?")
_CERT_BODY = re.compile(r"兹证明|特此证明|兹有|经(我|本)(委|村|社区|院|单位|公司)?核实|情况属实"
                        r"|经(?:查询|查证|查核)(?:本|我)(?:机关|局|院|所|单位|委|中心)")
# A public body's slip saying what it received or recorded ("投诉受理回执" from a consumer council, "报警回执" from a
# police station): a third party attesting a fact. The lender's own "受理回执" to an applicant is other.
_SLIP_TITLE = re.compile(r"回执|受理(?:通知|单|凭证|告知)|接处警|报警(?:记录|回执)|立案(?:告知|回执)|告知单|告知书")
_PUBLIC_ISSUER = re.compile(r"消费者权益保护委员会|消费者协会|消委会|派出所|公安(?:局|分局)|人民法院|仲裁委员会|司法所|信访(?:局|办)|"
                            r"居民委员会|村民委员会|居委会|村委会|人民调解委员会|民政局|市场监督管理|街道办事处|人民政府|残疾人联合会|"
                            r"法律援助中心|退役军人服务站|个体劳动者协会|"
                            # a government bureau by its place: "昆明市官渡区住房和城乡建设局", "某县人力资源和社会保障局"
                            r"^[\u4e00-\u9fa5]{2,12}(?:省|市|区|县|州|旗)[\u4e00-\u9fa5]{2,14}局(?:\s*[(（][^)）\n]{0,6}[)）])?$", re.M)
# The lender writing to its customer ("尊敬的陈女士：我行已收到您提交的分期申请"): a reply or notice, other.
_LENDER_VOICE = re.compile(r"(?:我行|本行|我司|本公司|我中心|本中心)(?:已|将|现)?(?:收到|受理|审核|核实|告知|通知|提醒)"
                           r"|如已(?:还款|还清|结清)请忽略|以免影响(?:您的)?(?:个人)?(?:信用|征信)")
_TO_CUSTOMER = re.compile(r"尊敬的(?:客户|用户|持卡人|借款人|[\u4e00-\u9fa5]{1,3}(?:女士|先生))")
_COMPLAINT_TITLE = re.compile(r"投诉|申诉|协商|申请|诉求|情况说明|反映|异议|疑问|建议|律师函|告知函|催告函|^致|的函$|一封信")
# A document named inside 《》 ("已与其签订《委托代理授权书》") is mentioned, not made: its words do not mark the kind.
_BOOK_TITLE = re.compile(r"《[^《》\n]{1,30}》")
# A whole authorisation form inside another paper (a cover letter passing it on): its title on a line of its own
_AUTH_FORM_LINE = re.compile(r"^(?:授权委托书|委托书|授权书|委托代理书|授权委托)$")
_COMPLAINT_BODY = (re.compile(r"借款|贷款|还款|催收|催款|逾期|分期|扣款|征信|欠款|利息|罚息|借的钱|借了|欠钱|还钱|还不上|"
                              r"打电话|账|帐|分\s*[0-9一二两三四五六七八九十几]+\s*期|扣了|多扣|扣钱|扣费|信用卡|退钱|退款"),
                   re.compile(r"投诉|反映|要求|诉求|申请|请求|希望|麻烦|请问|想问|咨询|请|能不能|可不可以|能否|求|别再|"
                              r"别|不要|行不行|缓|"
                              # an angry borrower's demands: "你们那帮催收的听着", "你们贴一个试试", "凭啥骂人"
                              r"听着|听好了|听到|给我听|试试|凭什么|凭啥|不许|不准|少给我|再敢|住手"))
# A 情况说明 is a complaint only when it asks the reader for something; one that only records what happened ("特此说明，
# 备查") is other. Asking is addressed to the reader: 请贵司…, 希望你们…, 要求停止…, 能否…, not "he asked HR to stamp it".
_EXPLAIN_TITLE = re.compile(r"^(?:情况)?说明$|^关于.{2,40}情况的?说明$")     # "关于…游客接待情况的说明"
_ASK = re.compile(r"(?:请|恳请|敬请|望|希望|要求|请求|申请|盼)(?:贵|你们|您|予以|给予|协助|帮助|帮忙|核实|核查|停止|减免|暂停|"
                  r"延期|分期|尽快|考虑|理解|体谅|协商|撤销|更正|答复|回复|处理|别|不要)|能否|能不能|可否|可不可以|麻烦|"
                  r"恳请|为盼|为荷")
_ADDRESS = re.compile(r"^(致|尊敬的|您好|你好|你们好|给.{2,16}$|给[^。\n]{2,24}$|.{2,20}(公司|银行|中心|客服|负责人|领导)[:：])"
                      r"|^.{2,20}(?:听着|听好了)$"     # "福瑞借 你们那帮催收的听着"
                      r"|^.{2,20}(?:你好|您好|你们好)$")  # "鑫诚消费金融 客服你好"
TITLE_MAX = 20
_BRACKETED = re.compile(r"[(（][^()（）\n]{1,60}[)）]")
_LONG_TITLE = re.compile(r"^关于.{2,34}(?:书|函|通知|公告|须知|说明|提醒|提示)$")


def _title_line(line: str) -> str:
    """A line read as a title: without spaces, a serial number ("编号：HD-…"), a closing remark in brackets ("（客户填写联）",
    "（请务必看完）", "（2026年12月至2027年5月）") or 【】 around it, none of which makes a title longer or another kind."""
    t = re.sub(r"(?:编号|No\.?)[:：].*$", "", re.sub(r"\s+", "", line))
    t = re.sub(r"[(（][^()（）]*[)）]$", "", t).strip("【】[]")
    return re.sub(r"[^\w）)】」]+$", "", t)          # trailing emoji and marks: "11月账📒", "申请！！"


# The agent in its own voice, entrusted by someone ("本公司受客户郑海明全权委托，就其借款事宜函告如下"): a letter from the
# agent, not the principal's grant.
_AGENT_SPEAKS = re.compile(r"(?:本|我)(?:公司|司|中心|所|机构|工作室|会|团队|律师团|团|法务部|社|基金会|商会)(?:依法)?(?:接)?受[^。；;\n]{0,40}?委托")
# "受客户X（身份证号…）全权" right before 委托, or "受借款人周淑琴（身份证号：…）委托": an ID in brackets in between
_PASSIVE_BEFORE = re.compile(r"受(?:[^。；;，,\n(]|\([^)\n]{0,40}\)){0,30}$|受[^。；;\n]{0,40}?全权$")
_TO_US = re.compile(r"(?:委托|授权)(?:本|我)(?:公司|司|中心|机构|工作室|团队|律师团|团|法务部|社|基金会|商会|协会|促进会|会|联盟|盟|"
                    r"所|站|平台)")


def _entrusts(text: str) -> bool:
    """The letter entrusts someone: an _ENTRUST phrase that is not the agent saying it was entrusted ("受…委托",
    "委托人已全权委托本公司处理")."""
    return any(not _PASSIVE_BEFORE.search(text, max(0, m.start() - 80), m.start()) and not _TO_US.match(text, m.start())
               for m in _ENTRUST.finditer(text))


def classify(doc: ReadDocument) -> DocKind:
    """Authorisation letter, complaint letter, hardship certificate, or other, from title and body markers."""
    if _revocation(doc):
        return "other"
    lines = [ln.text.strip() for ln in doc.lines if ln.text.strip()]
    heads = [_title_line(ln) for ln in lines[:2]]
    # "广州市第一人民医院 / 诊断证明书": the title is under the issuer, past its department, address, telephone and
    # serial number ("临夏州某某医院 / 住院部 骨科 / 地址：… 电话：… / No. … / 诊 断 证 明 书")
    under = next((t for t in (_title_line(ln) for ln in lines[1:6])
                  if t and not _HEADER_META.search(t)), "") if len(heads) == 2 and _ISSUER_LINE.search(heads[0]) else None
    if under is not None and len(under) <= TITLE_MAX:
        title = under
    elif under is not None and _LONG_TITLE.search(under):
        # "融安客户权益服务中心 / 关于2025年下半年服务费收取标准的告客户书": a long title under the issuer
        title = under
    else:
        title = heads[0] if heads and len(heads[0]) <= TITLE_MAX else ""
    if lines and _ADDRESS.search(lines[0]) and not (title and (_AUTH_TITLE.search(title) or _CERT_TITLE.search(title))):
        # "致：某某消费金融有限公司、某某借" / "及上述机构委托的催收单位" / "情况证明": the title under the address
        for cand in (_title_line(ln) for ln in lines[1:4]):
            if len(cand) <= TITLE_MAX and (_CERT_TITLE.search(cand) or _AUTH_TITLE.search(cand)):
                title = cand
                break
    if title and not _OTHER_TITLE.search(title):
        # "我的还款计划 自己看的": a title and a remark after it on the first line
        first = _title_line(lines[0].split()[0]) if lines and len(lines[0]) <= TITLE_MAX else ""
        title = first if _OTHER_TITLE.search(first) else title
    # an ID number or a note in brackets between a person and what they do ("由我女儿周嘉欣（身份证号…）代我处理…") does
    # not part them: classification reads the text without such brackets
    text = _BOOK_TITLE.sub(lambda m: "《" + "某" * (len(m.group(0)) - 2) + "》", fold_speech(doc.text))
    bare = _BRACKETED.sub("", text)
    score = {"authorisation": 0, "certificate": 0, "complaint": 0, "other": 0}
    if _AUTH_TITLE.search(title):
        score["authorisation"] += 3
    if all(p.search(text) for p in _AUTH_BODY) and not _AGENT_SPEAKS.search(text) or _entrusts(text) or _entrusts(bare):
        score["authorisation"] += 2 if _COMPLAINT_TITLE.search(title) else 3
    if _ENTRUST_ID.search(text):
        score["authorisation"] += 2
    if any(_AUTH_FORM_LINE.match(re.sub(r"\s+", "", ln)) for ln in lines[1:]) and all(p.search(text) for p in _AUTH_BODY):
        score["authorisation"] += 3
    if _STANDS_IN.search(text) or _STANDS_IN.search(bare):
        score["authorisation"] += 2
    if any(not _PAST.search(t, max(0, m.start() - 12), m.start()) and not _TO_US.match(t, m.start())
           for t in (text, bare) for m in _MANDATE.finditer(t)):     # (not "会员已正式委托本会全权代理": the agent speaking)
        score["authorisation"] += 4  # the letter's act: at least a complaint's address and body together
    # a chat in which the borrower grants the authority ("我已经正式委托…全权处理") is an authorisation, not a record
    # ... and so is an agreement or a form with a clause granting it ("入社协议…第三条 授权委托", "服务确认单…本人授权…全权")
    chat_grant = (_CHAT_TITLE.search(title) is not None or _FORM_TITLE.search(title) is not None) \
        and (_entrusts(text) or _entrusts(bare) or _MANDATE.search(text) is not None)
    if chat_grant and _FORM_TITLE.search(title):
        score["authorisation"] += 2     # a registration form whose declaration grants the authority is that grant
    if _OTHER_TITLE.search(title) and not _COMPLAINT_TITLE.search(title) and not chat_grant and not _CERT_TITLE.search(title) \
            or _NOTICE_TITLE.search(title) \
            or any(_OWN_CUSTOMERS.search(re.sub(r"\s+", "", ln)) for ln in lines[:4]):
        score["other"] += 5
    if _TO_CUSTOMER.search(text, 0, 200) and _LENDER_VOICE.search(text):
        score["other"] += 5
    if _CERT_TITLE.search(title) and not _AUTH_TITLE.search(title):
        score["certificate"] += 3
    if _SLIP_TITLE.search(title) and (_PUBLIC_ISSUER.search("\n".join(lines[:3])) or _PUBLIC_ISSUER.search("\n".join(lines[-3:]))) \
            and not LENDER.search("\n".join(lines[:3])):
        score["certificate"] += 6  # over a slip's "other" (a title of 回执)
    if _CERT_BODY.search(text):
        score["certificate"] += 2
    if _EXPLAIN_TITLE.search(title) and _PUBLIC_ISSUER.search("\n".join(lines[-3:])):
        score["certificate"] += 4   # a 情况说明 a public body issues and stamps (司法所, 服务站) attests what it found
    if _EXPLAIN_TITLE.search(title) and not _ASK.search(text):
        score["other"] += 0 if _CERT_BODY.search(text) else 3  # "情况说明…特此证明" is a certificate
    elif _COMPLAINT_TITLE.search(title) or any(_ADDRESS.search(ln) for ln in lines[:2]) and not _CERT_TITLE.search(title):
        # (an address above a certificate's own title is whom the certificate is for: "…银行的领导：" / … / "证明")
        score["complaint"] += 2
    if all(p.search(text) for p in _COMPLAINT_BODY):
        score["complaint"] += 2
    best = max(score, key=lambda k: score[k])  # ties keep the order above: authorisation, certificate, complaint
    return best if score[best] >= 2 else "other"  # type: ignore[return-value]


# A paper titled as the revocation of an authorisation ("撤销授权委托声明", "解除委托通知书") withdraws a grant; it
# makes none, however much of the grant it recites (FORMAT.md: a revocation is "other").
_REVOCATION_TITLE = re.compile(r"(?:撤销|撤回|解除|终止|取消|收回)[^\n]{0,6}?(?:委托|授权)")


# ... and so is a post or a letter that sets out such a paper under its own title further down ("宝子们…贴在这里给姐妹们
# 参考" / "撤销委托声明" / "本人…撤销上述全部委托"): the title is a line of its own naming the paper
_REVOCATION_PAPER = re.compile(r"(?:撤销|撤回|解除|终止|取消|收回)[^\n]{0,4}?(?:委托|授权)[^\n]{0,4}?(?:声明|通知书?|告知书|函|书)")


def _revocation(doc: ReadDocument) -> bool:
    heads = [_title_line(ln.text.strip()) for ln in doc.lines if ln.text.strip()]
    return any(len(h) <= TITLE_MAX and _REVOCATION_TITLE.search(h) for h in heads[:2]) \
        or any(len(h) <= TITLE_MAX and _REVOCATION_PAPER.fullmatch(h) for h in heads[2:])


def document_kind(doc: ReadDocument, policy: ReviewPolicy) -> DocKind:
    """What the paper is: the learned model's reading when it is sure of it (top probability at least
    ``policy.kind_min_confidence``), the rules' reading otherwise, and the rules' alone when there is no model.

    The rules are exact on phrasings they were written for and wrong on new ones; the model is right more often on
    new writers but its unsure readings are no better than the rules (README, "Document review": chosen on the four
    earlier rounds of writers, each with the rules as they were frozen for it and a model fitted before it)."""
    if _revocation(doc) or to_own_members(doc):
        return "other"
    rules = classify(doc)
    if policy.kind_model is None:
        return rules
    p = policy.kind_model.probabilities(doc.text)
    learned = max(p, key=lambda k: p[k])
    return learned if p[learned] >= policy.kind_min_confidence else rules  # type: ignore[return-value]


def _learned_posing(doc: ReadDocument, policy: ReviewPolicy, found: list[Finding]) -> list[Finding]:
    """A high finding when the posing model reads the paper as a paid agency's (probability at least
    ``policy.posing_min_confidence``) and the rules found nothing high: it catches agencies under names the rules have
    not seen. Never on a paper whose writer says they left an agency, nor on one a public body issued."""
    if policy.posing_model is None or any(f.severity == "high" for f in found) or REVOKED.search(doc.text) \
            or _public_issued(doc) or not _ABOUT_DEBTS.search(doc.text) or _PUBLIC_AGENT.search(doc.text):
        return []
    p = policy.posing_model.probabilities(doc.text).get("posing", 0.0)
    if p < policy.posing_min_confidence:
        return []
    first = next((i for i, ln in enumerate(doc.lines) if ln.text.strip()), None)
    start = doc.starts[first] if first is not None else 0
    end = start + len(doc.lines[first].text) if first is not None else 0
    return [finding(doc, "review.learned_posing", "high", f"整份材料的写法与已知付费代理（代理维权、债务协商类机构）的材料高度相似"
                    f"（模型判断 {p:.0%}，规则未发现具体依据）：请交专人核实出具方和受托方，并直接联系借款人本人确认意愿。",
                    start, end, signal=policy.signal_for("auth.trustee_company"))]


# A paper that says nothing of debts (a consulting company's receipt for market research) is no debt agent's, however
# much its layout resembles one: the learned reading needs the business to be there.
# ... and a borrower entrusting a public body (a court's mediation centre, legal aid, a 司法所) asks for lawful help
_PUBLIC_AGENT = re.compile(rf"(?<![受已])(?:委托|授权)[^。\n]{{0,24}}?(?:{PUBLIC_BODY.pattern})")
_ABOUT_DEBTS = re.compile(r"债|贷|欠|还款|催|逾期|停息|挂账|协商|减免|征信|上岸|分期|利息|罚息|信用卡")


def _public_issued(doc: ReadDocument) -> bool:
    """The paper is issued by a public body: its name stands (with its seal) in one of the last three lines."""
    foot = [ln.text for ln in doc.lines if ln.text.strip()][-3:]
    return any(_PUBLIC_ISSUER.search(ln) and (len(ln.strip()) <= 30 or re.search(r"盖章|公章|\(章\)|专用章", ln))
               for ln in foot)


def _as_written(f: Finding, doc: ReadDocument, view: ReadDocument) -> Finding:
    """``f`` with its quote taken from the letter as written when it was taken from the reading form."""
    if f.start is None or f.end is None or f.quote != quote_of(view.text, f.start, f.end):
        return f
    return replace(f, quote=quote_of(doc.text, f.start, f.end))


def run_checks(doc: ReadDocument, policy: ReviewPolicy) -> tuple[DocKind, list[Finding]]:
    """Classify the document and run the checks for its kind; findings sorted by severity, then position. The checks
    read the letter's reading form (checks.reading: width-folded, simplified, Cantonese made Mandarin); every quote is
    taken again from the letter as written."""
    view = reading_view(doc)
    kind = document_kind(view, policy)
    if kind == "authorisation":
        found = check_authorisation(view, policy)
    elif kind == "certificate":
        found = check_certificate(view, policy) + check_agency(view, policy, certificate=True)
    elif kind == "complaint":
        found = check_complaint(view, policy) + check_agency(view, policy)
    else:
        found = check_agency(view, policy)
    found += _learned_posing(view, policy, found)
    if kind != "authorisation" and _public_issued(view):
        # a paper a public body issued and stamped (a 司法所's 情况说明 telling of a fake 协会) tells of agencies; it is
        # never one's own
        found = [f for f in found if not f.check.startswith("auth.")]
    if view.text != doc.text:
        found = [_as_written(f, doc, view) for f in found]
    found.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.start if f.start is not None else -1, f.check))
    return kind, found
