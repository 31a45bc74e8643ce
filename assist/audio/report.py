"""HTML reports of reviewed calls: one page per call with an audio player that jumps to each piece of evidence and to
each turn, and a batch page. One offline file each; every text from the call is escaped (masked text only)."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

LEVEL = {"low": ("#2e7d32", "低"), "medium": ("#ef6c00", "中"), "high": ("#c62828", "高")}
CATEGORY_ZH = {"intermediary": "疑似第三方代理", "coached": "疑似受人指导", "victim": "可能是代理受害者", "none": "未见异常"}
SPEAKER = {"caller": "来电人", "agent": "坐席"}
CSS = """body{font-family:"Noto Sans CJK SC",sans-serif;max-width:980px;margin:1em auto;color:#222}
.badge{display:inline-block;padding:4px 10px;border-radius:6px;color:#fff;font-weight:600}
.warn{background:#fff3e0;border-left:4px solid #ef6c00;padding:4px 8px;margin:4px 0}
.turn{margin:4px 0;padding:4px;border-radius:4px}.turn.caller{background:#f5f5f5}
mark{background:#ffcdd2}button.jump{font-size:12px;margin-right:6px;cursor:pointer}
audio{width:100%;position:sticky;top:0;background:#fff}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px}
.note{color:#666;font-size:12px}"""
JS = """document.addEventListener('click',function(e){var b=e.target.closest('[data-t]');if(!b)return;
var a=document.getElementById('player');a.currentTime=parseFloat(b.dataset.t);a.play().catch(function(){});});"""


def clock(seconds: float) -> str:
    m, s = divmod(max(0.0, seconds), 60)
    h, m = divmod(int(m), 60)
    return (f"{h}:" if h else "") + f"{m:02d}:{s:04.1f}"


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _turn_html(t: dict[str, Any], marks: list[dict[str, Any]]) -> str:
    text, pos, parts = t["text"], 0, []
    for e in sorted(marks, key=lambda e: e["start"]):
        if e["start"] >= pos:
            parts.append(_e(text[pos:e["start"]]))
            parts.append(f"<mark title='{_e(e['signal_id'])} {_e(e['signal_name'])}'>{_e(text[e['start']:e['end']])}</mark>")
            pos = e["end"]
    parts.append(_e(text[pos:]))
    cut = " <span class='note'>（未说完）</span>" if t.get("partial") else ""
    return (f"<div class='turn {_e(t['speaker'])}'><button class='jump' data-t='{t['start']}'>▶ {clock(t['start'])}"
            f"</button><b>{SPEAKER.get(t['speaker'], t['speaker'])}：</b>{''.join(parts)}{cut}</div>")


def call_html(d: dict[str, Any], audio: Path, page_dir: Path) -> str:
    """The report of one call (CallReview.to_dict()); the player loads ``audio`` by a path relative to the page."""
    r = d["risk"]
    colour, zh = LEVEL[r["level"]]
    src = os.path.relpath(audio.resolve(), page_dir.resolve())
    warnings = "".join(f"<div class='warn'>{_e(w)}</div>" for w in d["warnings"] + d["notes"])
    evidence = "".join(
        f"<li><button class='jump' data-t='{e.get('audio_start', 0)}'>▶ {clock(e.get('audio_start', 0))}</button>"
        f"{_e(e['signal_id'])} {_e(e['signal_name'])}（{'规则' if e['layer'] == 'rule' else '语义'}）："
        f"“{_e(e['quote'])}”</li>" for e in r["evidence"]) or "<li>无</li>"
    marks: dict[int, list[dict[str, Any]]] = {}
    for e in r["evidence"]:
        marks.setdefault(e["turn_index"], []).append(e)
    turns = "".join(_turn_html(t, marks.get(t["index"], [])) for t in d["turns"]) or "<p>没有转写内容。</p>"
    scripts = ""
    if d["steps"]:
        last = d["steps"][-1]
        scripts = "".join(f"<li><b>{_e(s['title'])}</b>：{_e(s['text'])}</li>" for s in last["suggestions"])
        scripts = f"<h2>建议话术（最后一轮来电后）</h2><ol>{scripts or '<li>' + _e(last['message']) + '</li>'}</ol>"
        acts = "".join(f"<li>{_e(a['label'])}</li>" for a in last["actions"])
        scripts += f"<h2>下一步</h2><ul>{acts}</ul>" if acts else ""
    voice = ""
    if d["voice_sighting"]:
        v = d["voice_sighting"]
        voice = (f"<h2>声纹比对</h2><p>此声音在 {v['window_days']} 天内为另外 {v['other_borrowers']} 位借款人来电"
                 f"（最高相似度 {v['best_similarity']}，阈值 {v['threshold']}）。{_e(v['note'])}</p>")
    probs = " · ".join(f"{CATEGORY_ZH[k]} {v:.0%}" for k, v in r["probabilities"].items() if k in CATEGORY_ZH)
    a = d["audio"]
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>通话复核 {_e(d['name'])}</title>
<style>{CSS}</style></head><body>
<h1>通话复核：{_e(d['name'])}</h1>
<p class="note">{_e(a['codec'])}，{a['sample_rate']} Hz，{a['channels']} 声道，{clock(d['decoded_seconds'])}；识别引擎 {_e(d['engine'])}。
内部参考，不得据此拒绝服务或投诉，也不要告知客户；转写有识别错误，请以录音为准。</p>
{warnings}
<audio id="player" controls preload="metadata" src="{_e(src)}"></audio>
<h2><span class="badge" style="background:{colour}">风险 {zh}</span> {CATEGORY_ZH[r['category']]}</h2>
<p class="note">{_e(probs)}</p>
<h2>证据（点击跳到录音位置）</h2><ul>{evidence}</ul>
{voice}{scripts}
<h2>转写</h2>{turns}
<script>{JS}</script></body></html>"""


def batch_html(report: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><a href='{_e(c['report'])}'>{_e(c['name'])}</a></td><td>{clock(c['duration'])}</td><td>{c['turns']}</td>"
        f"<td><span class='badge' style='background:{LEVEL[c['level']][0]}'>{LEVEL[c['level']][1]}</span></td>"
        f"<td>{CATEGORY_ZH[c['category']]}</td><td>{c['evidence']}</td><td>{_e('；'.join(c['warnings']))}</td></tr>"
        for c in sorted(report["calls"], key=lambda c: ("high", "medium", "low").index(c["level"])))
    errors = "".join(f"<li>{_e(e['file'])}：{_e(e['error'])}</li>" for e in report["errors"])
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>通话批量复核</title>
<style>{CSS}</style></head><body><h1>通话批量复核</h1>
<p>{len(report['calls'])} 通录音已复核，{len(report['errors'])} 个文件无法读取。内部参考，不得据此拒绝服务或投诉。</p>
<table><tr><th>录音</th><th>时长</th><th>轮次</th><th>风险</th><th>类别</th><th>证据</th><th>提示</th></tr>{rows}</table>
{'<h2>无法读取</h2><ul>' + errors + '</ul>' if errors else ''}</body></html>"""
