"""What the core's operations and the objects' rules may use: one session's books, company, user.

Protocol-free: each front door builds one per function (the XML gateway extends it with what only
XML functions need, ``gateway/call.py``), and the same rules run under the HTTP server, in-process
callers and plain unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..clock import Clock
from ..company.model import CompanyConfig, User
from ..config import Settings
from ..errors import PermissionDeniedError
from ..objects.base import ObjectType
from ..objects.custom import CustomFields
from ..objects.fields import Field
from ..objects.registry import object_type
from ..store.books import Books
from ..store.unit import Deferred, UnitOfWork

WRITE_OPERATIONS = ("CREATE", "UPDATE", "DELETE")


@dataclass
class CallContext:
    books: Books
    company: CompanyConfig
    custom: CustomFields
    user: User
    entity: str | None
    settings: Settings
    clock: Clock
    unit: UnitOfWork | None = None  # the request's unit of work: savepoints and deferred writes
    owner: str = ""  # whose result sets these are: the session id, or the user for a login request

    def defer(self, write: Deferred) -> None:
        """A write to make when the request's unit of work commits (result sets, session slides)."""
        assert self.unit is not None, "no unit of work: this context cannot write"
        self.unit.defer(write)

    def custom_fields(self, obj_name: str) -> dict[str, Field]:
        return self.custom.get(obj_name, {})

    def fields_of(self, obj: ObjectType) -> dict[str, Field]:
        """The object's fields as this company has them: declared plus custom."""
        return obj.all_fields(self.custom_fields(obj.name))

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
        level = self.company.access(self.user, obj.module)
        if level == "none" or (level == "read" and operation in WRITE_OPERATIONS):
            raise PermissionDeniedError(operation, obj.line_of or obj.name)
