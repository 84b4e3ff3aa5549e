"""ObjectType: one Intacct object declared as a field table plus a few rule hooks.

The generic functions (create, read, readByQuery, query, inspect ...) work from these
declarations alone; an object module only adds the rules that make it behave like the real
object (derived totals, states, references). Nested groups such as ``DISPLAYCONTACT`` are stored
as dotted columns (``DISPLAYCONTACT.PRINTAS``) and re-nested on output where Intacct nests them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence, Union

from ..errors import (
    BusinessRuleError, ErrorDetail, InvalidFieldValueError, QueryError, RequestValidationError, UnknownFieldError,
    could_not,
)
from .fields import Field, ValueFormatError, integer, stamp, text
from .fieldsets import real_field_set

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext
    from .legacy import LegacyFunction, LegacyList


@dataclass(frozen=True)
class Relation:
    """A many-to-one link usable in ``query`` dotted paths (``VENDOR.NAME``) and in reference checks."""

    local: str  # field on this object holding the id
    object: str  # related object name
    remote: str | None = None  # id field on the related object; None: its ID (RECORDNO for a key)


@dataclass(frozen=True)
class LineSpec:
    """An owned line collection: input ``<APBILLITEMS><APBILLITEM>``, output lower-case items."""

    collection: str
    element: str
    object: "ObjectType"


@dataclass
class Parsed:
    """A record read from request XML: stored values, custom field values, and lines."""

    values: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, Any] = field(default_factory=dict)
    lines: list["Parsed"] | None = None  # None: collection not sent (update keeps the lines)


SYSTEM_FIELDS = (
    integer("RECORDNO", label="Record number", readonly=True),
    stamp("WHENMODIFIED", label="When modified"),
    text("CREATEDBY", label="Created by", readonly=True),
    text("MODIFIEDBY", label="Modified by", readonly=True),
    integer("MEGAENTITYKEY", label="Created at entity key", readonly=True),
    text("MEGAENTITYID", label="Created at entity ID", readonly=True),
    text("MEGAENTITYNAME", label="Created at entity name", readonly=True),
)


class ObjectType:
    """Declaration of one object; subclasses override hooks to add behaviour.

    Everything the rest of the emulator knows about an object is declared here, once: its fields,
    its module (permissions), its labels, the field people quote to name a record, what a list of
    them shows first, and the legacy (2.1) functions that write it. The fault matcher, the
    inspector, scenarios and the XML gateway's legacy handlers read these declarations;
    ``tests/unit/test_registry.py`` fails when one is missing.
    """

    name: str = ""
    label: str = ""
    plural: str = ""  # the label for many; default: the label with 's' (or 'es')
    module: str = "CO"
    id_field: str | None = None  # user-facing ID (readByName key, update key)
    number_field: str | None = None  # document number checked for collisions
    own_fields: Sequence[Field] = ()
    lines: LineSpec | None = None
    relations: dict[str, Relation] = {}
    generic_create: bool = True
    generic_update: bool = True
    generic_delete: bool = True
    private_in_entity: bool = False  # master data created in an entity belongs to it
    reference: bool = False  # looked up by other objects' rules: cached per process (store/refcache.py)
    line_of: str | None = None
    document_key_field: str | None = None  # see ``document_key``; default: the number field, else the ID
    summary_fields: Sequence[str] = ()  # what a list of these shows first (the inspector's books page)
    legacy: Sequence["LegacyFunction"] = ()  # the 2.1 functions that write it (objects/legacy.py)
    legacy_list: "LegacyList | None" = None  # what ``get_list`` of it answers, if it can be listed that way
    first_line_no: int = 1  # a line object's first LINE_NO (Order Entry lines count from zero)
    record_sequence: str | None = None  # a record-number sequence shared with other objects (a subledger's)
    input_aliases: Mapping[str, str] = {}  # element names a create may use for a field read under another name

    def __init__(self) -> None:
        seen: dict[str, Field] = {}
        for f in (*SYSTEM_FIELDS, *self.own_fields):
            seen[f.name] = f
        real = real_field_set(self.name)
        if real is None:
            self.star_names: tuple[str, ...] = tuple(n for n, f in seen.items() if not f.writeonly)
            self.paths: dict[str, Relation] = {}
        else:
            # Intacct's '*' set in its order, then the fields the emulator keeps that the captured
            # set lacks (module-dependent ones such as BILLABLE); the system fields it lacks
            # (MEGAENTITY* on dimensions) stay queryable by name but are not part of '*'.
            for name in real.fields:
                if name not in seen:
                    seen[name] = text(name, label=_label(name))
            system = {f.name for f in SYSTEM_FIELDS}
            extra = [n for n, f in seen.items() if n not in real.fields and n not in system and not f.writeonly]
            self.star_names = (*real.fields, *extra)
            self.paths = {path: Relation(local, target) for path, target, local in real.relationships if local in seen}
        self.fields: dict[str, Field] = seen
        self._merged: dict[int, tuple[Mapping[str, Field], dict[str, Field]]] = {}

    # ------------------------------------------------------------------ field lookup

    def all_fields(self, custom: Mapping[str, Field] | None = None) -> dict[str, Field]:
        """Declared fields plus the company's ``custom`` fields for this object (the merged table
        is kept for the last few custom field sets: a company's are one object per configuration)."""
        if not custom:
            return self.fields
        found = self._merged.get(id(custom))
        if found is not None and found[0] is custom:
            return found[1]
        merged = {**self.fields, **custom}
        if len(self._merged) >= 64:
            self._merged.clear()
        self._merged[id(custom)] = (custom, merged)
        return merged

    @property
    def plural_label(self) -> str:
        if self.plural:
            return self.plural
        return self.label + ("es" if self.label.endswith(("s", "sh", "ch", "x", "z")) else "s")

    @property
    def document_key(self) -> str | None:
        """The field a person quotes to name one record: a bill's number, a vendor's ID, a
        payment's reference (journal searches and fault messages use it)."""
        return self.document_key_field or self.number_field or self.id_field

    @property
    def storage_fields(self) -> list[Field]:
        return [f for name, f in self.fields.items() if name != "RECORDNO"]

    @property
    def result_tag(self) -> str:
        return self.name.lower()

    # ------------------------------------------------------------------ input

    def parse(self, record: Record, custom: Mapping[str, Field] | None = None,
              line_custom: Mapping[str, Field] | None = None) -> Parsed:
        """Read one record (field name -> value; group fields dotted, ``DISPLAYCONTACT.PRINTAS``;
        the line collection -> a list of line records) into stored values. Field names are the
        object's and the company's ``custom`` fields; any other is ``UnknownFieldError``. A value
        that does not fit its field is ``InvalidFieldValueError``. Read-only fields are ignored, as
        Intacct ignores them on input. Pairs are read in order, so a front door that keeps its
        document order (XML) gets the first bad field of the document."""
        known = self.all_fields(custom)
        parsed = Parsed()
        collection = self.lines.collection if self.lines else None
        aliases = self.input_aliases
        for name, value in _pairs(record):
            if aliases:
                name = aliases.get(name, name)
            if name == collection:
                assert self.lines is not None
                parsed.lines = [self.lines.object.parse(line, line_custom) for line in value]
                continue
            f = known.get(name)
            if f is None:
                if value in ("", None) and _is_group(name, known):
                    continue  # an empty contact group, as the official SDKs write one: nothing to store
                raise UnknownFieldError(name, self.name)
            if f.readonly and name != "RECORDNO":
                continue
            try:
                converted = f.from_input(value)
            except ValueFormatError as exc:
                raise InvalidFieldValueError(name, str(exc)) from None
            (parsed.custom if f.custom else parsed.values)[name] = converted
        return parsed

    def output_names(self, custom: Mapping[str, Field] | None = None) -> list[str]:
        """Every field a read shows ('*'): Intacct's set in its order, then the company's custom fields."""
        if not custom:
            return list(self.star_names)
        return [*self.star_names, *(name for name, f in custom.items() if not f.writeonly and name not in self.fields)]

    def relation(self, path: str) -> Relation | None:
        """The many-to-one relation an object path names: declared, else from Intacct's lookup."""
        return self.relations.get(path) or self.paths.get(path)

    def check_required(self, parsed: Parsed, ctx: "RuleContext", verb: str = "create") -> None:
        for name, f in self.all_fields(ctx.custom_fields(self.name)).items():
            if f.required and parsed.values.get(name) in (None, "") and parsed.custom.get(name) in (None, ""):
                raise RequestValidationError(
                    f"Required field '{f.label}' ({name}) is missing.",
                    correction=f"Provide a value for {name}.",
                ).with_also(self.wrapper(verb))

    def wrapper(self, verb: str) -> ErrorDetail:
        """The generic error Intacct appends after the specific one ('Could not create Customer record!')."""
        return could_not(verb, self.label)

    # ------------------------------------------------------------------ hooks (override)

    def prepare(self, ctx: "RuleContext", parsed: Parsed, existing: dict | None) -> None:
        """Validate and derive values before a create (existing None) or an update."""

    def before_delete(self, ctx: "RuleContext", row: dict) -> None:
        """Refuse deletes the real object refuses."""

    def after_write(self, ctx: "RuleContext", recordno: int, parsed: Parsed, existing: dict | None) -> None:
        """Side effects on other records (payments moving invoice balances)."""

    def after_delete(self, ctx: "RuleContext", row: dict) -> None:
        """Undo side effects of a deleted record."""

    def apply(self, ctx: "RuleContext", row: dict, when: str, details: list["Parsed"]) -> int:
        """Apply what the record has unapplied to documents; payments override this."""
        raise BusinessRuleError(f"{self.label} records cannot be applied.").with_also(could_not("apply", self.label))

    def reverse(self, ctx: "RuleContext", row: dict, when: str | None, memo: str | None, *, void: bool = False) -> int:
        """Reverse (or void) the record; objects that can be reversed override this."""
        raise BusinessRuleError(f"{self.label} records cannot be reversed.").with_also(could_not("reverse", self.label))


Record = Union[Mapping[str, Any], Iterable[tuple[str, Any]]]  # field -> value, in order


def _label(name: str) -> str:
    """``PAYTO.MAILADDRESS.ADDRESS3`` -> ``Pay to address3``-like labels for fields only named."""
    return " ".join(part.replace("_", " ").capitalize() for part in name.split("."))


def _is_group(name: str, known: Mapping[str, Field]) -> bool:
    """``DISPLAYCONTACT`` (or ``DISPLAYCONTACT.MAILADDRESS``) groups dotted fields of ``known``."""
    prefix = name + "."
    return any(key.startswith(prefix) for key in known)


def _pairs(record: Record) -> Iterable[tuple[str, Any]]:
    return record.items() if isinstance(record, Mapping) else record


def nested_record(obj: "ObjectType", data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A record written the way 3.0 create XML nests it, as Python data (company files, seeds,
    fixtures): ``{"NAME": "x", "DISPLAYCONTACT": {"PRINTAS": "y"}, "APBILLITEMS": {"APBILLITEM":
    [{...}]}}`` -> ``[("NAME", "x"), ("DISPLAYCONTACT.PRINTAS", "y"), ("APBILLITEMS", [[...]])]``.
    A list repeats its key (the last one wins); ``True``/``False`` become ``true``/``false``."""
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if obj.lines is not None and key == obj.lines.collection:
            for each in value if isinstance(value, list) else [value]:  # a repeated collection: the last counts
                out.append((key, _nested_lines(obj.lines, each)))
        elif isinstance(value, list):
            for item in value:
                out.extend(_grouped(key, item) if isinstance(item, Mapping) else [(key, _text(item))])
        elif isinstance(value, Mapping):
            out.extend(_grouped(key, value))
        else:
            out.append((key, _text(value)))
    return out


def _nested_lines(spec: "LineSpec", value: Any) -> list[list[tuple[str, Any]]]:
    items = value.items() if isinstance(value, Mapping) else []
    lines: list[list[tuple[str, Any]]] = []
    for tag, entries in items:
        if tag != spec.element:
            raise QueryError(f"{tag} is not a valid child of {spec.collection}")
        for entry in entries if isinstance(entries, list) else [entries]:
            lines.append(nested_record(spec.object, entry) if isinstance(entry, Mapping) else [])
    return lines


def _grouped(prefix: str, value: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if not value:
        return [(prefix, "")]
    out: list[tuple[str, Any]] = []
    for key, inner in value.items():
        items = inner if isinstance(inner, list) else [inner]
        for item in items:
            out.extend(_grouped(f"{prefix}.{key}", item) if isinstance(item, Mapping) else [(f"{prefix}.{key}", _text(item))])
    return out


def _text(value: Any) -> str:
    return "" if value is None else ("true" if value is True else "false" if value is False else str(value))


def nest(entries: list[tuple[str, str]]) -> list:
    """Turn dotted names back into nested groups, keeping first-seen order."""
    out: list = []
    groups: dict[str, list] = {}
    for name, value in entries:
        if "." not in name:
            out.append((name, value))
            continue
        head, rest = name.split(".", 1)
        if head not in groups:
            groups[head] = []
            out.append((head, groups[head]))
        groups[head].append((rest, value))
    return [(n, nest(v) if isinstance(v, list) else v) for n, v in out]


TRX_TOTALS = (("TOTALENTERED", "total"), ("TOTALPAID", "total paid"), ("TOTALDUE", "total due"),
              ("TOTALSELECTED", "total selected"))


def with_trx_totals(values: dict) -> dict:
    """The transaction-currency totals beside the base ones. The emulated companies keep one
    currency, so a document's TRX_TOTAL* equal its TOTAL* (as Intacct shows a base-currency bill);
    every write of a document's totals goes through here so the two never drift."""
    for name, _ in TRX_TOTALS:
        if name in values:
            values[f"TRX_{name}"] = values[name]
    return values


def money_sum(values: Iterable[float | None]) -> float:
    return round(sum(v or 0.0 for v in values), 2)
