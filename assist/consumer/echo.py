"""Text taken from a consumer's message and shown back (red-flag quotes) must not be able to act: no markup, no
links. A native app may render the API's text as HTML or Markdown, and a reader may click; so quotes are reduced
to plain words before they leave the consumer room, and the HTTP edge checks the whole answer again.

What is removed: HTML/XML tags and comments (``<img src=x onerror=…>``, ``<script>…</script>``), event-handler
attributes written without a tag (``onerror=alert(1)``), ``javascript:`` / ``data:`` / ``vbscript:`` URLs,
http(s)/ftp/hxxp links and bare domains (``www.x.cn``, ``pay-x.top/a``), Markdown links and images
(``[点这里](…)``, ``![](…)``) and the characters that start markup (``<``, ``>``, backticks). A link is replaced by
``[链接]`` so the quote still says that a link was there."""

from __future__ import annotations

import re

LINK = "[链接]"

_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
_SCRIPT = re.compile(r"<\s*(script|style|iframe|object|embed|svg|math|template)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<\s*/?\s*[a-z!?][^<>\n]{0,300}(>|$)", re.I | re.M)
_HANDLER = re.compile(r"(?<![a-z])on[a-z]{3,20}\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\u4e00-\u9fff]*)", re.I)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_MD_REF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+", re.M)
# Chinese characters count as word characters for \b, and a link pasted into Chinese text runs straight into the
# next word: links start after anything but a letter or digit and stop at the first CJK character or space.
_END = r"[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”\"'<>()]*"
_SCHEME_URL = re.compile(r"(?<![a-z0-9])(javascript|vbscript|data|file|blob)\s*[:：]" + _END, re.I)
_URL = re.compile(r"(?<![a-z0-9])((https?|hxxps?|ftp)\s*[:：]\s*//|www\.)" + _END, re.I)
_SLASHES = re.compile(r"(?<![a-z0-9:])//[a-z0-9-]+\.[a-z0-9.-]+" + _END, re.I)
# any dotted name whose last part is letters (pay-x.top, p.png, a.b.example/x): in a consumer's Chinese message these
# are web addresses or file names, never words
_DOMAIN = re.compile(r"(?<![a-z0-9.@-])[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.[a-z]{2,12}(?![a-z0-9-])(/" + _END + ")?",
                     re.I)
_LEFTOVER = re.compile(r"[<>`]")


def plain_quote(text: str) -> str:
    """``text`` with markup and links removed (links become ``[链接]``) and white space collapsed."""
    return re.sub(r"\s+", " ", without_markup(text)).strip()


def without_markup(text: str) -> str:
    """``text`` with markup and links removed (links become ``[链接]``), line breaks kept: what the scam check reads."""
    t = _COMMENT.sub(" ", text)
    t = _SCRIPT.sub(" ", t)
    t = _TAG.sub(" ", t)
    t = _HANDLER.sub(" ", t)
    t = _MD_IMAGE.sub(lambda m: " " + m.group(1) + " ", t)
    t = _MD_LINK.sub(lambda m: m.group(1) + LINK, t)
    t = _MD_REF.sub(" ", t)
    t = _SCHEME_URL.sub(LINK, t)
    t = _URL.sub(LINK, t)
    t = _SLASHES.sub(LINK, t)
    t = _DOMAIN.sub(LINK, t)
    t = _LEFTOVER.sub("", t)
    return re.sub(r"(\[链接\][ \t]*){2,}", LINK, t)

