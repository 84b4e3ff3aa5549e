"""What an object's rules may ask of the world: the protocols ``prepare``/``after_write`` hooks see.

Declared here, beside the rules, so objects depend on nothing above them: the core
(``functions/context.py``) and the store (``store/books.py``) provide the real thing. Only these
names are used by rules; anything else a rule needs is added here first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from ..company.model import CompanyConfig
    from .base import ObjectType
    from .fields import Field


class BooksView(Protocol):
    """One company's records as one session sees them, inside the request's transaction."""

    now: str  # 'YYYY-MM-DD HH:MM:SS' for WHENMODIFIED and audit stamps

    def get(self, obj: "ObjectType | str", recordno: int) -> dict[str, Any] | None: ...

    def by_id(self, obj: "ObjectType | str", value: str) -> dict[str, Any] | None: ...

    def is_active(self, obj: "ObjectType | str", value: str) -> bool: ...

    def prefetch_active(self, obj: "ObjectType | str", values: Iterable[Any]) -> None: ...

    def exists_anywhere(self, obj: "ObjectType", field: str, value: Any) -> bool: ...

    def number_taken(self, obj: "ObjectType", number: str, party: tuple[str, Any] | None = None) -> bool: ...

    def first_where(self, obj: "ObjectType | str", field: str, value: Any) -> dict[str, Any] | None: ...

    def lines(self, line_obj: "ObjectType", parent: int) -> list[dict[str, Any]]: ...

    def update(self, obj: "ObjectType", recordno: int, values: dict[str, Any],
               custom: dict[str, Any] | None = None) -> None: ...

    def delete(self, obj: "ObjectType", recordno: int) -> None: ...

    def insert(self, obj: "ObjectType", values: dict[str, Any], custom: dict[str, Any] | None = None) -> int: ...

    def replace_lines(self, line_obj: "ObjectType", parent: int,
                      lines: Iterable[tuple[dict[str, Any], dict[str, Any]]], *, fresh: bool = False) -> None: ...


class RuleContext(Protocol):
    """The session a rule runs for."""

    books: BooksView
    company: "CompanyConfig"
    entity: str | None

    def custom_fields(self, obj_name: str) -> "dict[str, Field]": ...

    def object(self, name: str) -> "ObjectType": ...

    def bank_accounts(self) -> list[str]: ...

    def label_of(self, obj: "ObjectType", field_name: str, code: Any) -> str: ...
