"""The folder report: one self-contained HTML page (inline CSS and SVG, no scripts, no external assets, every text
escaped) and results.json. Written to temporary names and renamed, so a reader never sees half a report."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path

from assist.core.files import atomic_write_text
from assist.review.similarity import fingerprint, shared_passages
from assist.review.types import KIND_ZH, SEVERITY_ZH, BatchItem, BatchReport, Cluster

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top}
th{background:#f5f5f5}mark{background:#ffe082}.sev-high{color:#c62828;font-weight:600}.sev-warn{color:#ef6c00}
.sev-info{color:#555}.text{white-space:pre-wrap;font-size:13px;background:#fafafa;border:1px solid #eee;padding:8px}
.note{font-size:12px;color:#666}details{margin:6px 0}
"""


def write_report(report: BatchReport, out_dir: Path) -> None:
    """Write report.html and results.json into ``out_dir`` and record their paths on the report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out_dir / "report.html", out_dir / "results.json"
    report.html_path, report.json_path = str(html_path), str(json_path)
    atomic_write_text(html_path, render_html(report))
    atomic_write_text(json_path, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, with the (start, end) spans wrapped in <mark>."""
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            s = pos
        if e <= s:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def _timeline_svg(items: list[BatchItem]) -> str:
    """Members as dots on a date axis (one row), with their dates and names in tooltips."""
    days = [dt.date.fromisoformat(i.date) for i in items]
    lo, hi = min(days), max(days)
    span = max((hi - lo).days, 1)
    width, pad = 640, 20
    dots = []
    for item, d in zip(items, days):
        x = pad + (width - 2 * pad) * (d - lo).days / span
        dots.append(f'<circle cx="{x:.1f}" cy="20" r="5" fill="#c62828" fill-opacity="0.6">'
                    f"<title>{escape(item.date)} {escape(item.path)}</title></circle>")
    return (f'<svg width="{width}" height="44" role="img">'
            f'<line x1="{pad}" y1="20" x2="{width - pad}" y2="20" stroke="#999"/>{"".join(dots)}'
            f'<text x="{pad}" y="40" font-size="11">{escape(lo.isoformat())}</text>'
            f'<text x="{width - pad}" y="40" font-size="11" text-anchor="end">{escape(hi.isoformat())}</text></svg>')


def _cluster_html(cluster: Cluster, items: dict[str, BatchItem], links: dict[frozenset[str], dict[str, float]]) -> str:
    members = [items[p] for p in cluster.members]
    first = members[0]
    fp_first = fingerprint(first.result.masked_text)
    rows = []
    for m in members:
        link = links.get(frozenset((first.path, m.path)))
        sim = f"{link['jaccard']:.2f} / {link['containment']:.0%}" if link else ("—" if m is first else "经其他成员相连")
        src = "信中日期" if m.date_source == "letter" else "文件时间"
        rows.append(f"<tr><td>{escape(m.date)}（{src}）</td><td>{escape(m.path)}</td>"
                    f"<td>{escape(KIND_ZH[m.result.kind])}</td><td>{escape(sim)}</td></tr>")
    texts = []
    for m in members:
        other = members[1] if m is first else first
        fp_m = fingerprint(m.result.masked_text)
        fp_o = fp_first if other is first else fingerprint(other.result.masked_text)
        spans = [(p.start, p.end) for p in shared_passages(fp_m, fp_o, m.result.masked_text, limit=200)]
        texts.append(f"<details><summary>{escape(m.path)}（与 {escape(other.path)} 相同的段落已标出）</summary>"
                     f"<div class='text'>{highlighted(m.result.masked_text, spans)}</div></details>")
    shared = "".join(f"<li>{escape(p)}</li>" for p in cluster.passages)
    kinds = "、".join(sorted({KIND_ZH[m.result.kind] for m in members}))
    return (f"<h3 id='{escape(cluster.cluster_id)}'>雷同簇 {escape(cluster.cluster_id)}：{len(members)} 份（{escape(kinds)}）</h3>"
            f"{_timeline_svg(members)}"
            "<table><tr><th>日期</th><th>文件</th><th>类型</th><th>与首份的Jaccard / 覆盖率</th></tr>"
            f"{''.join(rows)}</table><p>共同段落（节选）：</p><ul>{shared}</ul>{''.join(texts)}")


def _findings_html(item: BatchItem) -> str:
    r = item.result
    rows = []
    for f in r.findings:
        where = f"第{f.page}页第{f.line}行" if f.line is not None else "—"
        rows.append(f"<tr><td class='sev-{escape(f.severity)}'>{escape(SEVERITY_ZH[f.severity])}</td>"
                    f"<td>{escape(f.message)}</td><td>{escape(f.quote)}</td><td>{escape(where)}</td></tr>")
    table = ("<table><tr><th>级别</th><th>发现</th><th>原文</th><th>位置</th></tr>" + "".join(rows) + "</table>"
             if rows else "<p class='note'>没有发现需要提示的内容。</p>")
    cluster = f"，雷同簇 <a href='#{escape(item.cluster_id)}'>{escape(item.cluster_id)}</a>" if item.cluster_id else ""
    ocr = f"，OCR 置信度 {r.ocr_confidence:.2f}" if r.ocr_confidence is not None else ""
    return (f"<h3>{escape(item.path)}</h3><p class='note'>{escape(KIND_ZH[r.kind])}，来源 {escape(r.source)}，"
            f"{r.pages} 页 {r.lines} 行{ocr}{cluster}</p>{table}"
            f"<details><summary>全文（已遮盖）</summary><div class='text'>{escape(r.masked_text)}</div></details>")


def render_html(report: BatchReport) -> str:
    """The whole report page."""
    items = {i.path: i for i in report.items}
    links = {frozenset((str(ln["a"]), str(ln["b"]))): ln for ln in report.links}
    clustered = sum(len(c.members) for c in report.clusters)
    summary = "".join(
        f"<tr><td><a href='#{escape(c.cluster_id)}'>{escape(c.cluster_id)}</a></td><td>{len(c.members)}</td>"
        f"<td>{escape(items[c.members[0]].date)} — {escape(items[c.members[-1]].date)}</td>"
        f"<td>{escape('、'.join(sorted({KIND_ZH[items[p].result.kind] for p in c.members})))}</td></tr>"
        for c in report.clusters)
    errors = "".join(f"<li>{escape(e['file'])}：{escape(e['error'])}</li>" for e in report.errors)
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>材料评审报告</title><style>{CSS}</style></head><body>",
        f"<h1>材料评审报告</h1><p class='note'>文件夹：{escape(report.folder)}；生成于 "
        f"{escape(dt.datetime.now().strftime('%Y-%m-%d %H:%M'))}。内部参考：雷同或提示不等于结论，不得据此拒绝受理投诉；"
        "文中身份证号、银行卡号、手机号已遮盖。</p>",
        f"<p>共 {len(report.items)} 份可读材料，{len(report.clusters)} 个雷同簇（涉及 {clustered} 份），"
        f"{len(report.errors)} 份无法读取。</p>",
        "<h2>雷同簇</h2>",
        ("<table><tr><th>簇</th><th>份数</th><th>时间范围</th><th>类型</th></tr>" + summary + "</table>"
         if summary else "<p class='note'>没有发现雷同材料。</p>"),
        *(_cluster_html(c, items, links) for c in report.clusters),
        "<h2>逐份发现</h2>",
        *(_findings_html(i) for i in report.items),
    ]
    if errors:
        parts.append(f"<h2>无法读取的文件</h2><ul>{errors}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
