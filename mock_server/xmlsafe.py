"""Reading XML safely: the one hardened parser configuration of the whole server, and the small
lookups every reader of request XML needs.

Every XML the emulator reads (requests, journaled bodies for the inspector and bundles) goes
through ``parser()``: entities are never resolved, no DTD is loaded, nothing touches the network
and trees are bounded (``huge_tree`` off), so a hostile DOCTYPE or a billion-laughs body costs
nothing. This module is at the bottom of the package: it imports nothing of the emulator.
"""

from __future__ import annotations

from lxml import etree

_HARDENED = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    # (not collect_ids=False: with it, libxml2 reads a DOCTYPE's local SYSTEM file despite load_dtd=False)
)


class _NothingExternal(etree.Resolver):
    """Every external resource (a DTD, an entity) resolves to nothing: no file, no network."""

    def resolve(self, system_url, public_id, context):  # noqa: D401 - lxml's signature
        return self.resolve_empty(context)


def parser(*, keep_comments: bool = False, remove_blank_text: bool = False) -> etree.XMLParser:
    """A new hardened parser (lxml parsers keep per-parse state, so callers do not share one).

    ``keep_comments`` keeps comments and processing instructions (the inspector shows them);
    requests drop both."""
    p = etree.XMLParser(remove_comments=not keep_comments, remove_pis=not keep_comments,
                        remove_blank_text=remove_blank_text, **_HARDENED)
    p.resolvers.add(_NothingExternal())
    return p


def parse(body: bytes, **options: bool) -> etree._Element:
    """Parse ``body`` with a hardened parser; raises ``etree.XMLSyntaxError`` (or ValueError)."""
    return etree.fromstring(body, parser(**options))


def text_of(el: etree._Element | None) -> str | None:
    """Stripped text of an element (CDATA included); None when the element is absent."""
    if el is None:
        return None
    if not len(el):  # no children: the text itself (CDATA is text to lxml), without walking
        return (el.text or "").strip()
    return "".join(el.itertext()).strip()


def child(el: etree._Element, name: str) -> etree._Element | None:
    """The first child element called ``name`` (children are looked up by name, never position)."""
    for c in el:
        if c.tag == name:
            return c
    return None


def elements(el: etree._Element) -> list[etree._Element]:
    """Child elements only (no comments, processing instructions or entities)."""
    return [c for c in el if isinstance(c.tag, str)]


def parse_bool(value: str | None, default: bool) -> bool:
    """Intacct's booleans as clients write them: true/false, 1/0, t, yes."""
    if value is None or value == "":
        return default
    return value.strip().lower() in ("true", "1", "t", "yes")
