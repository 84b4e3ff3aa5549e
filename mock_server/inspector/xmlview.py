"""Pretty-print and highlight XML on the server: escaped text wrapped in spans with classes.

Bodies come from the journal (already redacted). Parsing never resolves entities, loads a DTD or
touches the network; a body that is not XML (or was cut at 256 KiB) is shown as escaped raw text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape, quoteattr

from markupsafe import Markup, escape
from lxml import etree

from .. import xmlsafe

INDENT = "  "


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{escape(text)}</span>'


def _attrs(el: etree._Element) -> str:
    out = []
    for name, value in el.attrib.items():
        out.append(f' {_span("x-attr", str(name))}={_span("x-val", quoteattr(str(value)))}')
    return "".join(out)


def _node(node, depth: int, out: list[str]) -> None:
    pad = INDENT * depth
    if isinstance(node, etree._Comment):
        out.append(pad + _span("x-comment", f"<!--{node.text or ''}-->"))
    elif isinstance(node, etree._ProcessingInstruction):
        out.append(pad + _span("x-pi", f"<?{node.target} {node.text or ''}?>"))
    elif isinstance(node, etree._Entity):
        out.append(pad + _span("x-text", f"&{node.name};"))
    else:
        tag = str(node.tag)
        open_tag = _span("x-tag", "<" + tag) + _attrs(node)
        children = list(node)
        text = node.text if node.text and node.text.strip() else ("" if children else (node.text or ""))
        if not children:
            if text:
                out.append(f"{pad}{open_tag}{_span('x-tag', '>')}{_span('x-text', xml_escape(text))}{_span('x-tag', '</' + tag + '>')}")
            else:
                out.append(f"{pad}{open_tag}{_span('x-tag', '/>')}")
        else:
            out.append(f"{pad}{open_tag}{_span('x-tag', '>')}")
            if text:
                out.append(INDENT * (depth + 1) + _span("x-text", xml_escape(text.strip())))
            for child in children:
                _node(child, depth + 1, out)
            out.append(pad + _span("x-tag", "</" + tag + ">"))
    if node.tail and node.tail.strip() and depth > 0:
        out.append(pad + _span("x-text", xml_escape(node.tail.strip())))


def highlight(body: str | bytes | None) -> tuple[Markup, bool]:
    """``(html, parsed)``: highlighted, indented XML, or the escaped raw text when it is not XML."""
    if body is None:
        return Markup(""), False
    raw = body.encode("utf-8") if isinstance(body, str) else body
    try:
        root = xmlsafe.parse(raw, keep_comments=True, remove_blank_text=True)
    except (etree.XMLSyntaxError, ValueError):
        text = raw.decode("utf-8", "replace")
        return Markup(escape(text)), False
    out: list[str] = []
    if raw.lstrip().startswith(b"<?xml"):
        info = root.getroottree().docinfo
        out.append(_span("x-pi", f'<?xml version="{info.xml_version or "1.0"}" encoding="{info.encoding or "UTF-8"}"?>'))
    for sibling in _preceding(root):
        _node(sibling, 0, out)
    _node(root, 0, out)
    for sibling in _following(root):
        _node(sibling, 0, out)
    return Markup("\n".join(out)), True


def _preceding(root) -> list:
    items, node = [], root.getprevious()
    while node is not None:
        items.append(node)
        node = node.getprevious()
    return list(reversed(items))


def _following(root) -> list:
    items, node = [], root.getnext()
    while node is not None:
        items.append(node)
        node = node.getnext()
    return items
