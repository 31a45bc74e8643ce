"""report.html: one self-contained, offline page (plots as inline SVG drawn by matplotlib, no scripts, no CDN):
summary with deltas, recall@k curves per audience, risk PR curve, confusion matrix, calibration, per-signal hit
rates, the scam check's per-scheme bars and confusion between schemes, latency histograms, and every failure with
what was expected."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from typing import Any

from assist.evaluation.results import Delta, finite


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    # no metadata block: it carries the time of drawing (identical runs would differ) and matplotlib's web address
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None, "Format": None,
                                                                  "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]          # drop the XML prolog and DOCTYPE: inline SVG in HTML


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")                     # no display; never opens a window
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"     # text stays text (Chinese renders with the reader's fonts)
    plt.rcParams["svg.hashsalt"] = "assist"   # stable ids: identical runs give identical files
    return plt


def _figure(w: float = 5.0, h: float = 3.2) -> tuple[Any, Any]:
    return _plt().subplots(figsize=(w, h))  # type: ignore[no-any-return]


def plot_recall_curve(curves: dict[str, list[float | None]]) -> str:
    fig, ax = _figure()
    for aud, ys in sorted(curves.items()):
        ax.plot(range(1, len(ys) + 1), [y if y is not None else float("nan") for y in ys], marker="o", label=aud)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(title="audience")
    return _svg(fig)


def pr_curve(scores: Sequence[float], positives: Sequence[bool]) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) at every distinct score, highest first; tied scores enter together."""
    pairs = sorted(zip(scores, positives), key=lambda p: -p[0])
    total = sum(positives)
    out, tp, fp, i = [], 0, 0, 0
    while i < len(pairs):
        t = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == t:
            tp += pairs[i][1]
            fp += not pairs[i][1]
            i += 1
        out.append((t, tp / (tp + fp), tp / total if total else 0.0))
    return out


def plot_pr(scores: Sequence[float], positives: Sequence[bool]) -> str:
    pts = pr_curve(scores, positives)
    fig, ax = _figure()
    ax.plot([p[2] for p in pts], [p[1] for p in pts], marker=".", drawstyle="steps-post")
    ax.set_xlabel("recall (intermediary involved)")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    return _svg(fig)


def plot_confusion(labels: list[str], matrix: list[list[int]]) -> str:
    fig, ax = _figure(max(4.2, 0.6 * len(labels) + 1.2), max(3.6, 0.5 * len(labels) + 1.0))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    top = max((v for row in matrix for v in row), default=0)
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
    return _svg(fig)


def calibration_bins(conf: Sequence[float], correct: Sequence[bool], bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean confidence, accuracy, count) per non-empty bin."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo < c <= hi or (b == 0 and c == 0)]
        if idx:
            out.append((sum(conf[i] for i in idx) / len(idx), sum(correct[i] for i in idx) / len(idx), len(idx)))
    return out


def plot_calibration(conf: Sequence[float], correct: Sequence[bool]) -> str:
    pts = calibration_bins(conf, correct)
    fig, ax = _figure(4.2, 3.6)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label="model")
    for x, y, n in pts:
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("confidence (top probability)")
    ax.set_ylabel("accuracy")
    ax.legend()
    ax.grid(alpha=0.3)
    return _svg(fig)


def plot_bars(values: dict[str, float], xlabel: str) -> str:
    fig, ax = _figure(6.0, max(2.0, 0.28 * len(values) + 0.8))
    names = list(values)
    ax.barh(names, [values[n] for n in names], color="#2f6fdd")
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.set_xlabel(xlabel)
    ax.grid(alpha=0.3, axis="x")
    return _svg(fig)


def plot_latency(series: dict[str, list[float]]) -> str:
    names = [k for k, v in series.items() if v]
    fig, axes = _plt().subplots(max(1, len(names)), 1, figsize=(6.0, 1.9 * max(1, len(names))), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        ax.hist(series[name], bins=30, color="#c0392b")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("ms")
    fig.tight_layout()
    return _svg(fig)


_CSS = """body{font:14px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b00020;font-weight:600}.good{color:#1b7f3b}
details{margin:4px 0;border:1px solid #eee;padding:4px 8px}summary{cursor:pointer}.muted{color:#777}
.plots{display:flex;flex-wrap:wrap;gap:16px}.plots>div{flex:0 0 auto}pre{white-space:pre-wrap;margin:0}"""


def _fmt(v: Any) -> str:
    if not finite(v):
        return "n/a"
    return f"{v:.4f}" if isinstance(v, float) else str(v)


def _esc(v: Any) -> str:
    return html.escape(str(v), quote=True)


def _failure(case: dict[str, Any]) -> str:
    d = case.get("details") or {}
    rows = []
    for k, v in d.items():
        if k == "transcript":
            continue
        rows.append(f"<tr><th>{_esc(k)}</th><td><pre>{_esc(v)}</pre></td></tr>")
    transcript = ""
    if d.get("transcript"):
        lines = "".join(f"<tr><td>{i}</td><td>{'来电人' if t['speaker'] == 'caller' else '坐席'}</td><td>{_esc(t['text'])}</td>"
                        f"<td>{_esc((d.get('levels') or [''] * (i + 1))[i] if i < len(d.get('levels') or []) else '')}</td></tr>"
                        for i, t in enumerate(d["transcript"]))
        transcript = f"<table><tr><th>#</th><th>speaker</th><th>text</th><th>level after</th></tr>{lines}</table>"
    return (f"<details data-suite='{_esc(case['suite'])}'><summary><b>{_esc(case['id'])}</b> — "
            f"<span class='bad'>{_esc(case.get('reason') or case['outcome'])}</span></summary>"
            f"<table>{''.join(rows)}</table>{transcript}</details>")


def _by_label_table(by_label: dict[str, dict[str, Any]]) -> str:
    """Suggested replies per caller label (the replies suite): each label's own metrics, n/a where they do not
    apply."""
    cols = sorted({k for m in by_label.values() for k, v in m.items() if v is not None})
    head = "".join(f"<th>{_esc(c)}</th>" for c in cols)
    rows = "".join(f"<tr><td>{_esc(lab)}</td>" + "".join(f"<td class='num'>{_fmt(m.get(c))}</td>" for c in cols) + "</tr>"
                   for lab, m in by_label.items())
    return (f"<h3>Suggested replies by caller label</h3><table><tr><th>label</th>{head}</tr>{rows}</table>"
            "<p class='muted'>Failing turns are listed below (check: coverage, genuine_top, involved_top3, "
            "victim_top3, legit_rep_top).</p>")


def render_report(data: dict[str, Any], deltas: Sequence[Delta] = ()) -> str:
    """The whole report as one HTML string. Everything from cases and datasets is escaped."""
    by = {d.metric: d for d in deltas}
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>assist evaluation report</title>"
             f"<style>{_CSS}</style></head><body><h1>Evaluation report</h1>"
             f"<p class='muted'>run {_esc(data.get('started'))} · data {_esc(data.get('data_dir'))} · "
             f"{_esc(data.get('settings'))} · {_esc(data.get('machine'))}</p>"]
    if deltas:
        parts.append(f"<p>Compared with the run of {_esc((data.get('compare') or {}).get('against', 'earlier'))}: "
                     f"<span class='bad'>{sum(d.regression for d in deltas)} regression(s)</span> shown in red.</p>")
    parts.append("<h2 id='summary'>Summary</h2><table><tr><th>suite</th><th>pass</th><th>fail</th><th>unscorable</th>"
                 "<th>seconds</th></tr>")
    for s in data["suites"]:
        c = s["counts"]
        parts.append(f"<tr><td><a href='#{_esc(s['name'])}'>{_esc(s['name'])}</a></td><td class='num'>{c['pass']}</td>"
                     f"<td class='num'>{c['fail']}</td><td class='num'>{c['unscorable']}</td>"
                     f"<td class='num'>{s['seconds']}</td></tr>")
    parts.append("</table>")
    for s in data["suites"]:
        name = s["name"]
        parts.append(f"<h2 id='{_esc(name)}'>{_esc(name)}</h2><p class='muted'>{_esc(s.get('dataset', ''))}</p>")
        parts.append("<table><tr><th>metric</th><th>value</th>" + ("<th>before</th><th>delta</th>" if deltas else "")
                     + "</tr>")
        for k, v in s["metrics"].items():
            d = by.get(f"{name}.{k}")
            cls = " class='bad'" if d is not None and d.regression else ""
            extra = ""
            if deltas:
                extra = (f"<td class='num'>{_fmt(d.before) if d else 'n/a'}</td>"
                         f"<td class='num'>{(f'{d.delta:+.4f}' if d and d.delta is not None else 'n/a')}</td>")
            parts.append(f"<tr{cls}><td>{_esc(k)}</td><td class='num'>{_fmt(v)}</td>{extra}</tr>")
        for d in deltas:        # metrics the earlier run had and this run no longer reports at all
            if d.metric.startswith(f"{name}.") and d.metric[len(name) + 1:] not in s["metrics"]:
                cls = " class='bad'" if d.regression else ""
                parts.append(f"<tr{cls}><td>{_esc(d.metric[len(name) + 1:])}</td><td class='num'>n/a</td>"
                             f"<td class='num'>{_fmt(d.before)}</td><td class='num'>n/a</td></tr>")
        parts.append("</table>")
        plots = s.get("plots") or {}
        figs = []
        if plots.get("recall_curve"):
            figs.append(("Recall@k per audience", plot_recall_curve(plots["recall_curve"])))
        if plots.get("pr") and plots["pr"]["scores"]:
            figs.append(("Risk: precision–recall (intermediary involved)", plot_pr(plots["pr"]["scores"], plots["pr"]["positives"])))
        if plots.get("confusion"):
            figs.append(("Risk: confusion matrix", plot_confusion(plots["confusion"]["labels"], plots["confusion"]["matrix"])))
        if plots.get("calibration") and plots["calibration"]["confidence"]:
            figs.append(("Risk: calibration", plot_calibration(plots["calibration"]["confidence"], plots["calibration"]["correct"])))
        if plots.get("signal_hit_rate"):
            figs.append(("Risk: per-signal hit rate (evidence found for a labelled signal)",
                         plot_bars(plots["signal_hit_rate"], "share of calls labelled with the signal where it was found")))
        bars = plots.get("scheme_bars") or {}
        for which in ("recall", "precision"):
            if bars.get(which):
                figs.append((f"Scam check on TeleAntiFraud: {which} per scheme (the scheme named first)",
                             plot_bars(bars[which], which)))
        if plots.get("scheme_confusion"):
            figs.append(("Scam check on TeleAntiFraud: confusion between schemes (row: true, column: named first)",
                         plot_confusion(plots["scheme_confusion"]["labels"], plots["scheme_confusion"]["matrix"])))
        if plots.get("latency"):
            figs.append(("Latency histograms", plot_latency(plots["latency"])))
        if plots.get("by_label"):
            parts.append(_by_label_table(plots["by_label"]))
        if figs:
            parts.append("<div class='plots'>" + "".join(f"<div class='plot'><h3>{_esc(t)}</h3>{svg}</div>" for t, svg in figs)
                         + "</div>")
        fails = [c for c in s["cases"] if c["outcome"] == "fail"]
        unscorable = [c for c in s["cases"] if c["outcome"] == "unscorable"]
        parts.append(f"<h3 id='{_esc(name)}-failures'>Failures ({len(fails)})</h3>")
        parts.extend(_failure(c) for c in fails)
        if unscorable:
            parts.append(f"<h3>Not scorable ({len(unscorable)}, kept out of every mean)</h3><ul>"
                         + "".join(f"<li>{_esc(c['id'])}: {_esc(c['reason'])}</li>" for c in unscorable) + "</ul>")
    parts.append("</body></html>")
    return "".join(parts)
