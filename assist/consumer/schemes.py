"""The scam taxonomy of the consumer side: the schemes a consumer meets, each with the patterns that show it, what to
do now, the official channels to turn to and the education article that explains it.

The first seven are the lender-related schemes the check started with (their patterns are unchanged, so that their
numbers are); the other six are the schemes of the public TeleAntiFraud dialogues (../shared/benchmarks/teleantifraud),
whose "bank" and "customer service" types are one scheme here (fake_customer_service; impersonating a bank is
recognised by the learned layer, the rules keep the lender-side patterns). ``benchmark_types`` maps that set's labels
onto our ids; nothing else reads it.

Patterns run on the normalised text (NFKC, lower case, simplified) of what the other party said and of the
consumer's own account (assist.consumer.reading), never on the consumer's denials. *core* patterns are the act
that makes the scheme (asking for a fee to negotiate debts, a "bank" saying the account is frozen, a prize that
needs a fee first); *support* patterns are money, pressure, secrecy. A verdict from the rules needs a core flag and,
for most schemes, one more distinct flag."""

from __future__ import annotations

from dataclasses import dataclass

_MONEY = r"(交|付|转|打|给)了?.{0,4}\d{3,}|\d{3,}(块|元|的)|[一二三四五六七八九两几]?[千万]块?"
_TRANSFER = r"(转账|汇款|打款|转到|转入|打到|存到|存入|转给|打给)"


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str                         # how an answer names it
    core: tuple[str, ...]
    support: tuple[str, ...]
    actions: tuple[str, ...]          # what to do now, most urgent first
    channels: tuple[str, ...]         # keys of assist.core.channels.OFFICIAL_CHANNELS, most fitting first
    article: str                      # id of the consumer education article that explains it
    query: str                        # what to search the consumer knowledge for when the message itself is long
    needed: int = 2                   # distinct flags needed (at least one of them core)
    benchmark_types: tuple[str, ...] = ()


SCHEMES: tuple[Scheme, ...] = (
    Scheme("paid_debt_relief", "收费“债务优化/停息挂账/代理协商”",
           (r"停息挂[账帐]", r"债务(优化|重组|规划)", r"上岸", r"反催收", r"代理协商|(帮|替)我?.{0,6}(跟|和|与|找).{0,10}(谈|协商)",
            r"协商还款.{0,6}(公司|团队|机构|中心)", r"(只|仅)还本金|减免.{0,4}(罚息|利息|违约金)", r"全权委托",
            r"(银行|平台|催收|网贷|贷款).{0,6}(电话|催收).{0,4}(都)?(别|不要|不用)接|代接.{0,4}(电话|催收)",
            r"(先别还|不要还|停止还款|停(了|掉)?.{0,6}还款|还款都停)"),
           (_MONEY, r"(服务|协商|会员|咨询|方案|会)费", r"包(过|成功)|不成功不收费|成功后再收费", r"内部(渠道|关系)",
            r"私信|评估|导师|团队|联盟", r"(逾期|欠款|网贷|信用卡|催收|债)"),
           ("不要再向对方付款，保留聊天记录、合同和付款凭证", "和贷款机构直接协商还款是免费的，不需要任何中介",
            "已付款的可向当地12345或12315反映退费，涉嫌诈骗请拨打110"),
           ("12378", "12345", "110"), "edu-tingxi-guazhang-pitch", "停息挂账 代理协商 收费 骗局"),
    Scheme("fake_credit_repair", "假“征信修复/洗白”",
           (r"征信(修复|洗白|清除|修改|优化|修)", r"(删除|消除|抹掉|清除|撤销|洗掉|消掉|去掉|处理掉?|改好|修好|修掉)"
            r".{0,8}(逾期|不良|征信|记录|呆账|查询)|(逾期|不良|征信|记录|呆账|查询).{0,10}(删除|消除|抹掉|清除|撤销|洗掉|消掉|去掉|改好|看不到)",
            r"(修复|洗白).{0,4}(费|钱)", r"(内部|关系|渠道|认识人|银行的人).{0,8}(删|消|改|去掉|处理)"),
           (_MONEY, r"(征信|信用报告|逾期记录|黑名单|呆账)", r"按条收费|先付后做|一条.{0,4}(收|要)", r"内部|关系|认识人|银行的人"),
           ("真实的逾期记录任何人都删不掉，不良信息自不良行为结束起保存5年", "记录有错可以免费提出征信异议，征信问题可拨打12363"),
           ("12363", "110"), "edu-credit-repair-scam", "征信修复 洗白 删除逾期记录 骗局"),
    Scheme("fake_customer_service", "冒充银行或客服（账户异常冻结、注销校园贷、退款理赔）",
           (r"注销(校园贷|账户|账号|学生|会员)", r"(屏幕共享|共享屏幕|会议软件|远程(控制|协助))",
            r"(退款|理赔|降息|退息|提额|关闭|取消|清零|降额).{0,12}(操作|转账|借出|清空|配合|流程)",
            r"(利率|利息).{0,6}(超过|超出|不合规).{0,6}(国家|规定)", r"按.{0,3}(他|她|对方)说的.{0,6}(操作|点)",
            r"在(借呗|微粒贷|花呗|白条|网贷|贷款).{0,8}(借出|借钱|贷出)", r"额度.{0,4}清零"),
           (r"(影响|消除|上|关联).{0,4}征信", r"(自称|冒充|说是|他是).{0,8}(客服|工作人员|专员|会员中心)", r"(客服|专员|工作人员)",
            r"(支付宝|微信|网银|app).{0,8}(操作|转)", r"报出.{0,6}(名字|姓名|身份证)", _MONEY),
           ("立即挂断，不要共享屏幕、不要转账，不要说出验证码和密码", "自己拨打银行或贷款机构官方客服电话核实，不回拨对方给的号码",
            "已转账的请马上拨打110报警，可拨打96110咨询"),
           ("110", "96110", "国家反诈中心"), "edu-fake-customer-service", "冒充银行客服 账户异常 冻结 注销校园贷",
           benchmark_types=("银行诈骗", "客服诈骗")),
    Scheme("loan_fee", "贷款前收费（手续费、保证金、解冻费）",
           (r"(手续费|保证金|解冻费|验资|刷流水|包装资质|工本费|激活费|认证费|银行流水费)",
            r"先(交|付|转|存).{0,8}(才能|再)?(放款|下款|到账|解冻)", r"(存入|转入).{0,12}(证明|验证).{0,6}(还款能力|资质)",
            r"(放款|贷款|额度).{0,10}(冻结|解冻)"),
           (r"(放款|下款|贷款|借款|额度|到账|审批)", _MONEY, r"会员费|服务费"),
           ("正规持牌机构放款前不会收取任何费用", "不要再转钱，保留证据，拨打110报警或96110咨询"),
           ("110", "96110"), "edu-loan-fee-scam", "贷款前收费 保证金 解冻费 骗局"),
    Scheme("credentials_request", "索要验证码、手机卡、身份证或银行卡",
           (r"(验证码|短信码|动态码|校验码).{0,10}(发给|告诉|报给|念|给他|给她|给对方|截图|转发)|(要|索要|让我(提供|发|报|说|念)).{0,8}(验证码|短信码|动态码)",
            r"(接收|收|代收)验证码", r"(手机卡|电话卡|sim卡|银行卡|u盾).{0,8}(寄|给|交|邮|借|卖|租)|(收|买|租|借)(银行卡|电话卡|手机卡)",
            r"(身份证|银行卡).{0,6}(照片|原件|正反面).{0,6}(寄|发给|交给|拍给)", r"(让我|要求|配合|帮他|帮她).{0,8}(刷脸|人脸)",
            r"(填|输入|提供|输).{0,14}(验证码|密码)"),
           (r"验证码|密码|身份证|银行卡", _MONEY),
           ("任何人索要验证码都不要给；已经给出的，马上联系银行和贷款机构冻结、改密", "手机卡在别人手里的，尽快到营业厅挂失补卡，并报警"),
           ("110", "96110", "12321"), "edu-sim-verification-codes", "验证码 手机卡 身份证 不能给别人", needed=1),
    Scheme("safe_account", "“安全账户”转账",
           (r"安全账户", r"(转|打|存)(到|入|进).{0,6}(指定|安全|监管|核查|清查|验证)(的)?账户", r"资金(核查|清查|异常|监管)|异常资金",
            r"(指定|监管|核查|清查)账户"),
           (_MONEY, r"冻结|涉嫌|洗钱|公安|警察|检察"),
           ("公安、银行都没有“安全账户”，这是诈骗", "不要转账；已转账的马上拨打110"),
           ("110", "96110"), "edu-fake-customer-service", "安全账户 转账 冒充公安 诈骗", needed=1),
    Scheme("proxy_surrender", "代理退保",
           (r"(代理|全额|代办)退保", r"退保.{0,6}(全额|代办|协助)", r"(帮|能).{0,8}全额退", r"退下来的钱",
            ),
           (r"(分|抽|给).{0,4}(一半|佣金|提成|\d+%|成)", r"理财|年化", _MONEY),
           ("代理退保可能让您失去保障、还要付高额佣金，退保请直接联系保险公司", "保险消费投诉可拨打12378"),
           ("12378", "110"), "edu-proxy-surrender-insurance", "代理退保 全额退保 佣金", needed=1),
    # -- the schemes of the public TeleAntiFraud set ----------------------------------------------------------------
    Scheme("identity_theft", "盗取身份信息（冒称核实身份、报出您的信息、说身份被冒用）",
           (r"(身份|身份证|个人信息|名义).{0,6}(被盗用|被冒用|被人冒用|被盗|被人盗用|被人拿去|被人用)",
            r"(冒用|盗用|借用).{0,6}(你|您|我)的?(身份|名义|身份证)",
            r"(核实|验证|确认|登记|更新|完善|核对)(一下)?(你|您)?的?.{0,6}(身份证号码?|身份信息|个人信息|出生日期|家庭住址|社保号)",
            r"(提供|告诉|报|说出|念)(一下)?(你|您)?的?(全名|姓名)?(和|、)?(身份证号码?|出生日期|家庭住址|社保号码?|身份信息)",
            r"(办了|开了|申请了).{0,8}(信用卡|贷款|银行卡|电话卡).{0,10}(不是你|你不知道|你本人不知道|冒用)"),
           (r"(客服|银行|公安|警官|工作人员|经理|专员)", r"(冻结|涉嫌|违法|风险|异常|注销|失效)", r"(身份证|银行卡|住址|出生日期|社保)",
            r"(马上|立即|尽快|今天|否则|不然)"),
           ("不要向来电的人说出身份证号、银行卡号、住址、出生日期；对方报得出您的信息，也不代表他是真银行或真警察",
            "担心身份被冒用：自己在官方App或到网点查名下账户，查一份个人信用报告看有没有陌生贷款",
            "已经说出了信息：马上联系开户银行挂失、改密，拨打110报警"),
           ("110", "96110", "12363"), "edu-identity-theft", "身份信息 身份证号 冒用 核实身份 诈骗",
           benchmark_types=("身份盗窃",)),
    Scheme("phishing", "钓鱼链接、假网站、假App",
           (r"(点击|点开|打开|登录|登陆|访问|进入|点)(一下)?(这个|以下|下面|短信里的|我发的|我们发的)?.{0,6}(链接|网址|网站|网页|页面)",
            r"(https?|hxxps?)[:：]|www\.|[a-z0-9-]+\.(com|cn|top|xyz|net|vip|cc)\b",
            r"(扫|扫描|识别)(一下)?.{0,4}二维码", r"(下载|安装).{0,10}(app|软件|客户端|apk|安装包)",
            r"(官网|网站|页面|链接|app).{0,10}(填写?|输入|提交|登记|绑定).{0,8}(银行卡|卡号|密码|验证码|身份证|个人信息)"),
           (r"(填写?|输入|提交|登记|绑定).{0,8}(银行卡|卡号|密码|验证码|身份证|个人信息)",
            r"(积分|兑换|清零|退款|领取|补贴|认证|升级|过期|失效|到期|激活)",
            r"(短信|邮件|消息|通知)", r"(马上|立即|尽快|今天|24小时|否则|不然)", _TRANSFER),
           ("不要点短信、邮件、聊天里的链接，不扫来历不明的二维码，只从官方应用商店下载App",
            "已经在陌生页面填了卡号、密码或验证码：马上联系银行冻结、改密，并拨打110报警",
            "可疑短信可转发举报到12321"),
           ("12321", "96110", "110"), "edu-phishing-links", "钓鱼链接 假网站 短信链接 填写银行卡 诈骗",
           benchmark_types=("钓鱼诈骗",)),
    Scheme("parcel_claim", "快递丢件理赔、包裹违禁",
           (r"(快递|包裹|邮件|邮包|货物|件).{0,8}(丢失|丢了|遗失|破损|损坏|被扣|扣押|违禁|异常|滞留|无法派送|退回|查出)",
            r"(快递|包裹|物流|邮件|订单).{0,10}(理赔|赔偿|赔付|退款|补偿)", r"(海关|邮政|快递).{0,8}(扣|查|违禁|罚|关税|缉私)",
            r"(理赔|赔付)(专员|客服|中心)"),
           (r"(理赔|赔偿|退款|双倍|三倍|赔付)", r"(加|添加).{0,4}(微信|qq|好友)", _MONEY,
            r"(链接|下载|二维码|验证码|银行卡|支付宝|备用金|借呗|花呗|共享屏幕)", r"(快递|包裹|物流|单号)"),
           ("挂断，自己打快递公司的官方客服或在官方App里查件核实", "快递理赔不需要您借钱、开通备用金、共享屏幕或先转钱",
            "已经转账的马上拨打110报警；快递服务纠纷可向12305申诉"),
           ("110", "12305", "96110"), "edu-parcel-claim-scam", "快递丢失 理赔 诈骗 包裹",
           benchmark_types=("邮件诈骗",)),
    Scheme("investment", "投资理财“带单、荐股、稳赚”",
           (r"(投资|理财|炒股|炒币|虚拟币|数字货币|比特币|期货|外汇|黄金|基金|股票|原始股|项目).{0,12}(高收益|高回报|稳赚|保本|翻倍|收益率|年化|回报率|内幕|带单|收益)",
            r"(老师|导师|专家|分析师|群主|大师|助理).{0,10}(带单|荐股|喊单|带.{0,6}(炒股|炒币|投资|理财|操作|赚钱)|推荐.{0,6}(股票|项目|平台|币))",
            r"(荐股|带单|喊单|内幕消息|稳赚不赔|保本保息|包赚|只赚不赔|稳赚|零风险)", r"(投资|理财|炒股|交易)(平台|群|app|软件|网站)"),
           (_MONEY, r"(充值|入金|加仓|提现|手续费|保证金|会员|解冻)", r"(群|微信|app|平台|网站|直播间)", r"(机会|名额|限时|错过)"),
           ("“稳赚不赔、老师带单、内幕消息”都是骗局的标志，不要在陌生平台充值", "已充值的保留转账和聊天记录，马上拨打110报警",
            "证券期货问题可拨打12386，查机构是否持牌再投资"),
           ("110", "12386", "96110"), "edu-investment-scam", "投资理财 荐股 带单 稳赚 诈骗",
           benchmark_types=("投资诈骗",)),
    Scheme("lottery", "中奖、领奖先交费",
           (r"(中奖|中了|获奖|抽中|幸运(用户|客户|观众|儿|星)|大奖|一等奖|二等奖|特等奖)",
            r"(领奖|兑奖|奖金|奖品).{0,12}(手续费|税|保证金|公证费|邮费|运费|先交|先付|激活)"),
           (r"(手续费|所得税|税费|公证费|保证金|运费|邮费|激活费)", _MONEY, r"(节目|活动|抽奖|周年|庆典|幸运)",
            r"(银行卡|账户|卡号|身份证)", r"(奖金|奖品|现金|汽车|手机|电脑)"),
           ("没参加的抽奖不会中奖；真正的领奖不用先交手续费、税费或保证金", "不要转账、不要提供银行卡号和验证码；已转账的拨打110"),
           ("110", "96110", "12315"), "edu-prize-scam", "中奖 领奖 手续费 诈骗",
           benchmark_types=("彩票诈骗",)),
    Scheme("kidnapping", "绑架、家人出事要钱",
           (r"(你|您)的?(儿子|女儿|孩子|小孩|老公|老婆|丈夫|妻子|爸|妈|父亲|母亲|家人|亲人).{0,12}(在我(们)?(手上|手里|这)|被(绑|扣|抓|关)|出事|出了事|出车祸|住院|被打|打伤|欠了)",
            r"(绑架|绑了|赎金|撕票)",
            r"(不许|不准|别|不要|敢)(报警|告诉(别人|任何人)|挂电话)"),
           (_MONEY, r"(马上|立刻|立即|半小时|一个小时|今天之内|尽快)", _TRANSFER, r"(后果|见不到|安全|性命|危险|手术费|医药费|保证金)"),
           ("保持冷静，先挂断，马上用自己存的号码打给家人，或打给学校、单位核实", "立即拨打110报警，不要转账"),
           ("110",), "edu-kidnap-threat", "绑架 家人出事 要钱 诈骗 报警",
           benchmark_types=("绑架诈骗",)),
)

BY_ID: dict[str, Scheme] = {s.id: s for s in SCHEMES}
SCHEME_IDS: tuple[str, ...] = tuple(s.id for s in SCHEMES)
LENDER_SCHEMES: tuple[str, ...] = SCHEME_IDS[:7]        # the schemes the check started with
# The TeleAntiFraud set's fraud types as our scheme ids.
BENCHMARK_SCHEME: dict[str, str] = {t: s.id for s in SCHEMES for t in s.benchmark_types}
# The schemes the scam model's naming head chooses among (one choice, not one yes/no each) in a pasted call.
NAMED_BY_HEAD: tuple[str, ...] = tuple(dict.fromkeys(BENCHMARK_SCHEME.values()))
