"""Named Intacct errors for ``intacct_error`` faults, each built from the one error model.

A preset raises the same typed error the emulator raises when the condition really occurs, so
an injected ``numbering_collision`` is byte-for-byte what a real collision renders.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..errors import (
    BatchKeyRequiredError,
    DocumentNumberExistsError,
    IntacctError,
    InvalidSessionError,
    IpNotAllowedError,
    PeriodClosedError,
    UnknownFieldError,
    RecordNotFoundError,
    SenderNotAuthorizedError,
    TooManyOperationsError,
    could_not,
)


def _numbering_collision(ctx: dict) -> IntacctError:
    number = ctx.get("document_number") or "UNKNOWN"
    return DocumentNumberExistsError(number).with_also(could_not("create", ctx.get("label") or "Bill"))


def _unknown_field(ctx: dict) -> IntacctError:
    field = ctx.get("field") or "UNKNOWN_FIELD"
    obj = ctx.get("object") or "OBJECT"
    return UnknownFieldError(field, obj)


def _record_deleted(ctx: dict) -> IntacctError:
    return RecordNotFoundError(
        f"The {ctx.get('label') or 'record'} you are trying to access has been deleted or does not exist."
    )


PRESETS: dict[str, Callable[[dict], IntacctError]] = {
    "numbering_collision": _numbering_collision,
    "unknown_field": _unknown_field,
    "missing_batch_key": lambda ctx: BatchKeyRequiredError(),
    "invalid_session": lambda ctx: InvalidSessionError(ctx.get("sessionid") or ""),
    "sender_not_authorized": lambda ctx: SenderNotAuthorizedError(ctx.get("senderid") or "", ctx.get("company") or ""),
    "ip_not_allowed": lambda ctx: IpNotAllowedError(ctx.get("remote_addr") or "0.0.0.0"),
    "concurrency_limit": lambda ctx: TooManyOperationsError(),
    "period_closed": lambda ctx: PeriodClosedError(ctx.get("date") or "01/31/2026"),
    "record_deleted": _record_deleted,
}


def build_error(action: dict, context: dict) -> IntacctError:
    """The error an ``intacct_error`` action raises: a preset, or free errorno/description/correction."""
    preset = action.get("preset")
    if preset:
        err = PRESETS[preset](context)
        overrides = {k: action[k] for k in ("errorno", "description", "description2", "correction") if k in action}
        if overrides:  # a preset with one text changed, e.g. the exact number from a ticket
            err.first = replace(err.first, **overrides)
        return err
    return IntacctError(
        action.get("description2", ""),
        errorno=action.get("errorno", "BL01001973"),
        description=action.get("description", ""),
        correction=action.get("correction", ""),
    )
