"""Field types: how one Intacct field is read from XML, stored in SQLite, rendered and queried.

Objects are declared as tables of ``Field`` values (stripe-mock's "declare, then emulate"), so
validation, storage columns, ``inspect``/``lookup`` output and query coercion all come from one
place. Storage formats are chosen so SQLite compares them correctly: dates as ISO text, money as
REAL rounded to cents, enums as Intacct's stored codes (``T``/``F``, ``A`` for Posted ...).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence


class FieldType(enum.Enum):
    TEXT = "TEXT"
    INTEGER = "INTEGER"
    DECIMAL = "DECIMAL"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"
    BOOLEAN = "BOOLEAN"
    ENUM = "ENUM"

    @property
    def sql_type(self) -> str:
        return {"INTEGER": "INTEGER", "DECIMAL": "REAL"}.get(self.value, "TEXT")


class ValueFormatError(ValueError):
    """A value that does not fit its field's type; callers turn it into the right Intacct error."""


_MDY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_MDY_HMS = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

BOOLEAN_CODES = (("T", "true"), ("F", "false"))
STATUS_CODES = (("T", "active"), ("F", "inactive"))


SQLITE_INTEGER_MAX = 2**63 - 1
_WHOLE = re.compile(r"^[0-9]{1,19}$")


def _digits(text: str) -> str:
    """``text`` for ``int()``/``float()``, refusing what Python accepts and Intacct would not:
    underscores between digits (``1_000``) and non-ASCII digits (``١٢``)."""
    if "_" in text or not text.isascii():
        raise ValueError(text)
    return text


def parse_whole(text: str | None) -> int | None:
    """An ASCII whole number that fits SQLite's INTEGER (keys, offsets), or None."""
    if text is None or not _WHOLE.match(text.strip()):
        return None
    value = int(text.strip())
    return value if value <= SQLITE_INTEGER_MAX else None


def parse_mdy(text: str) -> date:
    """'MM/DD/YYYY' (padding optional), the format of every 3.0 date field."""
    m = _MDY.match(text)
    if not m:
        raise ValueFormatError(f"'{text}' is not a date in MM/DD/YYYY format")
    month, day, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueFormatError(f"'{text}' is not a valid date") from exc


def parse_mdy_hms(text: str) -> datetime:
    """'MM/DD/YYYY HH:MM:SS' (seconds optional) or a bare date (midnight)."""
    m = _MDY_HMS.match(text)
    if not m:
        return datetime.combine(parse_mdy(text), datetime.min.time())
    month, day, year, hour, minute = (int(g) for g in m.groups()[:5])
    second = int(m.group(6) or 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValueFormatError(f"'{text}' is not a valid date and time") from exc


def format_money(value: float) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class Field:
    """One field of an Intacct object.

    ``codes`` holds (stored code, label) pairs for ENUM and BOOLEAN fields: records store the
    code, 3.0 output and ``query`` filters use the label, ``readByQuery`` filters use the code.
    """

    name: str
    type: FieldType = FieldType.TEXT
    label: str = ""
    required: bool = False
    readonly: bool = False
    max_length: int | None = None
    codes: tuple[tuple[str, str], ...] = ()
    custom: bool = False
    default: Any = None
    description: str = ""
    writeonly: bool = False  # accepted on input, never shown (ACTION)

    def __post_init__(self) -> None:
        if self.type is FieldType.BOOLEAN and not self.codes:
            object.__setattr__(self, "codes", BOOLEAN_CODES)
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " ").title())

    # ----------------------------------------------------------------- input (request XML)

    def from_input(self, text: str) -> Any:
        """Convert request text to the stored value; raises ValueFormatError."""
        t = self.type
        if text is None:
            return None
        text = text.strip()
        if text == "":
            return None
        if t is FieldType.TEXT:
            if self.max_length and len(text) > self.max_length:
                raise ValueFormatError(f"{self.name} is longer than {self.max_length} characters")
            return text
        if t is FieldType.INTEGER:
            try:
                value = int(_digits(text))
            except ValueError as exc:
                raise ValueFormatError(f"'{text}' is not a valid integer for {self.name}") from exc
            if abs(value) > SQLITE_INTEGER_MAX:
                raise ValueFormatError(f"'{text}' is out of range for {self.name}")
            return value
        if t is FieldType.DECIMAL:
            try:
                value = float(_digits(text.replace(",", "")))
            except ValueError as exc:
                raise ValueFormatError(f"'{text}' is not a valid number for {self.name}") from exc
            if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e13:
                raise ValueFormatError(f"'{text}' is out of range for {self.name}")
            return round(value, 2)
        if t is FieldType.DATE:
            m = _ISO_DATE.match(text)
            if not m:
                return parse_mdy(text).isoformat()
            try:  # an ISO-shaped value with an impossible month or day is bad input, not a crash
                return date(*map(int, m.groups())).isoformat()
            except ValueError as exc:
                raise ValueFormatError(f"'{text}' is not a valid date") from exc
        if t is FieldType.TIMESTAMP:
            return parse_mdy_hms(text).isoformat(sep=" ")
        # ENUM / BOOLEAN: accept code or label, case-insensitively
        return self.code_for(text, accept_codes=True, accept_labels=True)

    def code_for(self, text: str, *, accept_codes: bool, accept_labels: bool, case_insensitive: bool = True) -> str:
        norm = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
        for code, label in self.codes:
            if accept_labels and norm(label) == norm(text):
                return code
            if accept_codes and norm(code) == norm(text):
                return code
        if self.type is FieldType.BOOLEAN and text.lower() in ("1", "0", "yes", "no"):
            return "T" if text.lower() in ("1", "yes") else "F"
        raise ValueFormatError(f"'{text}' is not a valid value for {self.name}")

    # ----------------------------------------------------------------- output (response XML)

    def to_output(self, value: Any) -> str:
        """Render a stored value the way 3.0 functions show it."""
        if value is None:
            return ""
        t = self.type
        if t is FieldType.DATE:
            y, m, d = str(value)[:10].split("-")
            return f"{m}/{d}/{y}"
        if t is FieldType.TIMESTAMP:
            s = str(value)
            y, m, d = s[:10].split("-")
            return f"{m}/{d}/{y} {s[11:19]}"
        if t is FieldType.DECIMAL:
            return format_money(float(value))
        if t in (FieldType.ENUM, FieldType.BOOLEAN):
            return self.label_for(value)
        return str(value)

    def label_for(self, code: str) -> str:
        for c, label in self.codes:
            if c == code:
                return label
        return str(code)

    @property
    def labels(self) -> Sequence[str]:
        return [label for _, label in self.codes]

    # ----------------------------------------------------------------- queries

    def query_literal(self, text: str, *, dialect: str, case_insensitive: bool = False) -> Any:
        """Coerce a literal from a query to the stored form.

        dialect ``"readByQuery"``: enums/booleans compare with stored codes; dates must be
        'MM/DD/YYYY' or 'MM/DD/YYYY HH:MM:SS' (ISO literals fail, as on the real gateway).
        dialect ``"query"``: enums compare with labels; a code raises ValueFormatError.
        Raises ValueFormatError for anything that does not fit.
        """
        t = self.type
        if t is FieldType.DATE:
            return parse_mdy_hms(text).date().isoformat() if _MDY_HMS.match(text) else parse_mdy(text).isoformat()
        if t is FieldType.TIMESTAMP:
            return parse_mdy_hms(text).isoformat(sep=" ")
        if t is FieldType.INTEGER:
            try:
                value = int(_digits(text))
            except ValueError as exc:
                raise ValueFormatError(f"'{text}' is not an integer") from exc
            if abs(value) > SQLITE_INTEGER_MAX:
                raise ValueFormatError(f"'{text}' is out of range")
            return value
        if t is FieldType.DECIMAL:
            try:
                return float(_digits(text))
            except ValueError as exc:
                raise ValueFormatError(f"'{text}' is not a number") from exc
        if t in (FieldType.ENUM, FieldType.BOOLEAN):
            if dialect == "readByQuery":
                return text  # stored codes, compared as written
            return self.code_for(text, accept_codes=False, accept_labels=True, case_insensitive=case_insensitive)
        return text


@dataclass(frozen=True)
class Column:
    """What a query compiler needs to know about one queryable name."""

    sql: str  # an SQL expression, e.g. '"VENDORID"' or json_extract(...)
    field: Field


def text(name: str, **kw: Any) -> Field:
    return Field(name, FieldType.TEXT, **kw)


def integer(name: str, **kw: Any) -> Field:
    return Field(name, FieldType.INTEGER, **kw)


def money(name: str, **kw: Any) -> Field:
    return Field(name, FieldType.DECIMAL, **kw)


def day(name: str, **kw: Any) -> Field:
    return Field(name, FieldType.DATE, **kw)


def stamp(name: str, **kw: Any) -> Field:
    return Field(name, FieldType.TIMESTAMP, readonly=True, **kw)


def flag(name: str, **kw: Any) -> Field:
    return Field(name, FieldType.BOOLEAN, **kw)


def choice(name: str, codes: Sequence[tuple[str, str]], **kw: Any) -> Field:
    return Field(name, FieldType.ENUM, codes=tuple(codes), **kw)


def readonly_texts(*names: str) -> tuple[Field, ...]:
    """Real fields an object reports but the emulator does not maintain (always empty)."""
    return tuple(Field(n, FieldType.TEXT, readonly=True) for n in names)


def status() -> Field:
    return choice("STATUS", STATUS_CODES, label="Status", default="T")

