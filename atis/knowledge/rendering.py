"""Article text is plain text with a little Markdown: headings (#, ##), lists (- or 1.),
**bold** and bare links. It is escaped first and marked up second, then cleaned once more
with an allowlist (nh3), so nothing an editor types can become a script or a style."""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"(https?://[^\s<>()]+[^\s<>().,;:!?])")
_BULLET = re.compile(r"^\s*[-*]\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")


def _inline(text: str) -> str:
    html = str(escape(text))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _LINK.sub(r'<a href="\1">\1</a>', html)


def _block(lines: list[str]) -> str:
    heading = _HEADING.match(lines[0])
    if heading and len(lines) == 1:
        level = len(heading.group(1)) + 1
        return f"<h{level}>{_inline(heading.group(2))}</h{level}>"
    if all(_BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if all(_NUMBERED.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_NUMBERED.sub('', line))}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def render_body(text: str) -> SafeString:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    html = "".join(_block(block) for block in blocks)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  (escaped, then cleaned with an allowlist)
