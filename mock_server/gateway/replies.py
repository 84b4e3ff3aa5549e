"""What a function handler returns: values that know how to write their part of ``<result>``.

Handlers never touch XML builders directly; they return one of these. Records are plain
``(tag, entries)`` pairs where each entry is ``(name, text)`` or ``(name, [entries...])`` for a
nested group (``DISPLAYCONTACT``, ``APBILLITEMS``), which keeps the hot render path to string
appends (see ../shared/benchmarking.md). readByQuery pages may also hold records already written
as text (``xmlwriter.flat_fragment`` at ``record_indent``), which is what its render cache keeps.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Mapping, Sequence, Union

from ..xmlwriter import XmlBuilder

Entry = tuple[str, Union[str, "list[Entry]"]]
Record = tuple[str, list[Entry]]

# <response><operation><result><data><record>: where a record of a function's <data> starts.
DATA_RECORD_DEPTH = 4


def record_indent(pretty: bool) -> str | None:
    """The ``indent`` to give ``flat_fragment`` for a record inside ``<data>``."""
    return "\n" + "  " * DATA_RECORD_DEPTH if pretty else None


def write_entries(xml: XmlBuilder, entries: Sequence[Entry]) -> None:
    for name, value in entries:
        if isinstance(value, list):
            xml.open(name)
            write_entries(xml, value)
            xml.close()
        else:
            xml.leaf(name, value)


class Reply:
    """Base: writes nothing (``delete`` and legacy deletes carry no ``<data>``)."""

    def write(self, xml: XmlBuilder) -> None:  # pragma: no cover - trivial
        return None


@dataclass
class KeyReply(Reply):
    """Legacy create functions answer with ``<key>``."""

    key: str

    def write(self, xml: XmlBuilder) -> None:
        xml.leaf("key", self.key)


@dataclass
class RecordsReply(Reply):
    """``<data attrs...>`` followed by records; an empty list renders ``<data .../>``.

    A record given as ``str`` is written as it is: it was made for ``record_indent`` and the
    builder must agree (a mismatch is a programming error, not something to paper over)."""

    attrs: Mapping[str, object]
    records: list[Union[Record, str]] = field(default_factory=list)

    def write(self, xml: XmlBuilder) -> None:
        if not self.records:
            xml.empty("data", self.attrs)
            return
        xml.open("data", self.attrs)
        lead = (xml.child_indent() or "") + "<"
        for pre_rendered, run in itertools.groupby(self.records, key=lambda r: isinstance(r, str)):
            if pre_rendered:  # a run of pre-rendered records goes in with one call
                texts = list(run)
                if not texts[0].startswith(lead):
                    raise RuntimeError("a pre-rendered record was made for another depth or whitespace mode")
                xml.fragments(texts)
                continue
            for tag, entries in run:
                if not xml.flat_element(tag, entries):  # records with groups take the general path
                    xml.open(tag)
                    write_entries(xml, entries)
                    xml.close()
        xml.close()


@dataclass
class ListTypeReply(Reply):
    """Legacy ``get_list``: ``<listtype start end total>`` then ``<data>``."""

    listtype: str
    start: int
    end: int
    total: int
    records: list[Record] = field(default_factory=list)

    def write(self, xml: XmlBuilder) -> None:
        xml.leaf("listtype", self.listtype, {"start": self.start, "end": self.end, "total": self.total})
        RecordsReply({}, self.records).write(xml)


@dataclass
class RawReply(Reply):
    """``returnFormat`` csv/json: the HTTP body is the payload itself, with no XML envelope."""

    body: bytes
    content_type: str


NO_DATA = Reply()
