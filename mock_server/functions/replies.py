"""What a function handler returns: values that know how to write their part of ``<result>``.

Handlers never touch XML builders directly; they return one of these. Records are plain
``(tag, entries)`` pairs where each entry is ``(name, text)`` or ``(name, [entries...])`` for a
nested group (``DISPLAYCONTACT``, ``APBILLITEMS``), which keeps the hot render path to string
appends (see ../shared/benchmarking.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence, Union

from ..xmlwriter import XmlBuilder

Entry = tuple[str, Union[str, "list[Entry]"]]
Record = tuple[str, list[Entry]]


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
    """``<data attrs...>`` followed by records; an empty list renders ``<data .../>``."""

    attrs: Mapping[str, object]
    records: list[Record] = field(default_factory=list)

    def write(self, xml: XmlBuilder) -> None:
        if not self.records:
            xml.empty("data", self.attrs)
            return
        xml.open("data", self.attrs)
        for tag, entries in self.records:
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
