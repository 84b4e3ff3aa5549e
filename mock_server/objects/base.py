"""ObjectType: one Intacct object declared as a field table plus a few rule hooks.

The generic functions (create, read, readByQuery, query, inspect ...) work from these
declarations alone; an object module only adds the rules that make it behave like the real
object (derived totals, states, references). Nested groups such as ``DISPLAYCONTACT`` are stored
as dotted columns (``DISPLAYCONTACT.PRINTAS``) and re-nested on output where Intacct nests them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from lxml import etree

from ..errors import ErrorDetail, QueryError, RequestValidationError, could_not
from .fields import Field, FieldType, ValueFormatError, integer, stamp, text

if TYPE_CHECKING:  # pragma: no cover
    from ..functions.context import FunctionContext


@dataclass(frozen=True)
class Relation:
    """A many-to-one link usable in ``query`` dotted paths (``VENDOR.NAME``) and in reference checks."""

    local: str  # field on this object holding the id
    object: str  # related object name
    remote: str  # id field on the related object


@dataclass(frozen=True)
class LineSpec:
    """An owned line collection: input ``<APBILLITEMS><APBILLITEM>``, output lower-case items."""

    collection: str
    element: str
    object: "ObjectType"
    legacy_collection: str = ""
    legacy_element: str = "lineitem"


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
    """Declaration of one object; subclasses override hooks to add behaviour."""

    name: str = ""
    label: str = ""
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
    line_of: str | None = None
    result_fields: Sequence[str] = ()  # extra fields shown after RECORDNO in create/update results

    def __init__(self) -> None:
        seen: dict[str, Field] = {}
        for f in (*SYSTEM_FIELDS, *self.own_fields):
            seen[f.name] = f
        self.fields: dict[str, Field] = seen

    # ------------------------------------------------------------------ field lookup

    def all_fields(self, ctx: "FunctionContext | None" = None) -> dict[str, Field]:
        """Declared fields plus the company's custom fields for this object."""
        if ctx is None:
            return self.fields
        custom = ctx.custom_fields(self.name)
        if not custom:
            return self.fields
        return {**self.fields, **custom}

    @property
    def storage_fields(self) -> list[Field]:
        return [f for name, f in self.fields.items() if name != "RECORDNO"]

    @property
    def result_tag(self) -> str:
        return self.name.lower()

    # ------------------------------------------------------------------ input

    def parse_element(self, el: etree._Element, ctx: "FunctionContext", *, for_update: bool = False) -> Parsed:
        """Read a 3.0 object element into stored values; unknown fields are DL02000001."""
        known = self.all_fields(ctx)
        parsed = Parsed()
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if self.lines and child.tag == self.lines.collection:
                parsed.lines = [
                    self.lines.object.parse_element(item, ctx) for item in child if item.tag == self.lines.element
                ]
                stray = [item.tag for item in child if isinstance(item.tag, str) and item.tag != self.lines.element]
                if stray:
                    raise QueryError(f"{stray[0]} is not a valid child of {self.lines.collection}")
                continue
            for name, value in _flatten(child):
                f = known.get(name)
                if f is None:
                    raise QueryError(f"Field '{name}' does not exist on object {self.name}")
                if f.readonly and name != "RECORDNO":
                    continue  # Intacct ignores read-only fields on input
                try:
                    converted = f.from_input(value)
                except ValueFormatError as exc:
                    raise RequestValidationError(str(exc), correction=f"Check the value of {name}.") from None
                (parsed.custom if f.custom else parsed.values)[name] = converted
        return parsed

    def check_required(self, parsed: Parsed, ctx: "FunctionContext", verb: str = "create") -> None:
        for name, f in self.all_fields(ctx).items():
            if f.required and parsed.values.get(name) in (None, "") and parsed.custom.get(name) in (None, ""):
                raise RequestValidationError(
                    f"Required field '{f.label}' ({name}) is missing.",
                    correction=f"Provide a value for {name}.",
                ).with_also(self.wrapper(verb))

    def wrapper(self, verb: str) -> ErrorDetail:
        """The generic error Intacct appends after the specific one ('Could not create Customer record!')."""
        return could_not(verb, self.label)

    # ------------------------------------------------------------------ hooks (override)

    def prepare(self, ctx: "FunctionContext", parsed: Parsed, existing: dict | None) -> None:
        """Validate and derive values before a create (existing None) or an update."""

    def before_delete(self, ctx: "FunctionContext", row: dict) -> None:
        """Refuse deletes the real object refuses."""

    def after_write(self, ctx: "FunctionContext", recordno: int, parsed: Parsed, existing: dict | None) -> None:
        """Side effects on other records (payments moving invoice balances)."""

    def after_delete(self, ctx: "FunctionContext", row: dict) -> None:
        """Undo side effects of a deleted record."""


def _flatten(el: etree._Element, prefix: str = "") -> Iterable[tuple[str, str]]:
    """``<DISPLAYCONTACT><PRINTAS>x</PRINTAS></DISPLAYCONTACT>`` -> ('DISPLAYCONTACT.PRINTAS', 'x')."""
    name = prefix + el.tag
    kids = [c for c in el if isinstance(c.tag, str)]
    if not kids:
        yield name, (el.text or "")
        return
    for c in kids:
        yield from _flatten(c, name + ".")


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


def money_sum(values: Iterable[float | None]) -> float:
    return round(sum(v or 0.0 for v in values), 2)


def is_type(f: Field, t: FieldType) -> bool:
    return f.type is t
