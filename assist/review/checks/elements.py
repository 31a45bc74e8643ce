"""The parts of an authorisation letter (授权委托书), found by what they say rather than by one phrasing: who grants
(principal), who acts (agent), how they are related, what the agent may do (scope), for how long (term), the
principal's signing mark, the letter's date and a lawyer's 执业证号.

Each part is looked for in the ways letters write it: a labelled line ("委托事项：…", "| 授权期限 | …"), a numbered
list after "权限如下"/"代为办理以下事项", a sentence ("由她代我跟贵公司协商还款的事"), a date range or a duration
("自…起至…止", "半年内有效", "到这笔借款处理完为止"). A part is reported missing only when none of these is there,
and then the Element says where it was looked for. Pure functions over ReadDocument; regexes run on the
width-folded text (full-width colons and brackets become ASCII, offsets unchanged)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from assist.core.text import clause_bounds, fold_width
from assist.review.checks.evidence import MONTH, WESTERN_DATE, locate, quote_of
from assist.review.checks.reading import fold_speech, reading_view
from assist.review.element_model import DROPPABLE, ElementReading
from assist.review.types import Element, ReadDocument

ELEMENT_NAMES = ("principal", "agent", "relationship", "scope", "term", "signature", "date", "licence")
ELEMENT_ZH = {"principal": "委托人", "agent": "受托人", "relationship": "双方关系", "scope": "委托事项和权限",
              "term": "委托期限", "signature": "委托人签字或盖章", "date": "落款日期", "licence": "律师执业证号"}

_CJK = "\u4e00-\u9fa5"


_SEP = r"\s*(?:[:|│]\s*)?[|│]?\s*"                              # "：", " | ", or nothing between a label and its value
_NOT_A_NAME = "签因于与在的现将之所已应不身和同即委本系是为无可须代等及请年月日(（"
_ROLE_NOTE = r"(?:\([^)\n]{1,8}\))?"                          # 委托人（借款人）, 受托人（乙方）
# A name after a label. Words like 应/于/同/全 start both sentences ("委托人应当…", "委托人于2024年…") and surnames
# (应佳, 于长顺): such a first character is taken as a name only when what follows closes a name (the ID, sex, a
# bracket, a separator, the end of the line), never in the middle of a sentence.
_NAME = (rf"(?:(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}"
         rf"|[{_CJK}]{{2,4}}(?=\s*(?:[,(|]\s*(?:(?:内地|大陆|香港|澳门|台湾|居民)?身份证|公民身份|性别|男|女|\d)|[,(|]?[ \t]*$|[ \t]{{2,}}\S)))")
_PRINCIPAL_LABEL = re.compile(rf"(?<![被受])(?:委托人|授权人|委托方|甲方\(委托人\)|"
                              rf"(?:客户|借款人|会员|学员|社员|申请人|户主|登记人|老人|摊主|企业主)姓名(?=\s*[:│|])|"
                              rf"申请人(?=\s*[:])|"
                              rf"^\s*甲方(?=\s*(?:\((?!受托|乙方)[^)\n]{{1,6}}\))?\s*[:]))"
                              rf"(?:姓名)?{_ROLE_NOTE}"
                              rf"{_SEP}{_NAME}", re.M)
# A company granting authority to its own staff: "委托单位：义乌市某某电子商务有限公司"
PRINCIPAL_UNIT = re.compile(r"^\s*(?:委托单位|授权单位|委托方单位|委托单位名称)(?:名称)?\s*(?:\([^)\n]{1,6}\))?\s*[:]\s*"
                            r"([\u4e00-\u9fa5()（）]{4,40}?(?:有限责任公司|股份有限公司|有限公司|公司|厂|店|合作社|商行))", re.M)
_PRINCIPAL_PROSE = re.compile(rf"(?:本人|我叫|我是|我,|我|客户)\s*(?:(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}\s*[,(]?"
                              rf"|[{_CJK}]{{2,4}}\s*[,(])\s*(?:男|女|(?:内地|大陆|香港|澳门|台湾|居民)?身份证|公民身份|身份证号)")
# "我是王晓东 我委托…", "本人李红，现委托…": the writer names themself and then entrusts
# "我是黄晓东 卡号尾号5521 身份证…": the writer names themself, then what identifies them
# a message that opens with a greeting and the writer's name: "李经理你好，我潘建国。"
_PRINCIPAL_GREETS = re.compile(rf"(?:(?:你好|您好)\s*[,!]?\s*|^\s*[\"“「]?)我\s*"
                               rf"((?![{_NOT_A_NAME}想要有们这那又也就还今明昨刚现会能来去说问叫])[{_CJK}]{{2,3}})"
                               r"\s*[。,!.]"
                               # a message typed with spaces for stops: "陆专员你好 我郑可欣 橙意贷那笔", "我黄文彬 现在住在…":
                               # a full name of three after the greeting or opening a line, then a space
                               rf"|(?:(?:你好|您好)\s*[,!]?\s*|^\s*)我\s*((?![{_NOT_A_NAME}想要有们这那又也就还今明昨刚现会能来去说问叫"
                               rf"老自女儿爸妈一下上都很真姓先再没])[{_CJK}]{{3}})(?=[ \t])", re.M)
_PRINCIPAL_DOTTED = re.compile(rf"(?:我叫|我是|本人)\s*[{_CJK}]{{2,8}}[·•・][{_CJK}]{{2,8}}")
_PRINCIPAL_SELF = re.compile(rf"(?:(?<![^\s,。!?:;])|(?<=你好)|(?<=您好))(?:我叫|我是|俺叫|俺是|本人)"
                             rf"\s*(?:[{_CJK}]{{1,4}}的|贵司|贵行|贵公司|贵平台|你们的?)?(?:借款人|持卡人|贵司客户|客户)?\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}?(?:[\s,]+|(?=身份证)|\((?=身份证|注册|手机|卡号|尾号))"
                             r"(?:卡号|尾号|车牌|合同号|(?:内地|大陆|香港|澳门|台湾|居民)?身份证|电话|手机|注册手机|借款|贷款|信用卡|在|住|家住|今年|男|女|\d"
                             r"|[零一二三四五六七八九十百]{1,4}岁"   # "本人蒙爱莲，七十六岁"
                             r"|借款人"                              # "我是马晓燕，借款人马福贵的女儿"
                             r"|台湾居民|居住证|通行证|台胞证|回乡证"      # "我林志豪，台湾居民居住证8300…"
                             r"|借了?(?:你们|您们|贵)"                # "你好我是吉克阿木 借你们钱买拖拉机那个"
                             rf"|[{_CJK}]{{1,6}}?(?:借|贷)(?:的|那|这|那笔|这笔)"      # "我系梁志坚 青禾借嗰笔数": the loan next
                             rf"|[{_CJK}]{{1,5}}人(?=[\s,])|护照"          # "我叫阮秋霞，越南人，…护照号码"
                             # where they come from: "我是陈阿福，福清市江阴镇下垄村人，身份证…"
                             rf"|[{_CJK}]{{2,16}}(?:省|市|县|区|镇|乡|村|组)[{_CJK}]{{0,8}}人[\s,])", re.M)
# "…全权代我处理…的协商。王志强 412726199005213816": a message granting authority signed with a name and ID number
_PRINCIPAL_NAME_ID = re.compile(rf"(?<![{_CJK}])(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}[ \t]*(?:\(?身份证(?:号)?[:]?)?[ \t]*\d{{17}}[\dXx](?!\d)")
_PRINCIPAL_ENTRUSTS = re.compile(rf"(?:本人|我叫|我是|(?<![^\s,。!?:;])我)\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}(?:\([^)\n]{{1,20}}\))?"
                                 rf"[\s,]*(?:我|本人)?(?:现|特|今|自愿)?(?:全权)?(?:委托|授权|让|托)"
                                 rf"(?![人方书])")
_AGENT_LABEL = re.compile(rf"(?:受托人|受委托人|被委托人|被授权人|受托方|受托单位|代理人|受托律师|承办律师|代理律师|乙方|法律顾问(?=\s*[:]))"
                          rf"(?!关系){_ROLE_NOTE}(?:姓名)?{_SEP}"
                          rf"(?:[{_CJK}][ \t]{{1,3}}[{_CJK}](?=[ \t]*$|[ \t]{{2,}})|"
                          rf"{_NAME}|(?![{_NOT_A_NAME}])[{_CJK}]{{2,}})", re.M)
# Kin words of regional speech, shared with the kind rules (checks.classify): north-western 丫头 (daughter, "让我丫头马燕替我
#弄"), 老表 (cousin), north-eastern 大小子/二小子 (eldest/second son), 老儿子/老闺女/老疙瘩 (the youngest)
DIALECT_KIN = (r"(?<=[我俺亲])丫头|老表|(?<=[我俺])(?:大|二|三|老)小子|老儿子|老闺女|老疙瘩|"
               # the spouse named through the children, as the north-west and the villages say it: 娃他爷, 孩子他爹, 娃她妈
               r"(?:娃|孩子|娃娃|娃儿)[他她]阿?(?:爷|爹|爸|妈|娘|奶|叔|舅|姑|姨)|"
               # Hubei and Hunan: 堂客 (wife), 老倌 (husband), "我屋里的胡某某去搞" (my wife, named, then what she does)
               r"堂客|(?<=[我的里])老倌|(?<=我)屋里的(?=[\u4e00-\u9fa5]{2,3}(?:去|来|帮|替|跟|和|同))")
KIN = _KIN = (r"配偶|夫妻|爱人|丈夫|妻子|老婆|老公|婆娘|男人|媳妇|儿媳|女婿|父子|父女|母子|母女|儿子|(?<!妇)女儿|闺女|父亲|母亲|"
        r"兄弟|姐妹|姐弟|兄妹|胞兄|胞弟|胞姐|胞妹|哥哥|姐姐|弟弟|妹妹|堂哥|堂弟|堂姐|堂妹|表哥|表弟|表姐|表妹|侄子|侄女|"
        r"外甥|叔叔|亲叔|舅舅|小舅子|大舅子|大舅哥|连襟|姑姑|姨|亲属|亲戚|朋友|好友|同学|(?<!合)同事|同村|邻居|同门|之[父母子女夫妻兄弟姐妹]|"
        r"(?<=[我俺])(?:妈|爸|娘|爹|对象|孩子|家那口子|哥|姐|弟|妹)|两口子|俩口子|小两口|妈妈|爸爸|老妈|老爸|老伴|孙子|孙女|外孙|公公|婆婆|岳父|岳母|丈母娘|"
        # words of other regions and registers: 太太 (wife, Hong Kong), 家父, 嫂子, 外母 (mother-in-law, Cantonese), 老乡
        r"阿弟|阿哥|阿姐|阿妹|阿叔|阿伯|阿婶|阿姑|细佬|姑爷|(?<=[我的])囡|阿侄|侄儿|心舅|老弟|老妹|小弟弟|小妹妹|(?<=[我的])(?:老板娘|老板|东家|雇主)|(?<=[我个的])妹子|查某囝|查某子|厝边|(?<=阮)(?:小弟|小妹|阿兄|阿姐|阿爸|阿母|某|翁|囝)|"
        r"太太|家父|家母|家兄|嫂子|阿嫂|弟媳|姐夫|妹夫|伯父|伯母|叔父|舅父|舅妈|姑妈|外公|外婆|爷爷|奶奶|外母|外父|"
        r"同乡|老乡|战友|发小|室友|舍友|工友|师徒|搭档|姊妹|校友|(?:同校|同系|同班|同专业|本校|(?<=我)|(?<=我的))(?:学长|学姐|学弟|学妹)|(?<=[我俺大二小尕])女子|(?<=[我俺])娃|隔壁(?:摊|店|铺|家)|(?<=[我俺的其])前(?:妻|夫)|"
        # engaged, step-, adoptive and godparents, more uncles and aunts, a master and apprentice
        r"未婚夫|未婚妻|男朋友|女朋友|继父|继母|养父|养母|干爹|干妈|义父|义母|表叔|表姑|表舅|表姨|堂叔|堂伯|姨妈|姨父|姑父|"
        r"(?<=[我俺的])(?:师傅|师父|徒弟)|"
        rf"{DIALECT_KIN}|"
        # a neighbour across the wall, a childhood friend: "俺隔墙邻家赵保国", "俺俩从小一块长大哩"
        r"隔墙(?:邻家|邻居)|屋挨屋|门挨门|门对门|墙挨墙|(?<=[我俺的])邻家|(?<=[我俺])(?:俩|们俩|们两个|两个)(?:是)?从小一(?:块|起|块儿)(?:玩到大|长大)")
_RELATION = re.compile(rf"关系\s*[:|]\s*\|?\s*[{_CJK}]|(?<!委托)(?<!代理)(?<!劳动)(?<!合作)(?<!借贷)[{_CJK}]{{1,3}}关系"
                       rf"|{_KIN}")
# A relationship stated as a contract: "受托人系委托人聘请的债务协商顾问", "中心系本人签约的法律服务机构" (not a lawyer,
# for whom no relationship is needed).
_RELATION_STATED = re.compile(rf"(?:系|是|为)(?:委托人|授权人|本人|我)的?(?:聘请|雇请|签约|委托|找|请)[的之](?![^。\n,]{{0,10}}律师)"
                              rf"[{_CJK}]{{2,12}}"
                              # "孙婷系受本人聘请": hired by the principal (not "受本人委托", which every lawyer writes)
                              r"|(?:系|是)受(?:委托人|授权人|本人|我)(?:的)?(?:聘请|雇请|雇佣|聘用)"
                              # "受托人系本村村民委员会人民调解员", "冯家强是我们镇司法所的人民调解员": a public role here
                              r"|(?:系|是)(?:本|我们?|我的?|委托人(?:所在)?的?)[^。\n,;]{0,14}?(?:人民调解员|调解委员会委员|"
                              r"司法所工作人员|司法所干部|村干部|村委会主任|村支书|社区工作人员|网格员|社工)"
                              # an employee of the principal's company: "受托人系本公司财务人员", "为委托人所在公司员工"
                              r"|(?:系|是|为)(?:本|我们?|我的?|委托人(?:所在)?的?)(?:公司|单位|厂|店|工厂|企业)[^。\n,;]{0,6}?的?"
                              r"(?:员工|职工|财务|会计|出纳|法务|工作人员|财务人员|行政人员|经理)"
                              # the principal heads the company that is the agent's employer: "我是公司法定代表人"
                              r"|(?:我|本人)(?:系|是)[^。\n,;]{0,8}?公司(?:的)?(?:法定代表人|法人|老板|负责人)"
                              # where the principal works or lives: "系本人所在单位工会"
                              r"|(?:系|是|为)(?:本人|我|委托人)所在(?:的)?(?:单位|公司|工厂|厂|学校|村|社区|站点)[^。\n,;]{0,8}"
                              # who the agent is to the principal, in a sentence of its own: "受托人刘文军是本村村委会文书"
                              rf"|受托人[{_CJK}]{{2,4}}(?:是|系)(?:本村|本组|本社区|本单位|我们?的?|我的|本人的?|委托人(?:所在)?的?)"
                              r"[^。\n,;]{1,14}"
                              # the agent's role for the principal: "委托乙方作为甲方的信用管理顾问"
                              rf"|作为(?:甲方|委托人|授权人|本人|我)的[{_CJK}]{{0,8}}顾问"
                              # a work-team lead: "李国军是我们班组的带班"
                              r"|(?:是|系)(?:我们?|本)的?(?:班组|工地|项目部|工班|车间)?的?(?:带班|班长|工长|领班|包工头|组长)"
                              # a student's counsellor or class teacher: "委托我们年级辅导员刘畅老师"
                              r"|(?:我们?|本人)的?(?:年级|班级?|学院|学校|专业)?的?(?:辅导员|班主任)"
                              # the principal as the agency's customer: "委托人系本公司签约客户", "甲方系乙方的债务规划服务客户"
                              r"|(?:委托人|授权人|甲方|本人|(?<![^\s,。!?:;])我)[^。\n;]{0,90}?(?:系|是|(?<!成)为)[^。\n,;]{0,20}?"
                              r"(?:公司|中心|机构|工作室|乙方|受托方|本会|协会|联盟|互助会|合作社|本社|服务社|互助社|研究院|办公室|服务站|"
                              r"联盟|商会|基金会|基金|平台|本平台)的?[^。\n,;]{0,10}?"
                              r"(?:客户|会员|服务对象|帮扶对象|社员|成员单位|成员|学员|盟员|入盟摊主)"

                              # the other way round: "乙方系甲方购买会员服务的签约服务机构", "成为乙方年费会员"
                              r"|(?:乙方|受托方|受托人)(?:系|是)(?:甲方|委托人)[^。\n,;]{0,16}?(?:服务机构|服务商|顾问|代理机构)"
                              r"|成为(?:乙方|本平台|本会|本中心|本社|合作社|联盟|本联盟|协会)的?[^。\n,;]{0,6}?(?:会员|社员|成员单位|成员)"
                              # a fleet or a team: "我们车队的队长，我是车队司机"
                              r"|(?:我们?|本)的?(?:车队|班组|站点|工地|项目部)的?(?:队长|组长|班长|负责人|站长)"
                              # the principal's staff: "我们店的大厨于长海"
                              r"|(?:(?:我们|我|俺|本)(?:店|公司|厂|单位|馆|饭店|餐馆|摊)(?:里)?|(?<![贵该])(?:店|厂|铺|摊|馆|作坊|车间)里)"
                              # "帮本店做账十几年的会计黄某某"
                              r"[\u4e00-\u9fa5]{0,8}?的(?:大厨|厨师|员工|伙计|店员|服务员|会计|出纳|小妹|学徒|帮工|"
                              r"经理|师傅|司机|工人|小伙子?|小工|小哥|后生|小姑娘|大姐)"
                              # a workmate: "刘三平是跟我一起跑车的"
                              r"|(?:是|系)?(?:跟|和|与)(?:我|本人)(?:是)?(?:一起|一个)[\u4e00-\u9fa5]{1,4}的"
                              # the head of the principal's body: "蓝姐是我们互助会的会长"
                              r"|(?:是|系)(?:我们?|本)的?(?:[\u4e00-\u9fa5]{0,6}?(?:会|社|联盟|协会|中心|站)的?)?(?:会长|社长|站长|理事长|盟主)"
                              # "他是服务社派给我的专属修复师", "孟某同志系调委会指派给本人的专职调解员"
                              r"|(?:系|是)[^。\n,;]{0,12}?(?:派给|指派给|委派给|安排给|分配给)(?:我|本人|委托人|甲方)的"
                              # (assigned *to the principal*: "委托本中心指派的顾问" only describes the agent)
                              r"|(?:中心|站|社|会|工作室|平台|联盟|团队|机构)(?:(?:为|给)(?:我|本人|委托人|甲方)(?:指派|委派|安排|分配|派)|"
                              r"(?:指派|委派|安排|分配|派)给(?:我|本人|委托人|甲方))的(?:专属|专职|专门)?(?!律师)[\u4e00-\u9fa5]{0,4}?"
                              r"(?:顾问|专员|协商师|修复师|调解员|调处员|导师|老师|经理|规划师|重建师)"
                              r"|(?:系|是)(?:本|我|该)?(?:中心|站|社|会|工作室|平台|联盟|团队|机构)(?:指派|委派|安排|分配)(?![^。\n,;]{0,8}律师)"
                              # "受托人系我盟指派的维权专员"
                              r"|(?:受托人|乙方)(?:系|是)(?:我|本)(?:盟|会|社|站|中心|平台|院|所|协会|联盟)(?:指派|委派|安排)的")
_STORY_AFTER = re.compile(r"\s*(?:代签(?![\u4e00-\u9fa5])|介绍|推荐|[\u4e00-\u9fa5]{0,3}?(?:证明|病历|诊断书|发票)|"
                          # the deceased or the debtor in the story: "（关系： 丈夫 ）生前所欠", "老公刘强欠的", "爸妈借款的"
                          r"[\u4e00-\u9fa5]{0,2}[\s)]{0,3}(?:生前|遗留|所欠)|"
                          r"[^。\n,;]{0,12}?(?:披露|泄露|透露)|[^。\n,;]{0,6}?存续期间|"
                          # "本人因妻子黎氏秋（越南籍）长期患病"
                          r"[\u4e00-\u9fa5]{2,4}\s*(?:\([^)\n]{0,12}\))?\s*(?:长期)?(?:患病|生病|住院|病重|卧床|患)|[ \t]*名下|"
                          r"[\u4e00-\u9fa5]{0,4}?(?:开刀|做手术|动手术)|"
                          # "因本人丈夫关志刚已在该社办理修复业务": what a relative already did, in the story
                          r"[\u4e00-\u9fa5]{2,4}\s*已经?(?:在|于|向|从)|"
                          r"\s*是?(?:残疾|重病|病人|患者|未成年)|"
                          r"共同(?:债务|财产|借款|生活)|[\u4e00-\u9fa5]{0,4}?欠(?:下)?的|[\u4e00-\u9fa5]{0,2}?(?:借|欠)(?:款|钱)|"
                          r"住院|生病|病了|病重|去世|过世|走了|做手术|手术|出车祸|摔了|在医院|离婚|岁数大|年纪大|年龄大|经不起|"
                          r"工亡|因工死亡|身故|遇难|牺牲|死亡|上学|读书|在读|念书|没有收入|没工作|没有工作|失业|下岗|"
                          r"处(?!理)|家里住|那里住|们|抓紧|注意|"   # "现暂住朋友处", "请还没有登记的朋友抓紧": not who acts
                          r"自填|自行填写|填写|填报|自述|"
                          # "字係我个仔帮我写的": the relative who wrote the letter down, not the agent
                          r"[\u4e00-\u9fa5]{0,3}?(?:帮|替|给)(?:我|本人)(?:写|打)的)"   # a form's note on who fills a box in: "欠款情况（工友自填）"
                          # "委托人之子陈宇航（2007年8月14日出生）在未满十八周岁期间…": a relative introduced in the story
                          rf"|[{_CJK}]{{2,4}}\s*\([^)\n]{{0,20}}出生\)"
                          # "委托人之子于海涛于2025年9月向瑞雪消费金融借款": a relative who borrowed, in the story
                          rf"|[{_CJK}]{{2,4}}\s*(?:于|在)\s*\d{{4}}\s*年[^。\n]{{0,40}}?(?:借款|贷款|借了|欠)"
                          # "甲方配偶谭晓梅在长嘉消费金融的借款": a relative's own debts in the story
                          rf"|[ \t]*[{_CJK}]{{0,4}}(?:在[^。\n,;]{{0,20}}?的|名下的?|的)[{_CJK}]{{0,6}}?(?:借款|贷款|欠款|信用卡|网贷)"
                          # "委托人之父陈国栋已于2026年9月14日去世": a relative who died is not the agent
                          rf"|\s*[{_CJK}]{{0,4}}(?:已经?|已于|于)[^。\n,;]{{0,16}}?(?:去世|过世|病故|逝世|离世|死亡|确诊|患)"
                          # "儿子赵子轩的脊柱侧弯矫正手术", "丈夫胰腺癌住院治疗": a relative's illness in the story
                          rf"|\s*[{_CJK}]{{0,4}}的?[^。\n,;]{{0,10}}?(?:手术|住院|确诊|癌|白血病|化疗|病重|治疗|医院|陪护|陪床)")
_CONTACT_LINE = re.compile(r"\s*(?:紧急联系人|其他联系人|家庭联系人|家属联系人|联系人|家庭情况|家庭成员|家庭状况|家属是否知情|家属情况|"
                           r"配偶姓名|配偶情况|配偶\s*[:])")
# a form's section for the family or contacts ("【家属信息】", "紧急联系人："): a relationship under it is theirs
_FAMILY_SECTION = re.compile(r"^\s*[【\[(]?[^\n]{0,6}(?:家属|联系人|家庭成员|紧急)[^\n]{0,6}[】\])]?\s*[:]?\s*$", re.M)
# a kin word inside an organisation's name: "莞邑工友互助联盟", "姐妹互助会"
_IN_ORG_NAME = re.compile(r"[\u4e00-\u9fa5]{0,4}?(?:互助|联盟|之家|协会|服务社|服务站|服务中心|中心|合作社|平台)|"
                          # a form's title: "工友入站登记表"
                          r"[\u4e00-\u9fa5]{0,4}?(?:登记表|申请表|信息表|信息登记|须知)|[\"\u201d\u300d\u300f]?群")
# told of the past: "借的时候是我孙子帮我在手机上点的", "经朋友介绍到…咨询"
_TIE_TO_OTHER = re.compile(r"(?:借款人|逝者|死者|债务人|被继承人|老人|亡者|患者)(?:的)?(?:关系\s*[:|]?\s*[\u4e00-\u9fa5]{0,4})?$")
# ... unless the form says the principal is the borrower ("借款人（委托人）姓名：杨光荣"): then "与借款人关系：我婆娘" is the
# agent's tie to the principal
_BORROWER_GRANTS = re.compile(r"借款人\s*\(\s*委托人\s*\)|委托人\s*\(\s*借款人\s*\)|借款人即委托人|委托人即借款人")
_LAWYER_TIE = re.compile(r"[^\n]{0,2}?(?:委托)?代理律师|[^\n]{0,2}?委托代理人?(?![\u4e00-\u9fa5])|[^\n]{0,2}?律师(?![\u4e00-\u9fa5])")
# (not a time still to come: "在我出院之前都由我儿子…跟你对接")
_STORY_BEFORE = re.compile(r"(?:借的时候|当时|那时候?|(?<![院来完好国])之前|(?<![院来完好国])以前|曾经|上次|去年|离婚)[^。\n,;]{0,8}$"
                           r"|[经听]$|是否知情[^。\n]{0,16}$"
                           r"|不(?:要)?(?:告诉|通知|联系)$")
_HARASSED = re.compile(r"(?:骚扰|打给|打电话给|打到|威胁|恐吓|吓唬|披露|泄露|透露|告知)[^。\n]{0,10}$")   # "催收人员骚扰委托人家属、同事": the called
_BORROWERS_KIN = re.compile(r"(?:系|是)借款人[^。\n,]{0,8}的$")   # "系借款人陈宇航的母亲": the writer's tie to the borrower
_THIRD_PARTY_LINE = re.compile(r"\s*(?:工亡人员|死者|逝者|已故|被继承人|患者|病人|海员|借款人|学生|老人)(?:姓名)?\s*[:]")
_PRINCIPAL_LINE = re.compile(r"\s*(?:委托人|授权人|申请人)(?:\([^)\n]{1,8}\))?\s*[:]")
# the agent's label between the principal's and the kin word: a photo's OCR can run both form rows into one line
# ("委托人(员工):聂某…受托人:江某…与委托人系同事"), and the tie is then the agent's
_AGENT_ON_LINE = re.compile(r"受托人|被委托人|受委托人|代理人|受托方|被授权人")
_SIGNED_BEFORE = re.compile(r"(?:签名|签字|签章|手印|盖章|按了|签了)[^。\n]{0,12}$")
_NO_TIE = re.compile(r"(?:没有|没|无|毫无|不存在)(?:任何)?关系$")
# a note under the letter by whoever typed or read it out ("附注：", "注：", "打字人：…（某某的女儿）"): its kin words are
# about the writing, not the agent
_NOTE_LINE = re.compile(r"\s*[(]?(?:附注|注|备注|代笔人|代写人|打字人|书写人|念信人)\s*[:]"
                        # "（这封是我女儿彭悦照妈妈的手语意思写的）": a bracketed line on who wrote it
                        r"|\s*\([^\n]{0,40}?(?:写的|打的字|打成字|代写|代笔|照[^\n]{0,12}?写)")
_BLANK_VALUE = re.compile(r"[ \t]*[:|]?[ \t]*[_＿\s]*(?:\n|$)")
# People the lender is told not to contact ("不得再直接联系委托人本人及其家属、同事"): not the agent's relationship.
_DONT_CALL = re.compile(r"(?:不得|不要|别|请勿|勿|禁止|停止|不准|严禁)(?:再)?(?:给|向|对)[^。\n;]{0,14}$")
_CALLING = re.compile(r"[^。\n;]{0,8}?(?:打电话|发短信|打扰|骚扰|联系)")
_NOT_CONTACT = re.compile(r"(?:不得|不要|别|请勿|勿|禁止|停止|不准|严禁)[^。\n;]{0,24}?(?:联系|联络|骚扰|打扰|打给|打电话|致电|找|"
                          # up to the kin word in the same clause: in a message typed without punctuation a space
                          # ends one ("你们不要打我电话 我接不到 这笔钱的事我叫我女儿替我处理")
                          r"打[^。\n;]{0,8}?电话)[^。\n;\s]*$")
_AGENT_PROSE = re.compile(rf"(?<![受已])(?:(?:委托|授权)(?![人方书的]|单位)|让|(?<![我名])叫|交由|由)了?[^。\n;]{{0,24}}?(?:身份证|先生|"
                          rf"女士|律师|事务所|公司|中心|工作室|团队|我司|本所|专员|顾问|规划师|经理|老师|联盟|协会|合作社|学堂|法务部|律师团|"
                          rf"办公室|研究院|服务社|互助社|互助会|服务站|调解站|工作站|干部|和解师|协商员|基金|协调办|服务队|帮扶会|"
                          rf"援助员|调处员|调解员|协调员|化解员|帮扶员|重组师|修复师|"
                          rf"{_KIN})")
_AGENT_KIN = re.compile(rf"(?:{_KIN})[{_CJK}]{{2,4}}\s*\(?\s*(?:[{_CJK}]{{2,4}}\s*,?\s*)?(?:[他她]的?\s*)?身份证")
# "现委托刘桂芳（身份证号…", "委托 李强，" : a name right after the verb, closed by a bracket or a comma
# "我委托刘畅帮我去网点办一下": the name runs up to the words saying what the agent does
_AGENT_NAMED = re.compile(rf"(?<![受已])(?:委托|授权)(?![人方书])\s*(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,4}}\s*[(,。]"
                          # a name of four (Tibetan, Mongolian: "我委托洛桑尼玛替我到你们柜台去还") only where three will not do
                          rf"|(?<![受已])(?:委托|授权|叫|让|托|麻烦|交给)(?![人方书])\s*(?:(?:我的?|我个|我家)?(?:{_KIN}))?\s*(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,4}}?"
                          r"(?=帮我|替我|代我|代为|代表我|全权|去|来|\s*跟你们|\s*和你们)"
                          # "这个账交给我家小勇 刀小勇 跟你们对接": a pet name, then the full name, then whom they deal with
                          rf"|(?:交给|让|叫|托)(?:我家|我的?)[{_CJK}]{{1,3}}\s+(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}"
                          r"(?=\s*(?:跟|和|与)你们|\s*(?:帮|替|代)我)"
                          # "今朝我托钱根宝，叫他帮帮我": the name, then a clause of its own sending him to act
                          rf"|(?<![受已])(?:委托|托|拜托)(?![人方书])\s*(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}"
                          r"(?=\s*,?\s*(?:叫|让|请|由)?[他她](?:帮|替|代|去|来|办|全权))"
                          # "委托同一个工地的蒙德才 帮我…": who they are, then the name, then what they do
                          rf"|(?<![受已])(?:委托|授权|托|叫|让|请)(?![人方书])[^。\n;,]{{1,12}}的\s*(?:{_KIN})?"
                          rf"(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}"
                          r"(?=\s*(?:帮我|替我|代我|代为|代表我))"
                          # a title before or after the name: "授权导师林悦全权代我…", "委托林悦导师全权代表本人"
                          rf"|(?<![受已])(?:委托|授权)(?![人方书])[\u4e00-\u9fa5]{{0,6}}?(?:导师|老师|顾问|专员|经理|社长|会长|理事长|主任|修复师|和解师|"
                          rf"规划师|协商师|法务|调解员|协商员)"
                          rf"(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}"
                          r"(?=全权|帮我|替我|代我|代为|代表我|处理|办理|负责)"
                          rf"|(?<![受已])(?:委托|授权)(?![人方书])(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}(?:导师|老师|先生|女士|专员|顾问)"
                          r"(?=全权|帮我|替我|代我|代为|代表我)")
# a name written with a middle dot (Yi, Tibetan, Uyghur, Kazakh names): "我叫阿尔·拉哈替我去", "委托…调解干部沙马·拉且帮我办"
_DOTTED = rf"[{_CJK}]{{1,6}}[·•・][{_CJK}]{{1,8}}"
_AGENT_DOTTED = re.compile(rf"(?<![受已])(?:委托|授权|托|请|交给|交由)(?![人方书])[^。\n;,]{{0,20}}?{_DOTTED}"
                           rf"|(?<![受已])(?:叫|让)\s*{_DOTTED}(?=\s*(?:\([^)\n]*\))?\s*(?:替|帮|代|去|来|跟|和))")
# an agency's officer: "授权本站法务全权代为…", "授权司机之家法律服务站站长马国强同志全权代表我…"
_AGENT_OFFICER = re.compile(r"(?<![受已])(?:委托|授权)(?:本|我)(?:站|中心|会|社|联盟|委员会|基金会|公司|平台|团队)的?"
                            r"(?:法务|专员|顾问|站长|代表|律师)?(?=全权|代为|代表|处理)"
                            # "授权本院指定的和解师全权…", "授权本会会长及互助顾问代表本人…", "授权本办及本办协商员全权…"
                            r"|(?<![受已])(?:委托|授权|交由|交给)(?:本|我)[\u4e00-\u9fa5]{0,3}?(?:委员会|院|办|会|社|站|中心|联盟)(?:指定的?|指派的?|及本?[院办会社站])?"
                            r"[\u4e00-\u9fa5]{0,8}?(?:师|员|长|顾问|专员|法务)(?=全权|代为|代表|处理)"
                            rf"|(?<![受已])(?:委托|授权)[^。\n,]{{2,16}}?(?:站长|社长|会长|主任|专员|顾问|经理|法务|代表|和解师|协商师|协商员|调解员|研究员|"
                            rf"队长|盟主|理事长|秘书长|部长)"
                            rf"[{_CJK}]{{2,3}}(?:同志|先生|女士)?(?=,?(?:全权|代为|代表|处理|帮))"
                            # the outfit, then its person: "委托驿站孙倩替我…", "全权委托山城服务部张倩处理…"
                            rf"|(?<![受已])(?:委托|授权)[{_CJK}]{{0,6}}?(?:驿站|服务部|服务站|中心|协会|联盟|基金会|合作社|工作室|办)"
                            rf"(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=替我|帮我|代我|代为|全权|处理|负责)")
# "司法所的人民调解员冯家强会联系你们，帮我…": a public role, the name, then what the person does
_AGENT_ROLE_NAMED = re.compile(rf"(?:人民调解员|调解员|社工|网格员|工作人员)\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}"
                               r"(?=\s*(?:会|来|将|负责)?\s*(?:帮我|替我|代我|代表我|联系你们|跟你们|和你们|与贵))")
# "还款的事你们直接跟田娟说": the person the lender is to deal with about the matter
_AGENT_DEAL_WITH = re.compile(rf"(?:事|事情|事儿)[^。\n;]{{0,4}}?(?:你们|您们|贵司)?(?:直接)?(?:跟|找|联系)"
                              rf"(?![我你他她])(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=说|谈|商量|联系|沟通)")
# "我们店的大厨于长海": the principal's own staff named
_AGENT_STAFF_NAMED = re.compile(rf"(?:我们|我|俺|本)(?:店|公司|厂|单位|馆|饭店|餐馆|摊)(?:里)?的"
                                rf"(?:大厨|厨师|员工|伙计|店员|服务员|会计|出纳|小妹|学徒|帮工|"
                                rf"经理|师傅|司机|工人)\s*(?:(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}|[{_CJK}]{{2,3}}(?=,))")
# "苟存喜跟我是一起放蜂的…我叫他替我跟你们…": a person introduced by name, then asked to act as 他/她
_AGENT_OPENS_LINE = re.compile(rf"^[ \t]*(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}(?=[ \t]*(?:替|代|帮)[ \t]*我[ \t]*(?:去|来|跟|和|办|问|处理|谈))",
                               re.M)
_AGENT_INTRODUCED = re.compile(rf"^[ \t]*(?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}}(?=(?:跟|和|与)我(?:是)?(?:一起|一个)|是我的?)", re.M)
_ASKS_HIM = re.compile(r"(?:叫|让|托|请|委托)(?:他|她)(?!们)(?:替|帮|代)")
# "我跟郑秀英是两口子…这些网贷跟银行的事我托她办": the person paired with the writer by a tie, then handed the business
_AGENT_PAIRED = re.compile(rf"(?<=[我人])(?:跟|和|与)((?![{_NOT_A_NAME}我你他她])[{_CJK}]{{2,3}})(?=(?:是|系)[^。\n,]{{0,4}}?(?:{_KIN}))")
_GRANTS_HIM = re.compile(r"(?:叫|让|托|请|委托|交给|交由)(?:他|她)(?!们)(?:替|帮|代|办|去|管|处理)")
# "这信是俺闺女孙小燕写的": the writer's relative named, when nothing else names the agent
_AGENT_KIN_NAMED = re.compile(rf"(?:我|俺|本人)的?(?:大|二|三|四|小|老|尕)?(?:{_KIN})\s*(?:叫)?\s*(?![{_NOT_A_NAME}])"
                              # a verb, not a name: "我爸爸借款的事", "我妈住院了"
                              r"(?![借欠还贷住病说打被让叫给也都就要会去来把跟爸妈哥姐弟妹])"
                              rf"[{_CJK}]{{2,3}}"
                              rf"(?![{_CJK}]{{0,3}}(?:去世|病故|已故|过世))")
_SCOPE_LABEL = re.compile(r"委托事项|委托权限|代理权限|代理事项|授权范围|授权事项|委托范围|代理范围|委托内容|具体事项|授权内容|"
                          r"权限如下|权限为|特别授权|一般授权|一般代理|服务项目|以下事项|下列事项|以下事情|下面的事|这几件事|"
                          r"下列事务|(?:他|她|其)\s*(?:能|可以)\s*(?:办|做|代办)(?:的事)?\s*[:]|"   # "他 能 办：…"
                          # "她可以替我做这些事体：" and a list under it
                          r"(?:替我|帮我|代我)(?:做|办|弄)(?:这些|以下|下面的?|这几样|这几件)(?:事情|事体|事儿|事)?\s*[:]")
_SCOPE_VERB = re.compile(r"(?:代为|代理|代表|代|替|帮|由|让|叫|交给|都叫|都让)[^。\n;]{0,30}?"
                         r"(?:办理|办|协商|商量|处理|说|讲|谈|申请|查询|问|交|签|领取|提交|还|分期|延期|结清|管|说明|出具|沟通|跟进|寄|送|取|拿|领|开|"
                         r"打印|复印|调取|处置|掰扯|唠)"
                         r"|(?:处理|办理|协商)[^。\n;]{0,30}?(?:事宜|事情|事项|手续|的事)"
                         r"|(?:让|叫)[^。\n;]{0,40}?(?:去|来)[^。\n;]{0,20}?(?:办|申请|问|交|说)"
                         # "把我那本存折…的流水打出来"
                         r"|把[^。\n;]{0,40}?(?:打出来|打印出来|取出来|拿回来|寄出去|送过去|交给)"
                         # "委托乙方就…逾期问题与各平台协商…", "委托我丈夫…全权负责跟你们处理，包括…"
                         r"|(?<![受已])(?:委托|授权)(?![人方书])[^。\n;]{0,60}?(?:负责|处理|办理|协商|商量|沟通|谈|对接|跟进)"
                         r"|包括(?:但不限于)?[:,]?\s*[^。\n;]{2}"
                         # "跟你们商量怎么还 减点利息啥的都找他": the matters, then "都找他"
                         r"|(?:商量|协商|谈|说|问|办|还)[^。\n;]{0,20}?(?:都|就|全|统统)?(?:找|问|联系)(?:他|她)(?!们)"
                         # "你们有啥子事直接找她 扣款 逾期 要补啥子资料都跟她说"
                         r"|(?:事|事情|事儿)[^。\n;]{0,4}?(?:直接|都|就|全)?(?:找|问|联系|打)(?:他|她)(?!们)"
                         r"|(?:你们|您们)(?:直接)?(?:跟|和|与|同)(?:他|她)(?!们)(?:商量|谈|说|讲|协商|办|对接)"
                         # the errand, said of the agent named just before: "他给你们送材料，…他听你们说什么方案"
                         r"|(?:他|她)(?!们)(?:去|来)?(?:给|向|替我给)(?:你们|您们|贵司|贵公司|贵行)(?:送|交|递|拿|取|提交)")
# What business the agent may act in. A scope sentence must name one ("借款事宜", "协商还款", "谈分期的事");
# "全权委托…作为我的代理人，她办的事我都认可" or "一切由他做主" names none: that is no scope, however broad it sounds.
_MATTER = re.compile(r"借|贷|欠|还|账|帐|债|款|钱|分期|延期|协商|商量|减免|息|催|结清|证明|信用卡|额度|合同|诉讼|出庭|起诉|应诉|"
                     r"调解|仲裁|判决|案|纠纷|征信|手续|材料|业务|费|逾期|申请|查询|核对|签署|签收|文书|协议|方案|流水|对账单|"
                     r"信件|这封信|挂号信|快递|包裹|文件|领取|签收|取件")
_NUM = r"(?:(?<!\d)\d{1,3}(?!\d)|[一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾半几]+)"      # not a year: "2027年"
_DURATION = rf"(?:{_NUM}\s*(?:个)?(?:年|个月|月|周|天|日)|半年|长期|永久|一直有效|不撤就不算完)"
# "委托期间" is a label only with a value after it ("委托期间：…", "委托期间为…"), not "委托期间各平台不要再联系本人"
_TERM_LABEL = re.compile(r"委托期限|代理期限|授权期限|有效期|委托时间|委托期间(?=\s*[:|为自从是]|\s*\d)|授权有效期|服务期限|期限\s*[:|]|"
                         r"委托期(?!间)")
_TERM_RANGE = re.compile(r"(?:自|从)[^。\n;]{1,24}?(?:起)?[ \t]*(?:至|到|—|–|-|~|～)[ \t]*[^。\n;]{1,24}?(?:止|为止|失效|结束|[日号月])"
                         r"|\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?\s*(?:至|到|—|–|~|～|-)\s*\d{4}[-./年]\d{1,2}[-./月]\d{1,2}"
                         # the year said once: "2027年4月14日到4月30日"
                         r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?\s*(?:至|到|—|–|~|～|-)\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"
                         # month/day to month/day typed on a phone: "11/9到12/10"
                         r"|(?<![\d/])\d{1,2}/\d{1,2}\s*(?:至|到|~|～)\s*\d{1,2}/\d{1,2}(?![\d/])")
_TERM_EVENT = re.compile(r"(?:到|至|直到|一直到)(?!贵|银行|网点|柜台|营业|门店|支行|分行|邮局|邮政)"
                         r"[^。\n;]{0,24}?(?:为止|之日止|止|办完|还完|还清|结清|处理完|办结|完毕)|办完为止|"
                         r"办(?:完|好)(?:了)?(?:这个委托|委托)?就(?:行|好|可以|算|结束|没了|作废|失效|不算)|[\u4e00-\u9fa5]{2,4}期间(?:内)?(?:均|都)?有效|"
                         # "直至修复完成", "办完这几家的事为止"
                         r"(?:直至|直到)[^。\n;]{0,12}?(?:完成|结束|办好)|办完[^。\n;]{0,10}?为止|"
                         # "在我出院之前都由我儿子跟你对接": until the borrower is back
                         r"(?:在|到)(?:我|本人)?[^。\n;,]{0,6}?(?:出院|回来|回国|康复|病好|身体好)(?:了)?(?:之前|以前|为止)|"
                         # "这个授权在分期方案定下来之前都有效"
                         r"(?:在|到)[^。\n;,]{1,16}?(?:之前|以前|为止)(?:都|均|一直|全)?(?:有效|算数|作数|管用)|"
                         r"(?:委托|授权)的?(?:时间|期限)(?:就|是|为)?(?:到|至)[^。\n;,]{1,12}|"
                         r"(?:从|自)(?:今天|今日|即日|签字之日|签字那天)起[^。\n;,]{0,4}?[一二两三四五六七八九十半\d]{1,2}个?(?:月|年|星期|礼拜|周)|"
                         # "到信寄出去、回执拿回来就算完了", "出院了就不用了", "我住院这几天"
                         r"(?:到|等)[^。\n;]{0,24}?就算(?:完|结束|好)|出院(?:了)?就不用|(?:住院|出差|外出)(?:这|咯|的)?(?:几天|期间)|"
                         r"(?:啥时候|什么时候)[^。\n;]{0,14}?(?:办完|办好|结束|还完|还清|弄清楚|说清楚|谈好|算完)|"     # "啥时候事办完啥时候结束"
                         # "…拿到回执，这个委托就结束了", "先到过年", "服务周期：90个工作日"
                         r"(?:这个|本)?(?:委托|授权)(?:书)?(?:就|即)(?:结束|终止|失效|作废)|"
                         r"(?:这个|本)(?:委托|授权)(?:书)?[^。\n;]{1,12}?(?:就|即)(?:结束|终止|失效|作废)|"
                         r"(?:先|就)?(?:到|至)(?:过年|春节|年前|年后|元旦|清明|端午|中秋|国庆)(?:为止|前|后)?|"
                         # a season's end and its date: "到防火期结束6月15号我下山了再自己跟你们唠"
                         r"(?:到|至|等)[^。\n;,]{1,8}?(?:结束|完了?|过完|过去)[ \t(]*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|"
                         r"(?:服务|委托|代理|授权)(?:周期|期间|时间)\s*[:]\s*\d+\s*个?(?:工作日|天|日|月|年)|"
                         r"等(?:我)?[^。\n;]{0,10}?(?:好了|好点|好些|出院|回来|出来)了?[^。\n;]{0,6}?(?:我自己|本人|我再)|到年底|到明年|到今年|(?:到|至)\s*[0-9一二三四五六七八九十]{1,3}\s*月(?:底|末|份|中旬)|(?<![日号])(?:到|至)\s*[0-9一二三四五六七八九十]{1,3}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*[日号]|(?:到|至)(?:这个|本|下个|下)?月底|(?:到|至)(?:这个|本|下个)月月底|(?:至|到)\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|(?:失效|有效)\s*$")
_TERM_DURATION = re.compile(rf"{_DURATION}\s*(?:内)?\s*(?:持续)?(?:有效|有用|为限)|"
                            rf"(?:自|从)[^。\n;]{{1,16}}?起\s*{_DURATION}|(?:委托|授权|代理|管|有效期?|期限|期间|时间)\s*(?:时间|期限)?\s*"
                            rf"(?:就|先)?(?:为|是|暂定|定为?)?\s*"
                            rf"{_DURATION}|(?:^|[\s,。;])(?:先|就|暂定|暂时)?(?:管)?{_DURATION}(?:内)?(?:有效)?(?:吧|啊|呗)?\s*[。]?\s*$")
# "…去贵公司办分期 半年": a bare duration closing a line, after a space, says how long the whole thing holds
# a calendar period said of the authority: "这个月内都是他跟你们联系", "今年年底前", "本季度内"
_TERM_PERIOD = re.compile(r"(?:这个|本|下个|这|今)(?:月|季度|星期|礼拜|周|年)(?:内|底前|底之前|之内|年底前|底)"
                          r"|(?:^|\s)(?:就|先|只)这(?:一)?段(?:时间|日子)"
                          r"|(?:就|只)(?:办)?(?:这|那)(?:一)(?:趟|次|回)"     # "就这一次，问清楚就好", "就办这一回"
                          # a single errand: "就今天（12月24日）这一趟", "只限今天这一次"
                          r"|(?:就|只|仅|只限|仅限)(?:今天|明天|当天|本次)(?:上午|下午|晚上)?(?:\([^)\n]{0,12}\))?(?:这|那)?(?:一)?(?:趟|次|回)"
                          r"|(?:今天|当天|当日|即日|本日|本次|今日|明天)(?:上午|下午|晚上)?(?:内)?(?:有效|管用|算数|作数)|(?:就|只)(?:这个|本)(?:月|星期|礼拜|周)"
                          r"|(?:会员|服务|委托|授权|代理|协商|托管)期\s*(?:为|是)?\s*[一二两三四五六七八九十半\d]{1,2}个?(?:年|月)"

                          r"|这[一二两三四五六七八九十半\d]{1,2}个?(?:月|星期|礼拜|周)(?:里|内|之内)?")
_TERM_TAIL = re.compile(rf"(?<=\s)(?:管)?{_DURATION}(?:内)?(?:有效|有用)?\s*$", re.M)
_SIGN_MARK = re.compile(r"签字|签名|签章|盖章|公章|手印|捺印|按印|指印|指模|\(章\)|\(签署\)|签\s*[:)]|亲笔")
_SIGN_ROLE = re.compile(r"^\s*立(?:委托|授权)书?人(?=\s*[:])"       # "立委托书人：张三", the old form's signing line
                        r"|(?:委托人|授权人|本人|申请人|甲方|承诺人|客户|会员|社员|学员|登记人|老人|户主|摊主)[^。\n]{0,6}(?:签字|签名|签章|盖章|手印|捺印|指模"
                        r"|签署(?=\s*[:(]))")           # "委托人签署：何家辉" (a label), not "代委托人签署还款协议"
# a message signed off with a dash and the name ("—— 钟慧敏", "——林海生") closing it
# (a whole line of a dash and a name is a name, even one whose surname starts sentences elsewhere: "——于浩")
# ... and the date or a few words after it: "——刘志远 2027年10月5日 船上发的"
# a day and month in English: "3rd Dec", "Dec 3"
# a month and day after a dashed sign-off: "——马成福 7月9号", "—— 周志刚 8-17", "——吉克阿木 10月3号"
# ... or a lunar month and day ("——张宝林 腊月二十三"): 正月, 冬月, 腊月, or a day of 初/廿, need no 农历 before them
_LUNAR_MONTH_DAY = (r"(?:农历\s*[正一二三四五六七八九十冬腊]{1,2}月\s*[初十廿卅一二三四五六七八九]{1,3}[日号]?"
                    r"|(?:正|冬|腊)月\s*[初十廿卅一二三四五六七八九]{1,3}[日号]?"
                    r"|(?:十[一二]?|[一二三四五六七八九])月\s*(?:初|廿)[一二三四五六七八九十][日号]?)")
_SIGNOFF_MD = rf"(?:(?:\d{{2,4}}[年./-])?\d{{1,2}}\s*(?:月|[./-])\s*\d{{1,2}}\s*[日号]?|{_LUNAR_MONTH_DAY})"
_EN_DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
_DASH_SIGNED = re.compile(rf"^\s*(?:——|—|--|-)\s*((?!以上|谢谢|此致|敬礼|完毕|未完)[{_CJK}]{{2,4}}(?:[·•][{_CJK}]{{2,8}})?"
                          r"(?:\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?)"       # "——晓雯 Shirley Gu"
                          # ... "—— 周志刚 8-17 北京时间下午4点": the time after the date
                          rf"(?:\s+(?P<md>{_SIGNOFF_MD})(?:\s*[{_CJK}\d:]{{1,12}})?"
                          # "——雯婷 3rd Dec": an English day and month
                          rf"|\s+(?P<en>{_EN_DAY_MONTH}))?\s*$")
# a message's sender vouching for it with their name: "这条是我本人发的 韦婷", "我杨光荣 本人发的"
_SELF_SENT = re.compile(rf"^\s*(?:这条|此条|以上|这个|这些)?(?:消息|留言|信息|短信|话)?(?:是|都是)?(?:我|俺)?\s*"
                        rf"([{_CJK}]{{2,4}})?\s*(?:我|俺)?本人(?:亲自)?(?:发|写|打|说)的(?:[,。]?\s*([{_CJK}]{{2,4}}))?\s*[。!]?\s*$")
_NOT_NAME_WORD = re.compile(r"这条|消息|留言|都是|就是|确实")
# ... after a full stop, or a space in a voice-typed message with no stops, and a month and day after the name:
# "…你们不要怪 ——吉克阿木 10月3号"
_DASH_TAIL = re.compile(rf"(?:[。!.]|(?<=\s))\s*(?:——|—)\s*((?!以上|谢谢|此致|敬礼)[{_CJK}]{{2,4}}(?:[·•・][{_CJK}]{{2,8}})?)"
                        rf"(?:\s+({_SIGNOFF_MD}))?\s*$")
_PRINCIPAL_FOOT = re.compile(rf"\s*((?:委托人|授权人|立委托人|声明人)\s*[:]\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}"
                             rf"(?:[·•・][{_CJK}]{{2,8}})?)\s*$")
# A lawyer's 执业证号 however it is labelled and written: "执业证号：…", "执业证书编号…", "（证号：…）" after a lawyer's
# name, the number on the label's line or the next, in ASCII or full-width digits, in one run or in groups split by
# spaces or hyphens ("14401 2016 1 1 358902", "32012-2017-10634521").
_LICENCE_LABEL = re.compile(r"执业许可证号|执业许可证|"
                            r"执业证书编号|执业证书号码|执业证书号|执业证编号|执业证号码|执业证号|执业编号|律师证编号|律师证号|"
                            r"律师执业证|执业证|法律援助证号|援助证号|证号")
# the number after the label; a made-up one may open with Latin letters ("BCSA-FW-20260088"): its digits are read
# or carry a province in brackets ("HBSK（渝）2026-0417")
_LICENCE_NUMBER = re.compile(r"(?:[^0-9\n]{0,8}|[:\s]*[A-Za-z][A-Za-z\-_ ]{0,11}(?:\([\u4e00-\u9fa5]{1,3}\)[\-_ ]?)?"
                             r"|[:\s]*\([\u4e00-\u9fa5]{1,3}\)[\-_ ]?)(?:\n[^0-9\n]{0,3})?([0-9]+(?:[ \-–—_·][0-9]+)*)")
_LICENCE_DIGITS = 17


@dataclass(frozen=True)
class Licence:
    """A licence label and the number after it (digits only, "" when the label has none)."""
    start: int
    end: int
    label: str
    number: str


def find_licence(text: str, start: int = 0, end: int | None = None) -> Licence | None:
    """The first 执业证号 in ``text[start:end]``. A bare "证号" counts only after a lawyer's name on its line (so a
    身份证号 or a 学生证号 is never one); groups of digits are read until they make a full 17-digit number."""
    folded = fold_width(text)
    stop = len(folded) if end is None else end
    empty: Licence | None = None
    for m in _LICENCE_LABEL.finditer(folded, start, stop):
        if m.group(0) == "证号":
            line_start = folded.rfind("\n", 0, m.start()) + 1
            if not folded[line_start:m.start()].strip():  # "证号：…" opening the line under "…律师程立新"
                line_start = folded.rfind("\n", 0, max(0, line_start - 1)) + 1
            before = folded[max(line_start, m.start() - 20):m.start()]
            if "律师" not in before or re.search(r"[身份件生作疾保官照驶]$", before):
                continue
        n = _LICENCE_NUMBER.match(folded, m.end(), stop)
        if n is None or len(re.sub(r"\D", "", n.group(1))) < 2:
            # "陈律师的证号是他名片上印的：律师执业证号14602-…": a label further on may carry the number
            empty = empty or Licence(m.start(), m.end(), m.group(0), "")
            continue
        digits, last = "", n.start(1)
        for g in re.finditer(r"[0-9]+", n.group(1)):
            if len(digits) >= _LICENCE_DIGITS:
                break
            digits += g.group(0)
            last = n.start(1) + g.end()
        return Licence(m.start(), last, m.group(0), digits)
    return empty


_CN = "〇零○O一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾"      # capitals too: "公元贰零贰柒年玖月拾捌日"
_DATE = re.compile(rf"(?:\d{{4}}|\d{{2}}(?=年))\s*(?:年\s*|[-./])\d{{1,2}}\s*(?:月\s*|[-./])\d{{1,2}}\s*[日号]?"
                   rf"|(?:[{_CN}]{{4}}|(?<![{_CN}])[一二][{_CN}])\s*年\s*[{_CN}]{{1,3}}\s*月\s*[{_CN}]{{1,3}}\s*[日号]"
                   rf"|\d{{4}}\s*年\s*\d{{1,2}}\s*月|{WESTERN_DATE.pattern}"
                   # a lunar date with its year: "2026年 十二月初二", "2026年腊月十八", "丁未年四月初八" (a year of the cycle)
                   r"|(?:\d{4}|[〇零○一二三四五六七八九]{4}|[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥])\s*年\s*(?:农历)?\s*(?:正|冬|腊|十[一二]?|[一二三四五六七八九])月\s*(?:初[一二三四五六七八九十]|"
                   r"二?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|三十)", re.IGNORECASE)
# Short forms a phone-typed letter ends with: "25.3.8", "25/3/8", "3月8号". Taken only as a line of their own at
# the foot (with a name or 签名 beside them), never inside a sentence.
_SHORT_DATE = re.compile(r"(?<![\d.])\d{2}[./]\d{1,2}[./]\d{1,2}(?![\d.])|(?<![\d年])\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
                         r"|(?<![\d年〇零一二三四五六七八九十])(?:十[一二]?|[一二三四五六七八九])月(?:三十一?|二?十[一二三四五六七八九]?|"
                         r"[一二三四五六七八九])[日号]")
# month/day, or day/month when the day cannot be a month ("13/12")
_MONTH_DAY = re.compile(r"\s*((?:1[0-2]|0?[1-9])[./](?:3[01]|[12]\d|0?[1-9])|(?:3[01]|2\d|1[3-9])[./](?:1[0-2]|0?[1-9]))\s*$")
# (not the date of something else: 出生日期, 借款日期, 到期日期, 入院日期…)
_DATE_LABEL = re.compile(r"(?<!出生)(?<!借款)(?<!放款)(?<!到期)(?<!还款)(?<!入院)(?<!出院)(?<!就诊)(?<!生效)(?<!开始)(?<!结束)日期"
                         r"|落款|date", re.IGNORECASE)
# a message dating itself: "今天7月3号", "今天是12月5日"
_TODAY_DATE = re.compile(r"(?:今天|今日|今儿|今个|今朝)(?:是)?\s*((?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
                         r"|(?<!\d)\d{2}\.\d{1,2}\.\d{1,2}(?!\d))")      # "今天27.3.5"
# a month and day opening the last line, then where it was sent from: "9.23 船上发的 出了岛子就没信号了"
_MD_SENT = re.compile(r"\s*((?:1[0-2]|0?[1-9])[./](?:3[01]|[12]\d|0?[1-9]))\s+[\u4e00-\u9fa5]{0,8}?(?:发|写|打)的")
# a day of the month alone on the foot's last line: "十日", "3日" (a date under the signature, not a ten-day term)
_DAY_ONLY = re.compile(r"\s*((?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]|[12]?\d|3[01])\s*[日号])"
                       r"(?:\s*(?:上午|下午|晚上|夜里|早上|中午))?\s*$")
_TERM_WORDS = re.compile(r"至|到|期限|有效|起|止|借|贷|生效|出生|生于|生日")   # not 卫生院


def _first(pats: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    hits = [m for p in pats for m in [p.search(text)] if m is not None]
    return min(hits, key=lambda m: m.start()) if hits else None


def _lines(folded: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for ln in folded.split("\n"):
        out.append((pos, ln))
        pos += len(ln) + 1
    return out


# "韦小兰 身份证450103…" as one of the last lines: the writer identifying themself under a letter that says "我"
_FOOT_NAME = re.compile(rf"^\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}\s*[,(]?\s*(?:(?:内地|大陆|香港|澳门|台湾|居民)?身份证|公民身份)")


# "我是张素芬，石板村3组罗德贵屋头的，身份证…", "我罗德贵，石板村3组的，身份证…": the writer, then where they are from, then the ID
_PRINCIPAL_SELF_ID = re.compile(rf"(?<![^\s,。!?:;])(?:我叫|我是|俺叫|俺是|本人|我|俺)"
                                rf"\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=,[^。\n]{{0,30}}?身份证)")
# A call record: "工亡家属刘翠萍（电话…）来电，口头同意委托本基金会…"
_PRINCIPAL_CALLER = re.compile(rf"(?:家属|客户|借款人|当事人|委托人)\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=\s*\()")
# A form's "姓名：韦德昌" above a line where that person grants authority ("本人授权协会…"): the last way to find them
_FORM_NAME = re.compile(rf"^\s*\|?\s*姓\s*名(?:\s*[:|]|[ \t]{{2,}})\s*[{_CJK}]{{2,4}}", re.M)      # "姓名：韦德昌", "| 姓名 | 杨志军 |"
# "本人授权…", "本人系互助会会员，自愿授权本会…", "本人自愿将上述全部债务交由…备案，并授权本办…"
_SELF_GRANTS = re.compile(r"本人[^。\n]{0,40}?(?:自愿)?(?:同意)?(?<![受已])(?:委托|授权|交由|交给)(?![人方书])")
_CALL_GRANT = re.compile(r"(?:口头|电话)?同意(?:委托|授权)")


def _principal_at_foot(folded: str) -> tuple[int, int] | None:
    for start, ln in [(s, ln) for s, ln in _lines(folded) if ln.strip()][-3:]:
        m = _FOOT_NAME.search(ln)
        if m is not None:
            return start + m.start() + len(m.group(0)) - len(m.group(0).lstrip()), start + m.end()
    for start, ln in [(s, ln) for s, ln in _lines(folded) if ln.strip()][-4:]:
        m = _PRINCIPAL_SIGNS.search(ln)   # "委托人签字：赵晓梅": the principal named where they sign
        if m is not None:
            return start + m.start(), start + m.end()
    own = _PRINCIPAL_SELF_ID.search(folded)
    if own is not None:
        return own.start(), own.end()
    caller = _PRINCIPAL_CALLER.search(folded)
    if caller is not None and _CALL_GRANT.search(folded, caller.end()):
        return caller.start(), caller.end()
    name = _FORM_NAME.search(folded)
    if name is not None and _SELF_GRANTS.search(folded, name.end()) and not _AGENT_HEADER.search(folded, 0, name.start()):
        return name.start() + len(name.group(0)) - len(name.group(0).lstrip()), name.end()
    opens = _PRINCIPAL_OPENS.search(folded)
    if opens is not None and _ASKS_SOMEONE.search(folded, opens.end()):
        return opens.start(), opens.end()
    return None


# The writer naming themself as the letter opens, then asking someone to act: "我李秀娣，老头子腰伤…托隔壁邻居…",
# "我是高一（3）班的何欣悦。…想委托您帮我办这件事"
_PRINCIPAL_OPENS = re.compile(rf"(?:^\s*|你好[,!]?\s*)[我俺](?!觉得|认为|知道|希望|现在|已经|自己|今天|昨天|们|想|也|还|就|又|都|真|家|这|那)"
                              # "俺孙传利今个要去肥西…俺让店里的小伙…替俺接待": the name, then when
                              rf"(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=[,]|今个|今天|今儿|今朝|明天|这几天)"
                              rf"|(?:^\s*|你好[,!]?\s*)(?:我是|我叫|俺是|俺叫)(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=[,。])"
                              rf"|(?<![^\s,。!?:;])(?:我是|我叫)[^。\n,]{{1,12}}?的(?!{_KIN}|客户|用户|借款人|持卡人|会员|学员|学生|员工|职工|"
                              rf"老师|家属|代理人|委托人)(?![{_NOT_A_NAME}])[{_CJK}]{{2,3}}(?=[。,!\s])", re.M)
_ASKS_SOMEONE = re.compile(r"(?<![受已])(?:委托|授权|托|麻烦|请)(?![人方书管运])|(?:叫|让)(?:他|她)(?!们)(?:替|帮|代)"
                           r"|(?:叫|让)[^。\n]{1,48}?(?:替|帮|代)[我俺]")


_PRINCIPAL_SIGNS = re.compile(rf"(?:委托人|授权人)\s*[(]?\s*(?:签字|签名|签章)[^:\n]{{0,8}}[:]\s*(?![{_NOT_A_NAME}])[{_CJK}]{{2,4}}")


# an instruction to sign later ("签字按手印拍照发回", "签字后寄回"): no signature yet
_SIGN_LATER = re.compile(r"[^。\n]{0,4}?(?:拍照|发回|寄回|后|再|以后)")
# ... or said before the mark: "伊讲回来再补签名", "等她回国后补签字"
_SIGN_LATER_BEFORE = re.compile(r"(?:再|回来|回国|以后|之后|到时候?|后)补?$")


def _signature(folded: str) -> tuple[int, int] | None:
    """A signing mark where a signature goes: a short line (the foot of the letter, a form row) or '委托人签字…'.
    "该签字的她签" inside a long sentence is scope, not a signature."""
    lines = _lines(folded)
    for i in range(len(lines) - 1, -1, -1):
        start, ln = lines[i]
        m = _SIGN_ROLE.search(ln)
        if m is not None:
            return start + m.start(), start + m.end()
    # the principal's line at the foot with the name on it ("委托人：赵雨萱" above the date): where the letter is signed
    for start, ln in [(st, ln) for st, ln in lines if ln.strip()][-3:]:
        m = _PRINCIPAL_FOOT.match(ln)
        if m is not None:
            return start + m.start(1), start + m.end()
    closing = [(st, ln) for st, ln in lines if ln.strip()][-1:]
    for start, ln in closing:
        m = _DASH_SIGNED.match(ln)
        if m is not None:
            return start + len(ln) - len(ln.lstrip()), start + m.end(1)
        tail = _DASH_TAIL.search(ln)     # "…有甚你们就打他电话。——乔美兰": signed off at the end of the paragraph
        if tail is not None:
            return start + tail.start(), start + tail.end(1)
    for start, ln in [(st, ln) for st, ln in lines if ln.strip()][-4:]:
        m = _SELF_SENT.match(ln)
        if m is not None and (m.group(1) or m.group(2)) and not _NOT_NAME_WORD.fullmatch(m.group(1) or m.group(2)):
            return start + len(ln) - len(ln.lstrip()), start + len(ln.rstrip())
    for i in range(len(lines) - 1, -1, -1):
        start, ln = lines[i]
        m = _SIGN_MARK.search(ln)
        # a bracketed note does not make a signing line long: "签名：霍振宇（人在部队回不来…探家回来补签）"
        if m is None or len(re.sub(r"\([^)\n]*\)", "", ln).strip()) > 30 or ("签署" in ln[max(0, m.start() - 1):m.end() + 1]
                                                 and "(签署)" not in ln) or _SIGN_LATER.match(ln, m.end()) \
                or _OTHER_SIGNER.match(ln) or _SIGN_LATER_BEFORE.search(ln, 0, m.start()) \
                or ln[max(0, m.start() - 1):m.start()] in ("不", "没", "别", "勿") \
                or _SIGN_AS_MATTER.match(ln, m.end()):       # "他不签字", "要签字、要还钱的事": what the agent may not do
            continue
        return start + m.start(), start + m.end()
    return None


# signing named as one of the matters the agent is or is not to handle ("要签字、要还钱的事，陈律师先问我")
# (not a signing line's own marks: "签字及盖章：", "签名和日期：")
_SIGN_AS_MATTER = re.compile(r"[、和或及](?!\s*(?:盖章|手印|按手印|捺印|指印|签章|日期|时间))|(?:的|之类的|等)事"
                             # "要签字个，伊替阿拉签": signing the agent does for the principal
                             r"|(?:的|个)?[,，]?\s*(?:他|她|伊|渠|佢)(?:替|帮|代)")
# the agent's or a witness's signing line ("受托人（签名）：陈慧敏"): not the principal's signature
_OTHER_SIGNER = re.compile(r"\s*(?:受托人|受委托人|被委托人|代理人|被授权人|受托方|乙方|经办人|见证人|审核人|律师)")


_LUNAR_MD = re.compile(rf"\s*({_LUNAR_MONTH_DAY})\s*$")
_STAMPED = re.compile(r"((?:\d{4}[-./年])?\d{1,2}[-./月]\d{1,2}日?)\s*\d{1,2}:\d{2}")     # "12月21日 22:47" too
_TYPIST_NOTE = re.compile(r"\s*\([^)\n]*(?:口述|打出来|打字|整理|代写|代笔|转成文字|原话)[^)\n]*?"
                          rf"({_DATE.pattern})\s*\)\s*$")


def _letter_date(folded: str) -> tuple[int, int] | None:
    """The letter's own date: on a short line of its own or after a date label, not inside a term or a story."""
    for start, ln in reversed(_lines(folded)):
        for m in _DATE.finditer(ln):
            rest = ln[:m.start()] + ln[m.end():]
            labelled = _DATE_LABEL.search(ln[:m.start()]) is not None
            bare = re.sub(r"\([^)\n]*\)", "", ln).strip()   # "2027-09-18（当地时间晚上写的，北京时间已经是19号凌晨了）"
            if labelled or (len(bare) <= 32 and not _TERM_WORDS.search(re.sub(r"\([^)\n]*\)", "", rest))):
                return start + m.start(), start + m.end()
        for m in _DATE.finditer(ln):   # a letter in one run-on line: "委托人签名张桂兰 手印按了 2026年12月1号"
            if _SIGNED_BEFORE.search(ln, max(0, m.start() - 16), m.start()):
                return start + m.start(), start + m.end()
        label = _DATE_LABEL.search(ln)   # "日期：13/12", "日期：12月13日": a labelled month and day without the year
        if label is not None:
            md = _MONTH_DAY.match(ln, label.end() + (1 if ln[label.end():label.end() + 1] == ":" else 0))
            short = _SHORT_DATE.search(ln, label.end())
            if md is not None:
                return start + md.start(1), start + md.end(1)
            if short is not None and not ln[label.end():short.start()].strip(" :"):
                return start + short.start(), start + short.end()
    lines = [(start, ln) for start, ln in _lines(folded) if ln.strip()]
    if lines:   # the date that closes a run-on letter: "…受托人钱国庆 电话139… 2026年12月12日"
        start, ln = lines[-1]
        last = [m for m in _DATE.finditer(ln) if not ln[m.end():].strip(" 。.)")]    # ... or a typist's note "（…孙女某某 2027年3月29日）"
        if last and not _TERM_WORDS.search(ln, max(0, last[0].start() - 4), last[0].start()):
            return start + last[0].start(), start + last[0].end()
    for (_, above), (start, ln) in zip(lines, lines[1:]):  # "李红霞" then "10月8号": a short date under the signer's name
        short = _SHORT_DATE.search(ln)
        if short is not None and not re.sub(r"\s|日期|[:]", "", ln[:short.start()] + ln[short.end():]) \
                and (re.fullmatch(rf"\s*[{_CJK}]{{2,4}}\s*", above) or _SIGN_ROLE.search(above) or _SIGN_MARK.search(above)):
            return start + short.start(), start + short.end()
    foot = lines[-3:]
    for (_, above), (start, ln) in zip(foot, foot[1:]):   # "签字：周建军" then "12.12": a month and day under it
        md = _MONTH_DAY.match(ln) or _DAY_ONLY.match(ln)    # ... or the day alone, the month above it ("十日")
        if md is not None and (_SIGN_ROLE.search(above) or _SIGN_MARK.search(above)):
            return start + md.start(1), start + md.end(1)
    closing = (_MONTH_DAY.fullmatch(foot[-1][1]) or _DAY_ONLY.fullmatch(foot[-1][1]) or _MD_SENT.match(foot[-1][1])) \
        if foot else None
    if closing is not None:       # "5.7" or "11号 晚上" alone closing a note
        return foot[-1][0] + closing.start(1), foot[-1][0] + closing.end(1)
    for start, ln in reversed(foot):
        short = _SHORT_DATE.search(ln)
        if short is not None and (len(re.sub(r"\s|签名|签字|本人|按手印|日期|[:]", "", ln[:short.start()] + ln[short.end():])) <= 4
                                  or _DASH_SIGNED.match(ln)):       # "——马成福 7月9号"
            return start + short.start(), start + short.end()
        signed = _DASH_SIGNED.match(ln)   # "——雯婷 3rd Dec", "—— 周志刚 8-17 北京时间下午4点"
        for group in ("en", "md"):
            if signed is not None and signed.group(group):
                return start + signed.start(group), start + signed.end(group)
        tail = _DASH_TAIL.search(ln)      # "…不要怪 ——吉克阿木 10月3号": the date after the name signing off a paragraph
        if tail is not None and tail.group(2):
            return start + tail.start(2), start + tail.end(2)
    today = _TODAY_DATE.search(folded)
    if today is not None:
        return today.start(), today.end()
    lunar = _LUNAR_MD.fullmatch(foot[-1][1]) if foot else None
    if lunar is not None:      # "农历八月十六" under the name
        return foot[-1][0] + lunar.start(1), foot[-1][0] + lunar.end(1)
    for start, ln in lines[:2]:     # a message's header with its timestamp: "[某某App · 在线客服 · 2027-05-06 10:30am]"
        stamp = _STAMPED.search(ln)
        if stamp is not None:
            return start + stamp.start(1), start + stamp.end(1)
    # the note of whoever typed a spoken letter, at its head, dated: "（以下是我爸口述的，我…照他原话整理打出来。——许晴 2027-09-03）"
    for start, ln in lines[:2]:
        typed = _TYPIST_NOTE.match(ln)
        if typed is not None:
            return start + typed.start(1), start + typed.end(1)
    return None


def _scope(folded: str) -> tuple[int, int] | None:
    """What the agent may do: a scope label, or a sentence saying the agent acts (代为/替我/委托…协商) that names the
    business it acts in. The first such place in the letter."""
    label = _SCOPE_LABEL.search(folded)
    best = (label.start(), label.end()) if label is not None else None
    for m in _SCOPE_VERB.finditer(folded):
        if best is not None and m.start() >= best[0]:
            break
        left, right = clause_bounds(folded, m.start(), m.end(), "。\n;!?")
        if re.search(r"(?:[:]|如下|以下)\s*$", folded[left:right]):  # "可代为办理：" and a list under it
            body = right + len(folded[right:]) - len(folded[right:].lstrip())   # the list may follow a blank line
            nxt = folded.find("\n\n", body)
            right = min(len(folded), right + 200, nxt if nxt > 0 else len(folded))
        if _MATTER.search(folded, left, right) or _WITH_LENDER.search(m.group(0)):
            return m.start(), m.end()
    return best


# dealing with the lender itself is the business named: "往后这个事我让我大小子替我跟你们掰扯"
_WITH_LENDER = re.compile(r"(?:跟|和|与|同)(?:你们|您们|贵司|贵公司|贵行|贵平台)[^。\n;,]{0,4}?(?:协商|商量|谈|沟通|对接|掰扯|联系|说|讲)$")


_BLANK_TERM = re.compile(r"\s*[:|]?\s*[_＿\s]*(?:\n|$)")
_BLANK_DATES = re.compile(r"[自从起至到止年月日号\s_＿:|。]+")      # "自____年__月__日起至____年__月__日止", never filled in
_BLANK_RANGE = re.compile(rf"{_BLANK_DATES.pattern}(?:\n|$)")
# a duration in the story, not of the authority: "已逾期 2 个月", "分12期", "住院半个月"
_NOT_TERM = re.compile(r"借|期还|分|还款|收入|工资|逾期|住院|坐月子|生了|干活|培训")
# a period of records, not of the authority: "2026年9月至2027年2月的银行流水"
_RECORDS_AFTER = re.compile(r"\s*(?:\d{1,2}\s*[日号])?\s*(?:住院|在院)?(?:期间)?的?(?:银行)?"
                            r"(?:病历|资料|流水|账单|帐单|明细|记录|交易|工资|对账单|还款记录|订单|登记|摘要|报表|数据|收入)")
_NOT_TAIL = re.compile(r"逾期|拖欠|欠了|借了|欠款|住院")          # "…已逾期 2 个月" closing a form's line


def _term(folded: str) -> tuple[int, int] | None:
    """A term: a labelled line, a range of dates, an end event, or a duration said of the authority."""
    label = _TERM_LABEL.search(folded)
    if label is not None and (_BLANK_TERM.match(folded, label.end()) or _BLANK_RANGE.match(folded, label.end())):
        label = None        # "委托期限：＿＿＿＿", "自____年__月__日起至____年__月__日止": the form's blank left empty
    tail = next((t for t in _TERM_TAIL.finditer(folded)
                 if not _NOT_TAIL.search(folded, max(0, t.start() - 6), t.start())
                 and not re.search(r"\d\s+$", folded[folded.rfind("\n", 0, t.start()) + 1:t.start()])  # a table's column
                 and not (_DAY_ONLY.fullmatch(folded[folded.rfind("\n", 0, t.start()) + 1:t.end()])
                          and not folded[t.end():].strip())), None)
    hits = [h for h in (next((r for r in _TERM_RANGE.finditer(folded) if not _RECORDS_AFTER.match(folded, r.end())
                              and not _BLANK_DATES.fullmatch(r.group(0))), None),
                        next((r for r in _TERM_EVENT.finditer(folded) if not _RECORDS_AFTER.match(folded, r.end())
                              and not _BLANK_DATES.fullmatch(r.group(0))), None),
                        tail) if h is not None]
    m = label or (min(hits, key=lambda h: h.start()) if hits else None)
    if m is not None:
        return m.start(), m.end()
    for start, ln in _lines(folded):
        if _DAY_ONLY.fullmatch(ln) and not folded[start + len(ln):].strip():
            continue        # "十日" closing the letter: the date under the signature
        for clause in re.finditer(r"[^,。;]+", ln):
            d = _TERM_DURATION.search(clause.group(0)) or _TERM_PERIOD.search(clause.group(0))
            if d is not None and not _NOT_TERM.search(clause.group(0)) \
                    and not re.search(r"\d\s+$", clause.group(0)[:d.start() + 1]):      # a table's column: "信用卡  8000  60天"
                s = start + clause.start()
                return s + d.start(), s + d.end()
    return None


_WHERE = {
    "principal": "查找了“委托人/授权人”栏和“本人某某（身份证…）”这类自述",
    "agent": "查找了“受托人/代理人/被授权人/受托单位”栏和“委托/授权/让某某代为…”的句子",
    "relationship": "查找了“关系”栏和亲属、朋友、同事等称谓",
    "scope": "查找了“委托事项/代理权限/权限如下/以下事项”等栏目和“代为/替我…办理、协商、处理”这类句子",
    "term": "查找了“委托期限/有效期”栏、“自…至…”日期区间、“一年/半年内有效”等时长和“办完为止”等结束条件",
    "signature": "查看了落款各行和“委托人签字/签名/盖章/按手印”字样",
    "date": "查看了落款和“日期”栏（委托期限和借款经过里的日期不算落款日期）",
    "licence": "查找了“执业证号/执业证书编号”及其后的号码",
}


def find_elements(doc: ReadDocument, reading: ElementReading | None = None) -> dict[str, Element]:
    """Every part of an authorisation letter: found (with a masked quote and its position) or missing (with where it
    was looked for). With ``reading`` the sentence reader joins the rules (review.element_model): it adds a part the
    rules missed when it is sure of a sentence, quoting that sentence, and takes away one they found when it is nearly
    sure nothing in the letter states it."""
    out = _rule_elements(doc)
    return out if reading is None else _with_model(doc, out, reading)


def _with_model(doc: ReadDocument, out: dict[str, Element], reading: ElementReading) -> dict[str, Element]:
    view = reading_view(doc)
    scores = reading.model.scores(view.text)
    for name, score in scores.items():
        got = out.get(name)
        if got is None:
            continue
        said = view.text[view.text.rfind("\n", 0, score.start) + 1:score.end]     # the picked sentence's line
        if not got.found and score.p >= reading.add and score.end > score.start \
                and not (name in _NEVER_ADDED and _NEVER_ADDED[name].search(said)):
            page, line = locate(doc, score.start)
            out[name] = Element(name, True, quote_of(doc.text, score.start, score.end), page, line, score.start,
                                score.end, by="model")
        elif got.found and score.p <= reading.drop and name in DROPPABLE \
                and not _LABELLED[name].search(fold_width(got.quote or "")):
            # the model reads sentences: one that runs on for a whole letter dilutes a part it states, so a part the
            # rules read from its own label ("委托期限自…", "关系：…") stays
            out[name] = Element(name, False, where=f"{_WHERE[name]}，又逐句读过全文（规则匹配到的“{got.quote}”读来不是这一项）",
                                by="model")
    return out


# ... and neither is a term given as a range ending on a date ("自即日起至2028年1月31日"): nothing else reads so
_LABELLED = {"term": re.compile(rf"{_TERM_LABEL.pattern}|(?:自|从)[^。\n;]{{0,12}}?(?:起)?[ \t]*(?:至|到)[ \t]*\d{{4}}\s*年\s*\d{{1,2}}\s*月"
                                r"|\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?[ \t]*(?:至|到|—|–|~|～|-)[ \t]*\d{4}[-./年]\d{1,2}"),
             "relationship": re.compile(r"关系\s*[:|]")}
# What the model never adds, read on the line of the sentence it picked (the reading form), whatever its score:
# "与委托人关系：委托代理律师" is a lawyer's mandate, never a relationship (FORMAT.md); the note of whoever typed a spoken
# letter ("（…电话里他说一句我打一句，原话照打。——李红）") is the typist's, never the principal's signature, however
# much its dash and name look like one.
_TIE_IS_MANDATE = re.compile(r"关系\s*[:|]\s*(?:委托)?(?:代理)?律师")
_TYPIST_LINE = re.compile(r"^\s*\((?=[^)\n]*(?:口述|打出来|打下来|打字|照打|我打|打的|整理|代写|代笔|原话|记录))")
# ... and neither is a staff member the principal entrusts only as the organisation's assignee ("委托该中心指派的化解员马某"):
# their tie is the mandate (FORMAT.md)
_ASSIGNED_STAFF = re.compile(r"(?:委托|授权)(?:该|本|贵|这个|那个)?(?:中心|站|社|会|工作室|平台|联盟|团队|机构|公司|协会)"
                             r"(?:指派|委派|安排|分配|派)的")
# ... and a chat's time divider ("—— 2026年11月27日 22:13 ——") is no signed-off name
_TIME_DIVIDER = re.compile(r"^\s*(?:——|—|--)\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}")
# ... and a start with no end ("从今天起我这笔账…你们找我老倌", "从这个月开始由我老公跟你们对接") is no term: a term says
# how long, by an end, a duration or a condition (so "从今儿起到秋收完事儿都算数" may still be added)
_TERM_END = (r"止|为止|期间|期限|有效|(?:月|年|天|日|周|期)内|之内|以内|结束|办完|办好|还清|还完|结清|处理完|之前|以前|作废|失效|不算|"
             r"[一二两三四五六七八九十半\d]+\s*个?(?:月|年|周|星期|礼拜)|"
             r"(?:至|到|等)\s*(?:\d|[一二三四五六七八九十正腊冬]|年底|月底|年末|今年|明年|过年|春节|出院|回来|"
             r"我(?:出院|回来|回国|病好|好了|下山|回家))")
_START_ONLY = re.compile(rf"^(?![^\n]*(?:{_TERM_END}))"      # no end anywhere on the line, and a start whose clause runs on
                         rf"(?=[^\n]*(?:从|自)[^,，。;；\s]{{0,6}}?(?:起|开始)(?![^,，。;；\s]*(?:到|至|止|完|内|前|有效|算数|作数|管用)))")
_NEVER_ADDED = {"relationship": re.compile(f"{_TIE_IS_MANDATE.pattern}|{_ASSIGNED_STAFF.pattern}"),
                "signature": re.compile(f"{_TYPIST_LINE.pattern}|{_TIME_DIVIDER.pattern}"),
                "term": _START_ONLY}


def _rule_elements(doc: ReadDocument) -> dict[str, Element]:
    text = doc.text
    joined, index = unwrapped(reading_view(doc))  # matched in its reading form, quoted as written
    # a form filled in on underscores ("委托人：__张秀英__") reads as one with spaces
    folded = fold_width(fold_speech(joined)).replace("_", " ")
    # speech input breaks lines mid-sentence ("我为托我" / "朋友林涛 帮我去…"): where the agent or the scope is not
    # found, they are looked for again with a break between two words read as a space (same offsets)
    flat = re.sub(rf"(?<=[{_CJK}])\n(?=[{_CJK}])", " ", folded)
    spans: dict[str, Callable[[], tuple[int, int] | None]] = {
        "principal": lambda: _principal(folded),
        "agent": lambda: _agent(folded) or _agent(flat),
        "relationship": lambda: _relationship(folded),
        "scope": lambda: _scope(folded) or _scope(flat),
        "term": lambda: _term(folded),
        "signature": lambda: _signature(folded),
        "date": lambda: _letter_date(folded),
        "licence": lambda: _licence_span(folded),
    }
    # words typed with spaces between them (sign-language order, voice input: "所以 我 委托 孙丽娟。"): looked for again
    # with the spaces between Chinese characters taken out, positions mapped back
    keep = [i for i, ch in enumerate(folded) if not (ch == " " and 0 < i < len(folded) - 1
                                                      and re.match(rf"[{_CJK}]", folded[i - 1])
                                                      and re.match(rf"[{_CJK}]", folded[i + 1]))]
    tight = "".join(folded[i] for i in keep) if len(keep) < len(folded) else None
    keep.append(len(folded))
    retry: dict[str, Callable[[str], tuple[int, int] | None]] = {
        "principal": _principal, "agent": _agent, "scope": _scope, "relationship": _relationship, "term": _term}
    out: dict[str, Element] = {}
    for name in ELEMENT_NAMES:
        span = spans[name]()
        if span is None and tight is not None and name in retry:
            got = retry[name](tight)
            span = (keep[got[0]], keep[max(got[0], got[1] - 1)] + 1) if got else None
        if span is None:
            out[name] = Element(name, False, where=_WHERE[name])
            continue
        start, end = index[span[0]], index[max(span[0], span[1] - 1)] + 1
        page, line = locate(doc, start)
        quote = text[start:end] if name == "licence" else quote_of(text, start, end)
        out[name] = Element(name, True, quote, page, line, start, end)
    return out


def _principal(folded: str) -> tuple[int, int] | None:
    return (_span(_first((_PRINCIPAL_LABEL, PRINCIPAL_UNIT, _PRINCIPAL_PROSE, _PRINCIPAL_ENTRUSTS, _PRINCIPAL_SELF,
                          _PRINCIPAL_DOTTED, _PRINCIPAL_GREETS), folded))
            or _span(_PRINCIPAL_NAME_ID.search(folded))
            or _under_header(folded, _PRINCIPAL_HEADER) or _principal_at_foot(folded))


_COUPLE = ("两口子", "俩口子", "小两口", "夫妻", "夫妇")
_WE_ARE = re.compile(r"(?:我们|我俩|咱们|咱俩)(?:是|系|俩|两个)[^。\n;]{0,18}$")
# a person the collectors called ("打我辅导员电话"): the harassed, not the agent
_CALLED_BEFORE = re.compile(r"(?:打|打给|打电话给|打到|骚扰)$")


def _relationship(folded: str) -> tuple[int, int] | None:
    for m in _RELATION.finditer(folded):
        if _NOT_CONTACT.search(folded, max(0, m.start() - 48), m.start()) \
                or _DONT_CALL.search(folded, max(0, m.start() - 16), m.start()) and _CALLING.match(folded, m.end()):
            continue    # "不要再给本人和家里人、亲戚朋友打电话": the people not to be called
        if m.group(0).endswith("的关系") and not re.match(r"\s*[:|]", folded[m.end():]) \
                or _TIE_TO_OTHER.search(folded, max(0, m.start() - 12), m.end()) and not _BORROWER_GRANTS.search(folded):
            continue            # "继承与债务承担的关系"; "与借款人关系：妻子" (the principal's tie to the deceased borrower)
        if _NO_TIE.search(m.group(0)) or _NOTE_LINE.match(folded, folded.rfind("\n", 0, m.start()) + 1):
            continue            # "以后我的事和他们没有关系"; "（附注：阮阿爸字识得不多，…是我念给伊听的——女儿 某某）"
        if m.group(0) in _COUPLE and _WE_ARE.search(folded, max(0, m.start() - 24), m.start()):
            continue            # "我们是向某某、田某某两口子": the principals, a couple granting together
        if _LAWYER_TIE.match(folded, m.end()):
            continue            # "与委托人关系：委托代理律师": a lawyer's mandate, not a tie (FORMAT: null for a firm)
        if m.group(0).endswith("关系") and _BLANK_VALUE.match(folded, m.end()):
            continue            # "与委托人关系：__________": the form's label with its blank left empty
        line_start = folded.rfind("\n", 0, m.start()) + 1
        if not _about_agent(folded, m.start(), m.end()):
            continue            # "要在我娃儿那里住一个多月", "儿子在外省做工": a relative in a sentence about no one acting
        if _STORY_AFTER.match(folded, m.end()) or folded[max(0, m.start() - 1):m.start()] == "前" \
                or _BORROWERS_KIN.search(folded, max(0, m.start() - 14), m.start()) \
                or _HARASSED.search(folded, max(0, m.start() - 12), m.start()) \
                or _CONTACT_LINE.match(folded, line_start) \
                or _THIRD_PARTY_LINE.match(folded, line_start) \
                or _IN_ORG_NAME.match(folded, m.end()) or _STORY_BEFORE.search(folded, max(0, m.start() - 12), m.start()) \
                or _under_family_section(folded, line_start) \
                or _PRINCIPAL_LINE.match(folded, line_start) and "(" in folded[line_start:m.start()] \
                and not _AGENT_ON_LINE.search(folded, line_start, m.start()):
            # "紧急联系人：覃美英（老伴）": a form's contact; "工亡人员姓名：郭建军 与委托人关系：夫妻": the deceased's tie to
            # the principal; "授权人：李秀兰（工亡人员郭建军之配偶）": the principal describing herself. None is the agent.
            continue            # "这几天我妈住院", "转由前配偶承担": a relative in the story, not the agent
        return m.start(), m.end()
    return _span(next((m for m in _RELATION_STATED.finditer(folded)
                       if not _CALLED_BEFORE.search(folded, max(0, m.start() - 4), m.start())), None))


# A tie is said of the agent: its sentence names the agent, hands something over, gives the tie as a fact ("是", "系",
# "关系"), or is a form's row. A sentence with none of these only tells the story ("要在我娃儿那里住一个多月",
# "儿子在外省做工") or who was harassed ("催收就打我娘家兄弟和我儿子单位的电话").
_SENTENCE_END = re.compile(r"[。!?;\n]")
_AGENT_CUE = re.compile(r"委托|授权|受托|代理|代[为我办理表签接收谈问去]|替|帮|让|叫|请|托|交给|交由|由|全权|做主|作主|出面|关系|系|是|为|"
                        r"即|找|跟你们|和你们|与你们|同你们|与贵|跟贵|联系|对接|协商|商量|谈|处理|办|签|负责|经手|打理|管|:|\(|"
                        r"身份证|电话|手机|姓名|住址|"
                        # how long they have known each other: "我们两家屋挨屋住了三十年", "认识二十多年"
                        r"认识|相识|从小|多年|(?:住|处|交|干|做|共事)了[^。\n]{0,4}年")
_CALLED_AT = re.compile(r"(?:催收|催债|讨债|他们|你们的人|天天|到处|乱|一直|老是|总是)[^。\n,;]{0,4}打[^。\n,;]{0,10}$")
_CALLED_NUMBER = re.compile(r"[^。\n,;]{0,14}?电话")


def _about_agent(folded: str, start: int, end: int) -> bool:
    """The kin word at [start, end) is in a sentence that can say who the agent is to the principal."""
    left = max((m.end() for m in _SENTENCE_END.finditer(folded, max(0, start - 80), start)), default=max(0, start - 80))
    right = _SENTENCE_END.search(folded, end)
    sentence = folded[left:right.start() if right else len(folded)]
    if _CALLED_AT.search(folded, left, start) and _CALLED_NUMBER.match(folded, end):
        return False        # "催收就打我娘家兄弟和我儿子单位的电话": the people called (not "有事打我老表电话")
    return _AGENT_CUE.search(sentence) is not None


def _under_family_section(folded: str, line_start: int) -> bool:
    """The line is in a form's family or contact section: that section's header is among the two lines above it."""
    above = folded.rfind("\n", 0, max(0, line_start - 1))
    above = folded.rfind("\n", 0, max(0, above)) + 1 if above > 0 else 0
    return _FAMILY_SECTION.search(folded, above, line_start) is not None


def _agent(folded: str) -> tuple[int, int] | None:
    return _span(_first((_AGENT_LABEL, _AGENT_PROSE, _AGENT_KIN, _AGENT_NAMED, _AGENT_ROLE_NAMED, _AGENT_OFFICER,
                         _AGENT_DEAL_WITH, _AGENT_DOTTED), folded)
                 or _AGENT_KIN_NAMED.search(folded)
                 or _AGENT_STAFF_NAMED.search(folded)
                 or (_AGENT_INTRODUCED.search(folded) if _ASKS_HIM.search(folded) else None)
                 or (_paired(folded) if _GRANTS_HIM.search(folded) else None)
                 or _AGENT_OPENS_LINE.search(folded)) \
        or _under_header(folded, _AGENT_HEADER) or _agent_addressed(folded)


# A letter written to the agent: "赵丽娟老师：…想委托您帮我办这件事" (the salutation names who is asked to act)
_SALUTATION = re.compile(rf"^\s*(?:尊敬的|亲爱的)?(?![{_NOT_A_NAME}])[{_CJK}]{{1,3}}?"
                         r"(?:老师|先生|女士|同志|师傅|阿姨|叔叔|大姐|大哥|姐|哥)\s*[:]\s*$"
                         # a note that opens with the friend's name alone: "红梅"
                         rf"|^\s*(?![{_NOT_A_NAME}授申证])[{_CJK}]{{2,3}}(?<![书函条明])\s*[:]?\s*$", re.M)
_ASKS_YOU = re.compile(r"(?<![受已])(?:委托|授权|托|麻烦|拜托)(?:给)?(?:您|你)(?!们)")


def _paired(folded: str) -> re.Match[str] | None:
    m = _AGENT_PAIRED.search(folded)
    return None if m is None else re.compile(re.escape(m.group(1))).search(folded, m.start(1))


def _agent_addressed(folded: str) -> tuple[int, int] | None:
    head = [(s, ln) for s, ln in _lines(folded) if ln.strip()][:3]
    for start, ln in head:
        m = _SALUTATION.match(ln)
        if m is not None and _ASKS_YOU.search(folded, start + m.end()):
            return start + len(ln) - len(ln.lstrip()), start + len(ln.rstrip().rstrip(":").rstrip())
    return None


# A form in sections: a header line "【受托人】" and under it "姓  名：王梓萱"
_AGENT_HEADER = re.compile(r"^\s*[【\[(]?\s*(?:受托人|被委托人|代理人|被授权人)(?:信息)?\s*[】\])]?\s*[:]?\s*$", re.M)
_PRINCIPAL_HEADER = re.compile(r"^\s*[【\[(]?\s*(?:委托人|授权人)(?:信息)?\s*[】\])]?\s*[:]?\s*$", re.M)
_NAME_FIELD = re.compile(rf"^\s*姓\s*名\s*[:]\s*[{_CJK}]{{2,4}}", re.M)


def _under_header(folded: str, header: re.Pattern[str]) -> tuple[int, int] | None:
    h = header.search(folded)
    if h is None:
        return None
    below = "\n".join(folded[h.end():].split("\n")[:4])
    m = _NAME_FIELD.search(below)
    return (h.end() + m.start(), h.end() + m.end()) if m else None


def _licence_span(folded: str) -> tuple[int, int] | None:
    lic = find_licence(folded)
    return (lic.start, lic.end) if lic is not None and lic.number else None


def _span(m: re.Match[str] | None) -> tuple[int, int] | None:
    return (m.start(), m.end()) if m is not None else None


_WRAP_END = re.compile(r"[。！？；：:!?;）)」”]$")


def unwrapped(doc: ReadDocument) -> tuple[str, list[int]]:
    """The text with the line breaks a photo or scan put inside a sentence taken out ("我堂哥田家" / "旺（身份证…"),
    and for every character its offset in doc.text. A break is a wrap when its line is a long one reaching the
    right edge of the text on its page and does not end in punctuation. Typed text is returned as it is."""
    text = doc.text
    if not doc.ocr:
        return text, list(range(len(text) + 1))
    right: dict[int, float] = {}
    for ln in doc.lines:
        if ln.bbox is not None:
            right[ln.page] = max(right.get(ln.page, 0.0), ln.bbox[2])
    starts = doc.starts
    wraps = set()
    for i, (ln, nxt) in enumerate(zip(doc.lines, doc.lines[1:])):
        if (ln.bbox is not None and nxt.page == ln.page and len(ln.text.strip()) >= 15 and nxt.text.strip()
                and not _WRAP_END.search(ln.text.rstrip()) and ln.bbox[2] >= 0.9 * right[ln.page]):
            wraps.add(starts[i] + len(ln.text))
    index = [i for i in range(len(text)) if i not in wraps]
    return "".join(text[i] for i in index), index + [len(text)]


def sentence_of(doc: ReadDocument, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` in doc.text (offsets in doc.text), read across the line breaks a photo or scan put
    inside it (unwrapped): "委托我男人韦国强（身" / "份证…）代我去…" is one sentence."""
    joined, index = unwrapped(doc)
    j = bisect.bisect_left(index, pos)
    while j < len(joined) - 1 and joined[j] == "\n":
        j += 1          # a paragraph break kept in the joined text maps to the offset of the line after it
    left, right = clause_bounds(joined, j, j, "。\n")
    return index[left], (index[right - 1] + 1) if right > left else index[left]
