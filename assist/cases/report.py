"""The case as one self-contained HTML page in Chinese, laid out as a 线索移交 / 报案材料 is usually organised: basic
facts, the suspected conduct, the legal provisions it may touch, the timeline, amounts and fees, the list of exhibits
with their hashes, then each exhibit in full. Every value is escaped; no script, no outside resource."""

from __future__ import annotations

from html import escape
from typing import Any

from assist.cases.gather import shown_time
from assist.cases.types import Actor, CaseFile, Item

ORIGIN_ZH = {"phone": "内部名单命中的电话号码", "name": "内部名单命中的人员姓名", "company": "内部名单命中的机构名称",
             "cluster": "文书评审发现的雷同材料簇", "call": "坐席标注“疑似代理”的来电",
             "voice": "同一声纹出现在多名借款人的来电中（声纹比对，仅供核实参考）"}
KIND_ZH = {"call": "来电记录", "letter": "书面材料", "sighting": "名单或声纹命中"}
SPEAKER_ZH = {"caller": "来电人", "agent": "坐席"}
AMOUNT_ZH = {"fee": "费用", "amount": "金额", "rate": "比例"}

CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 11pt;
       line-height: 1.6; color: #111; max-width: 900px; margin: 0 auto; }
h1 { text-align: center; font-size: 20pt; margin: 8px 0 2px; letter-spacing: 2px; }
.sub { text-align: center; color: #444; margin: 0 0 14px; }
h2 { font-size: 13pt; border-bottom: 1px solid #333; margin: 18px 0 6px; }
h3 { font-size: 11.5pt; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 10pt; }
th, td { border: 1px solid #777; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eee; white-space: nowrap; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
.quote { background: #fff3c4; }
.note { color: #444; font-size: 9.5pt; }
.stamp { border: 2px solid #b00; color: #b00; padding: 2px 8px; display: inline-block; font-weight: bold; }
.exhibit { page-break-inside: auto; border-top: 1px dashed #999; margin-top: 10px; }
"""


def _e(value: Any) -> str:
    return escape(str(value if value is not None else ""))


def _yuan(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f} 元" if v == int(v) else f"{v:,.2f} 元"


def case_html(cf: CaseFile, actor: Actor, made_at: str, exhibit_hashes: dict[str, str]) -> str:
    """The whole package page. ``exhibit_hashes``: exhibit number -> SHA-256 of its file in the package."""
    c = cf.case
    counts = {k: sum(1 for _, i in cf.exhibits if i.kind == k) for k in KIND_ZH}
    fees = [a for a in cf.amounts if a.kind == "fee" and a.yuan is not None]
    version = ("<span class='stamp'>遮盖版</span>" if cf.masked
               else "<span class='stamp'>未遮盖版 · 仅限依法移交有权机关</span>")
    out = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{_e(c.title)}</title>"
           f"<style>{CSS}</style></head><body>",
           "<h1>线索移交材料</h1>",
           f"<p class='sub'>{_e(c.title)}　案件编号 {_e(c.case_id)}　{version}</p>",
           "<h2>一、基本情况</h2><table>",
           f"<tr><th>线索来源</th><td>{_e(ORIGIN_ZH.get(c.origin, c.origin))}：{_e(c.origin_label)}</td></tr>",
           "<tr><th>关联标识</th><td>" + ("；".join(f"{_e(i.label)}（{_e(i.kind)}）" for i in c.identifiers) or "—")
           + "</td></tr>",
           f"<tr><th>涉及借款人</th><td>{cf.borrowers} 名（去重；来电 {cf.borrower_sources.get('call', 0)} 名，"
           f"名单命中另有 {cf.borrower_sources.get('sighting', 0)} 名）</td></tr>",
           f"<tr><th>证据数量</th><td>来电记录 {counts['call']} 通，书面材料 {counts['letter']} 份，"
           f"名单命中 {counts['sighting']} 次</td></tr>",
           f"<tr><th>提及费用</th><td>{len(fees)} 处，合计约 {_yuan(sum(a.yuan or 0 for a in fees))}"
           "（按字面提及汇总，未核实是否实际支付）</td></tr>",
           f"<tr><th>立案</th><td>{_e(c.created_by)}，{_e(shown_time(c.created_at))}</td></tr>",
           f"<tr><th>本材料制作</th><td>{_e(actor.name)}（{_e(actor.role)}），{_e(shown_time(made_at))}</td></tr>",
           "</table>",
           "<h2>二、涉嫌行为概述</h2>"]
    if cf.conduct:
        out.append("<p>根据本机构坐席来电记录、借款人提交的书面材料和内部关联名单，发现以下疑点，现整理移交，请依法核查：</p><ol>")
        out += [f"<li>{_e(x)}</li>" for x in cf.conduct]
        out.append("</ol>")
    else:
        out.append("<p>现有证据尚不足以概括具体行为，以下材料供核查参考。</p>")
    out.append("<p class='note'>以上为根据现有材料整理的疑点，属于线索而非结论。借款人向监管部门投诉、申请个性化分期均属正当权利，"
               "不因本材料受到影响；风险提示为内部辅助判断，不作为拒绝服务的依据。</p>")
    out.append("<h2>三、可能涉及的法律规定</h2>")
    if cf.provisions:
        out.append("<table><tr><th>条文</th><th>内容摘要（知识库原文节选）</th><th>对应疑点</th></tr>")
        for p in cf.provisions:
            out.append(f"<tr><td>{_e(p.citation)}</td><td>{_e(p.excerpt)}</td><td>{_e(p.conduct[:40])}…</td></tr>")
        out.append("</table><p class='note'>条文由本机构知识库检索得出，适用与否由办案机关认定。</p>")
    else:
        out.append("<p>未检索到相关条文。</p>")
    out.append("<h2>四、时间线</h2><table><tr><th>时间</th><th>证据</th><th>事项</th></tr>")
    out += [f"<tr><td>{_e(t.at)}</td><td>{_e(t.exhibit)}</td><td>{_e(t.summary)}</td></tr>" for t in cf.timeline]
    out.append("</table>")
    out.append("<h2>五、涉及金额与费用</h2>")
    if cf.amounts:
        out.append("<table><tr><th>证据</th><th>位置</th><th>类型</th><th>金额</th><th>原文</th></tr>")
        out += [f"<tr><td>{_e(a.exhibit)}</td><td>{_e(a.where)}</td><td>{_e(AMOUNT_ZH[a.kind])}</td>"
                f"<td>{_e(_yuan(a.yuan))}</td><td>{_e(a.text)}</td></tr>" for a in cf.amounts]
        out.append("</table>")
    else:
        out.append("<p>材料中未提及金额。</p>")
    out.append("<h2>六、证据清单</h2><table><tr><th>编号</th><th>类型</th><th>时间</th><th>文件</th><th>SHA-256</th></tr>")
    for ex, it in cf.exhibits:
        out.append(f"<tr><td>{_e(ex)}</td><td>{_e(KIND_ZH[it.kind])}</td><td>{_e(shown_time(it.at))}</td>"
                   f"<td>exhibits/{_e(ex)}.json</td><td class='hash'>{_e(exhibit_hashes.get(ex, ''))}</td></tr>")
    out.append("</table><p class='note'>每份证据文件及整个材料包的 SHA-256 值记录在 manifest.json 中，"
               "并在本机构案件日志中留存；可用 <code>assist case verify 材料包目录</code> 校验是否被改动。</p>")
    out.append("<h2>七、证据详情</h2>")
    for ex, it in cf.exhibits:
        out.append(_exhibit(ex, it))
    out.append("<h2>八、说明</h2><ul class='note'>")
    out += [f"<li>{_e(n)}</li>" for n in cf.notes]
    if cf.masked:
        out.append("<li>本版本已遮盖身份证号、银行卡号、手机号等个人信息，借款人以机构内部假名表示。</li>")
    out.append("<li>本材料依据《中华人民共和国个人信息保护法》为协助有权机关依法履职所必需的范围整理，仅用于本案线索移交。</li>")
    out.append("</ul></body></html>")
    return "".join(out)


def _exhibit(ex: str, it: Item) -> str:
    c = it.content
    head = f"<div class='exhibit'><h3>{_e(ex)}　{_e(KIND_ZH[it.kind])}　{_e(shown_time(it.at))}</h3>"
    if it.kind == "call":
        rows = [f"<p>通话编号 {_e(c['call_id'])}；来电号码 {_e(c['calling_number'] or '未记录')}；借款人假名 "
                f"{_e(c['borrower'])}；坐席 {_e(c['agent'] or '—')}</p>"]
        quoted = {e["turn"] for e in c["evidence"]}
        rows.append("<table><tr><th>轮次</th><th>时间</th><th>说话人</th><th>内容</th></tr>")
        for n, t in enumerate(c["turns"]):
            cls = " class='quote'" if n in quoted else ""
            when = f"{t['time']:.0f} 秒" if isinstance(t.get("time"), (int, float)) else "—"
            rows.append(f"<tr{cls}><td>{n + 1}</td><td>{_e(when)}</td><td>{_e(SPEAKER_ZH.get(t['speaker'], t['speaker']))}"
                        f"</td><td>{_e(t['text'])}</td></tr>")
        rows.append("</table>")
        if c["evidence"]:
            rows.append("<p><b>风险提示摘录</b>（位置为遮盖后文本的字符偏移）：</p><ul>")
            for e in c["evidence"]:
                when = f"，{e['time']:.0f} 秒" if isinstance(e.get("time"), (int, float)) else ""
                rows.append(f"<li>第{e['turn'] + 1}轮{_e(when)}，字符 {e['start']}–{e['end']}：“{_e(e['quote'])}”"
                            f"（{_e(e['signal'])}）</li>")
            rows.append("</ul>")
        acts = "；".join(f"{a['label']}" + (f"（{a['by']}）" if a["by"] else "") for a in c["actions"])
        rows.append(f"<p>坐席处置：{_e(acts or '未记录')}。{'已标注“疑似代理”（内部标签）。' if c['tag'] else ''}</p>")
        return head + "".join(rows) + "</div>"
    if it.kind == "letter":
        rows = [f"<p>{_e(c['kind_zh'])}《{_e(c['file_name'])}》；落款日期 {_e(c['date'] or '—')}；评审时间 "
                f"{_e(shown_time(c['reviewed_at']))}；雷同簇 {_e(c['cluster_id'] or '—')}；文件 SHA-256 "
                f"<span class='hash'>{_e(c['doc_id'])}</span></p>"]
        if c["findings"]:
            rows.append("<ul>")
            for f in c["findings"]:
                where = f"（第{f['line']}行）" if f.get("line") else ""
                quote = f"：“{_e(f['quote'])}”" if f.get("quote") else ""
                rows.append(f"<li>{_e(f['message'])}{_e(where)}{quote}</li>")
            rows.append("</ul>")
        if c["shared_passages"]:
            rows.append("<p><b>与同簇材料共同的段落</b>：</p><ul>")
            rows += [f"<li>与 {_e(p['with'])}：“{_e(p['text'])}”（字符 {p['start']}–{p['end']}）</li>"
                     for p in c["shared_passages"]]
            rows.append("</ul>")
        rows.append(f"<p><b>全文</b>：</p><p style='white-space:pre-wrap'>{_e(c['text'])}</p>")
        return head + "".join(rows) + "</div>"
    return (head + f"<p>标识 {_e(c['identifier'])}（{_e(c['kind'])}）于 {_e(c['seen'])} 出现在借款人 {_e(c['borrower'])} "
            f"的账户上；来源：{_e(c['source'])}。</p></div>")
