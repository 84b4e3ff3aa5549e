"""Everything a function handler may use: the session's books, company, user and settings.

Handlers get this one object and nothing from Flask, so the same handlers run under the HTTP
server, the WSGI transport of the reference client and plain unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from ..clock import Clock
from ..company.model import CompanyConfig, User
from ..config import Settings
from ..errors import PermissionDeniedError
from ..objects.base import ObjectType
from ..objects.fields import Field
from ..objects.registry import object_type
from ..store.books import Books
from ..store.unit import Deferred, UnitOfWork
from .record_cache import RecordCache

WRITE_OPERATIONS = ("CREATE", "UPDATE", "DELETE")


@dataclass
class FunctionContext:
    books: Books
    company: CompanyConfig
    custom: dict[str, dict[str, Field]]
    user: User
    entity: str | None
    settings: Settings
    clock: Clock
    senderid: str
    endpoint: str
    controlid: str = ""
    sessionid: str | None = None
    issue_session: Callable[[str | None], tuple[str, str]] | None = None  # getAPISession hook: (sessionid, entity)
    unit: UnitOfWork | None = None  # the request's unit of work: savepoints and deferred writes
    pretty: bool = True  # the request's includewhitespace: list functions render records ahead with it
    record_cache: RecordCache | None = None  # rendered readByQuery records kept between requests

    def defer(self, write: Deferred) -> None:
        """A write to make when the request's unit of work commits (result sets, session slides)."""
        assert self.unit is not None, "no unit of work: this context cannot write"
        self.unit.defer(write)

    def custom_fields(self, obj_name: str) -> dict[str, Field]:
        return self.custom.get(obj_name, {})

    def object(self, name: str) -> ObjectType:
        return object_type(name)

    def today(self) -> date:
        return self.clock.now().date()

    def bank_accounts(self) -> list[str]:
        return self.company.bank_accounts

    def label_of(self, obj: ObjectType, field_name: str, code: Any) -> str:
        f = obj.fields.get(field_name)
        return f.to_output(code) if f else str(code)

    def require(self, operation: str, obj: ObjectType) -> None:
        """Role permission per module: 'none' blocks everything, 'read' blocks writes."""
        level = self.user.access(obj.module)
        if level == "none" or (level == "read" and operation in WRITE_OPERATIONS):
            raise PermissionDeniedError(operation, obj.line_of or obj.name)
