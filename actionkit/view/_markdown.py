"""Message content as the Open WebUI 0.12.4 page renders it: Markdown (``marked`` with GFM and
``breaks``), ``<details>`` blocks as collapsibles (reasoning shows "Thought for N seconds"),
``[1]`` citations as chips naming their source.

Rendering uses markdown-it-py with raw HTML off: any HTML a function writes is shown as text,
never run (the page shows unknown HTML as text too), and links keep markdown-it's URL checks
(no ``javascript:``).
"""

from __future__ import annotations

import functools
import html
import re
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

_CITATION = re.compile(r"(?:\[(?:\d+(?:#[^,\]\s]+)?(?:,\s*\d+(?:#[^,\]\s]+)?)*)\])+")
_GROUP = re.compile(r"\[([^\]]+)\]")
_DETAILS_OPEN = re.compile(r"<details(\s+[^>]*)?>[ \t]*\n")
_SUMMARY = re.compile(r"<summary>(.*?)</summary>\n?", re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="(.*?)"')


def _citation(state: StateInline, silent: bool) -> bool:
    """``[1]``, ``[1,2]``, ``[1#frag][2]``: the page's citation tokens (not links, not footnotes)."""
    if state.src[state.pos] != "[":
        return False
    match = _CITATION.match(state.src, state.pos)
    if match is None:
        return False
    end = match.end()
    if end < state.posMax and state.src[end] in "(:":
        return False  # a link [1](url) or a reference definition
    ids: list[int] = []
    for group in _GROUP.findall(match.group(0)):
        for part in group.split(","):
            number = re.match(r"^\s*(\d+)", part)
            if number:
                ids.append(int(number.group(1)))
    if not ids:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = match.group(0)
        token.meta = {"ids": ids}
    state.pos = end
    return True


def _display_title(title: str) -> str:
    """The chip text: a URL's domain, long titles shortened (``Source.svelte``)."""
    with_url = title
    if title.startswith("http"):
        domain = re.split(r"[/?#]", title.replace("http://", "").replace("https://", ""))[0]
        with_url = domain[4:] if domain.startswith("www.") else domain
    return with_url if len(with_url) <= 30 else with_url[:15] + "..." + with_url[-10:]


def _render_citation(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    titles: list[str] = env.get("sources") or []
    if not titles:
        return html.escape(token.content)
    ids: list[int] = token.meta["ids"]
    first = titles[ids[0] - 1] if 0 < ids[0] <= len(titles) else None
    if first is None:
        return ""  # the page renders nothing for a citation without a source
    label = html.escape(_display_title(_decoded(first)))
    more = f' <span class="more">+{len(ids) - 1}</span>' if len(ids) > 1 else ""
    numbers = ", ".join(str(i) for i in ids)
    return f'<span class="cite" title="source {numbers}">{label}{more}</span>'


def _render_link_open(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("target", "_blank")
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


@functools.cache
def _parser() -> MarkdownIt:
    """The page's Markdown dialect (imported on first use: only HTML views need it)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "citation", _citation)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("link_open", _render_link_open)
    return md


def _decoded(text: str) -> str:
    try:
        return urllib.parse.unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def source_titles(sources: Sequence[Any]) -> list[str]:
    """The title of each cited document, numbered as the page numbers them (``[1]`` is the first):
    one per distinct document id across all sources (``ContentRenderer.getSourceIds``)."""
    titles: list[str] = []
    seen: set[str] = set()
    for source in sources:
        if not isinstance(source, dict):
            continue
        documents = source.get("document")
        raw_inner, raw_metadata = source.get("source"), source.get("metadata")
        inner: dict[str, Any] = raw_inner if isinstance(raw_inner, dict) else {}
        metadata: list[Any] = raw_metadata if isinstance(raw_metadata, list) else []
        for index in range(len(documents) if isinstance(documents, list) else 0):
            meta = metadata[index] if index < len(metadata) and isinstance(metadata[index], dict) else {}
            doc_id = str(meta.get("source") or inner.get("id") or "N/A")
            if doc_id in seen:
                continue
            seen.add(doc_id)
            if meta.get("name"):
                titles.append(str(meta["name"]))
            elif doc_id.startswith(("http://", "https://")):
                titles.append(doc_id)
            else:
                titles.append(str(inner.get("name") or doc_id))
    return titles


def _details_summary(attributes: dict[str, str], summary: str) -> str:
    kind = attributes.get("type")
    done = attributes.get("done") == "true"
    if kind == "reasoning":
        if not done:
            return "Thinking…"
        try:
            seconds = float(attributes.get("duration") or 0)
        except ValueError:
            seconds = 0
        if seconds < 1:
            return "Thought for less than a second"
        return f"Thought for {seconds:g} seconds"
    if kind == "code_interpreter":
        return "Analyzed" if done else "Analyzing…"
    return summary or "Details"


def _closing(text: str, start: int) -> int:
    """The end of the ``</details>`` matching the ``<details`` at ``start`` (-1 when unclosed)."""
    depth, index = 1, start + len("<details")
    while index < len(text):
        if text.startswith("<details", index):
            depth += 1
        elif text.startswith("</details>", index):
            depth -= 1
            if depth == 0:
                return index + len("</details>")
        index += 1
    return -1


def markdown_html(text: str, sources: Sequence[str] = ()) -> str:
    """``text`` rendered as the page renders message content; ``sources`` are the titles
    ``[n]`` citations refer to (see :func:`source_titles`)."""
    env = {"sources": list(sources)}
    parts: list[str] = []
    rest = text
    while rest:
        match = next(
            (m for m in _DETAILS_OPEN.finditer(rest) if m.start() == 0 or rest[m.start() - 1] == "\n"), None
        )
        end = _closing(rest, match.start()) if match is not None else -1
        if match is None or end == -1:
            parts.append(_parser().render(rest, env))
            break
        if match.start():
            parts.append(_parser().render(rest[: match.start()], env))
        attributes = dict(_ATTRIBUTE.findall(match.group(1) or ""))
        inner = rest[match.end() : end - len("</details>")].strip()
        summary = ""
        found = _SUMMARY.match(inner)
        if found:
            summary = html.unescape(found.group(1).strip())
            inner = inner[found.end() :].strip()
        title = html.escape(_details_summary(attributes, summary))
        body = markdown_html(html.unescape(inner), sources) if attributes.get("type") != "tool_calls" else ""
        parts.append(f'<details class="akdetails"><summary>{title}</summary>{body}</details>')
        rest = rest[end:].lstrip("\n")
    return "".join(parts)
