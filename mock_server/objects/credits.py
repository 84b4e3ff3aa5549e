"""Moving balances: cash and credits applied to documents, and taken back by reversals.

One rule for every balance: a document's TOTALPAID moves by what is applied, TOTALDUE is what
is left, and STATE follows (Posted, Partially Paid, Paid). Credits are adjustments with negative
totals (a credit memo of -40.00 has 40.00 to give); applying 15.00 of it moves its TOTALPAID by
-15.00, so its TOTALDUE goes from -40.00 to -25.00 and it is Paid (fully applied) at 0.00.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import ObjectType, with_trx_totals

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

CENT = 0.005


def move_balance(ctx: "RuleContext", obj: ObjectType, doc: dict, delta: float, when: str | None) -> None:
    """Apply ``delta`` to ``doc`` (negative: take it back); ``when`` dates a full payment."""
    total = float(doc.get("TOTALENTERED") or 0)
    paid = round(float(doc.get("TOTALPAID") or 0) + delta, 2)
    due = round(total - paid, 2)
    if abs(paid) <= CENT:
        state = "A"
    elif abs(due) <= CENT:
        state = "P"
    else:
        state = "PP"
    ctx.books.update(obj, doc["RECORDNO"], with_trx_totals({
        "TOTALPAID": paid, "TOTALDUE": max(due, 0.0) if total >= 0 else min(due, 0.0), "STATE": state,
        "RAWSTATE": state, "WHENPAID": when if state == "P" else None,
    }))


def available_credit(doc: dict) -> float:
    """What a credit (a negative document) still has to give."""
    return round(-float(doc.get("TOTALDUE") or 0), 2)
