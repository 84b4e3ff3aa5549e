"""The error model: an ``IntacctError`` carries its details and its scope, and renders itself.

The catalogue of concrete errors is in ``front.py`` (gateway, control and authentication levels)
and ``results.py`` (inside a function's result).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar, Sequence

from ..xmlwriter import XmlBuilder

GENERIC_BL = "BL01001973"


class Scope(enum.Enum):
    """Where in the response an error is rendered (protocol notes section 4.2, column 'lvl')."""

    GATEWAY = "gateway"  # bare <control><status>failure</status></control>, non-200 HTTP
    CONTROL = "control"  # <errormessage> directly under <response>; nothing ran
    AUTHENTICATION = "authentication"  # under <operation>; no function ran
    RESULT = "result"  # inside one <result>


@dataclass(frozen=True)
class ErrorDetail:
    """One ``<error>`` element."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""


class IntacctError(Exception):
    """Base of every error the gateway can answer with."""

    scope: ClassVar[Scope] = Scope.RESULT
    errorno: ClassVar[str] = GENERIC_BL
    http_status: ClassVar[int] = 200
    description: ClassVar[str] = ""
    correction: ClassVar[str] = ""
    # A control-level error answers with the request's control block echoed, except where the
    # real gateway empties it (the expired demo company: senderid and controlid blank, nothing else).
    echoes_control: ClassVar[bool] = True
    reply: object | None = None  # partial <data> a failed function still shows (multi-object create)
    partial: bool = False  # earlier objects of this function were written and stay (unless transaction=true)

    def __init__(
        self,
        description2: str = "",
        *,
        errorno: str | None = None,
        description: str | None = None,
        correction: str | None = None,
        also: Sequence[ErrorDetail] = (),
    ) -> None:
        super().__init__(description2 or description or errorno or self.errorno)
        self.first = ErrorDetail(
            errorno=errorno if errorno is not None else self.errorno,
            description=description if description is not None else self.description,
            description2=description2,
            correction=correction if correction is not None else self.correction,
        )
        self.also: tuple[ErrorDetail, ...] = tuple(also)

    @property
    def details(self) -> tuple[ErrorDetail, ...]:
        return (self.first, *self.also)

    def with_also(self, *more: ErrorDetail) -> "IntacctError":
        """Append generic wrapper errors (e.g. 'Could not create X record!'), most specific first."""
        self.also = self.also + tuple(more)
        return self

    def write_errormessage(self, xml: XmlBuilder) -> None:
        """Render ``<errormessage>`` with one ``<error>`` per detail, in order."""
        xml.open("errormessage")
        for d in self.details:
            xml.open("error")
            xml.leaf("errorno", d.errorno)
            xml.leaf("description", d.description)
            if self.scope is not Scope.GATEWAY:
                xml.leaf("description2", d.description2)
                xml.leaf("correction", d.correction)
            xml.close()
        xml.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.first.errorno!r}, {self.first.description2!r})"


def mask_session(sessionid: str) -> str:
    """``***`` plus the last six characters: enough to tell sessions apart, useless to replay one."""
    sessionid = sessionid.strip()
    return f"***{sessionid[-6:]}" if sessionid else ""


def could_not(verb: str, label: str) -> ErrorDetail:
    """The generic wrapper Intacct appends after the specific error ('Could not create Customer record!')."""
    return ErrorDetail(GENERIC_BL, "", f"Could not {verb} {label} record!", "")
