"""inspect, lookup and getDimensions: object definitions straight from the field tables.

Custom fields appear with ISCUSTOM true, so an importer that checks for its custom field before
asking for it sees the same thing it would see in the company (protocol notes 7.8).
"""

from __future__ import annotations

import zlib

from lxml import etree

from ...xmlsafe import child, text_of
from ...objects.fields import Field, FieldType
from ...objects.registry import all_object_types
from ..call import XmlCall
from .reads import object_for
from ..registry import function
from ..replies import Entry, RecordsReply, Reply, write_entries

DATATYPES = {
    FieldType.TEXT: "TEXT", FieldType.INTEGER: "INTEGER", FieldType.DECIMAL: "DECIMAL", FieldType.DATE: "DATE",
    FieldType.TIMESTAMP: "TIMESTAMP", FieldType.BOOLEAN: "BOOLEAN", FieldType.ENUM: "ENUM",
}


# inspect detail="1" names each type twice, as a captured answer does (intacct-sdk-php's 2016
# InspectClassResponse.xml): the platform type and the external one. Dates are not in that capture.
INSPECT_TYPES = {
    FieldType.TEXT: ("Pt_FieldString", "string"), FieldType.ENUM: ("Pt_FieldString", "string"),
    FieldType.INTEGER: ("Pt_FieldInt", "integer"), FieldType.DECIMAL: ("Pt_FieldDouble", "number"),
    FieldType.BOOLEAN: ("Pt_FieldBoolean", "boolean"), FieldType.TIMESTAMP: ("Pt_FieldDateTime", "datetime"),
    FieldType.DATE: ("Pt_FieldDate", "date"),
}


def _field_id(obj_name: str, position: int) -> str:
    """A stable 15-digit field id in the captured form (``999502600000001``)."""
    return f"9995{zlib.crc32(obj_name.encode()) % 10000:04d}{position:07d}"


def _visible(ctx: XmlCall, obj) -> list[Field]:
    """The fields a '*' read shows, in its order (Intacct's, where its set is known)."""
    fields = ctx.fields_of(obj)
    return [fields[name] for name in obj.output_names(ctx.custom_fields(obj.name)) if name in fields]


def _bool(value: bool) -> str:
    return "true" if value else "false"


@function("lookup")
def handle_lookup(ctx: XmlCall, el: etree._Element) -> Reply:
    """An object's fields with types, valid values and relationships."""
    obj = object_for(ctx, el, "READ")
    fields: list[Entry] = []
    for f in _visible(ctx, obj):
        entry: list[Entry] = [
            ("ID", f.name), ("LABEL", f.label), ("DESCRIPTION", f.description or f.label),
            ("REQUIRED", _bool(f.required)), ("READONLY", _bool(f.readonly)), ("DATATYPE", DATATYPES[f.type]),
        ]
        if f.codes:
            entry.append(("VALIDVALUES", [("VALIDVALUE", label) for label in f.labels]))
        entry.append(("ISCUSTOM", _bool(f.custom)))
        fields.append(("Field", entry))
    relationships: list[Entry] = [
        ("Relationship", [("OBJECTPATH", name), ("OBJECTNAME", rel.object), ("LABEL", ""),
                          ("RELATIONSHIPTYPE", "MANY2ONE"), ("RELATEDBY", rel.local)])
        for name, rel in {**obj.paths, **obj.relations}.items()
    ]
    return _type_reply(obj.name, [("Fields", fields), ("Relationships", relationships)], lookup=True)


def _type_reply(name: str, entries: list[Entry], *, lookup: bool) -> Reply:
    return TypeReply({"Name": name, "DocumentType": ""} if lookup else {"Name": name}, entries)


class TypeReply(Reply):
    """``<data listtype="All" count="1"><Type Name="...">...</Type></data>``: the Type element has attributes."""

    def __init__(self, type_attrs: dict[str, str], entries: list[Entry]) -> None:
        self.type_attrs, self.entries = type_attrs, entries

    def write(self, xml) -> None:
        xml.open("data", {"listtype": "All", "count": 1})
        xml.open("Type", self.type_attrs)
        write_entries(xml, self.entries)
        xml.close()
        xml.close()


class TypeListReply(Reply):
    """inspect of '*': ``<type typename="APBILL">AP Bill</type>`` per object."""

    def __init__(self, types: list[tuple[str, str]]) -> None:
        self.types = types

    def write(self, xml) -> None:
        xml.open("data", {"listtype": "All", "count": 1})
        for name, label in self.types:
            xml.leaf("type", label, {"typename": name})
        xml.close()


@function("inspect")
def handle_inspect(ctx: XmlCall, el: etree._Element) -> Reply:
    """An object's fields (``detail="1"``: with types and labels), or every object for ``*``."""
    name = (text_of(child(el, "object")) or "").strip()
    if name == "*":
        return TypeListReply([(obj.name, obj.label) for obj in all_object_types() if not obj.line_of])
    obj = object_for(ctx, el, "READ")
    detail = (el.get("detail") or "0").strip() == "1"
    fields = _visible(ctx, obj)
    if not detail:
        return _type_reply(obj.name, [("Fields", [("Field", f.name) for f in fields])], lookup=False)
    attributes: list[Entry] = [("SingularName", obj.label), ("PluralName", obj.plural_label), ("Description", obj.label)]
    detailed = [
        ("Field", [("Name", f.name), ("GroupName", ""), ("dataName", INSPECT_TYPES[f.type][0]),
                   ("externalDataName", INSPECT_TYPES[f.type][1]), ("isRequired", _bool(f.required)),
                   ("isReadOnly", _bool(f.readonly)), ("maxLength", str(f.max_length or 0)),
                   ("DisplayLabel", f.label), ("Description", f.description or f.label),
                   ("id", _field_id(obj.name, n))])
        for n, f in enumerate(fields, start=1)
    ]
    return _type_reply(obj.name, [("Attributes", attributes), ("Fields", detailed)], lookup=False)


@function("getDimensions")
def handle_get_dimensions(ctx: XmlCall, el: etree._Element) -> Reply:
    """The company's dimensions, as Intacct lists the standard ones."""
    dims = [("DEPARTMENT", "Department"), ("LOCATION", "Location"), ("PROJECT", "Project"), ("CUSTOMER", "Customer"),
            ("VENDOR", "Vendor"), ("CLASS", "Class")]
    entries: list[Entry] = [
        ("dimension", [("objectName", name), ("objectLabel", label), ("termLabel", label),
                       ("userDefinedDimension", "false"), ("enabledInGL", "true")])
        for name, label in dims
    ]
    return RecordsReply({}, [("dimensions", entries)])
