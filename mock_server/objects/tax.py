"""Tax for VAT/GST companies: tax details (TAXDETAIL) and the tax entry each document line carries.

A company with a ``tax_solution`` (``UK VAT``, ``AU GST`` ...) is a tax company: every line of its
bills, invoices and adjustments names a tax detail of its solution in
``TAXENTRIES/TAXENTRY/DETAILID``, of the right type (Purchase for AP, Sale for AR). The tax is
the line amount at the detail's rate, rounded half up to the cent; a tax the client sends is kept
when it is within the company's ``tax_rounding_tolerance`` of that (a rounding difference, as
Intacct books to the rounding account), refused beyond it. Document totals include tax.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..errors import BusinessRuleError, ErrorDetail, InvalidReferenceError, RequestValidationError
from .fields import choice, money, stamp, status, text
from .master import MasterDataType

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

DETAIL = "TAXENTRIES.TAXENTRY.DETAILID"
TAX = "TAXENTRIES.TAXENTRY.TRX_TAX"
RATE = "TAXENTRIES.TAXENTRY.TAXRATE"
TAX_TYPES = (("Sale", "Sale"), ("Purchase", "Purchase"))


def line_tax_fields():
    """What each document line carries of its tax entry (one entry per line)."""
    return (text(DETAIL, label="Tax detail"), money(TAX, label="Transaction tax"),
            money(RATE, label="Tax rate", readonly=True))


class TaxDetail(MasterDataType):
    name, label, module, id_field = "TAXDETAIL", "Tax Detail", "CO", "DETAILID"
    name_field = "DESCRIPTION"
    private_in_entity = False
    summary_fields = ("DETAILID", "TAXTYPE", "VALUE", "TAXSOLUTIONID", "STATUS")
    own_fields = (
        text("DETAILID", label="Tax detail ID", required=True, max_length=100),
        text("DESCRIPTION", label="Description"), choice("TAXTYPE", TAX_TYPES, label="Tax type", required=True),
        money("VALUE", label="Rate (percent)", required=True), text("TAXSOLUTIONID", label="Tax solution"),
        text("GLACCOUNT", label="Tax GL account"), status(), stamp("WHENCREATED", label="When created"),
    )


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_line_tax(ctx: "RuleContext", n: int, values: dict, tax_type: str, wrap: ErrorDetail) -> float:
    """Validate and derive one line's tax in a tax company; returns the tax (0 elsewhere)."""
    solution = ctx.company.tax_solution
    if not solution:
        return 0.0
    detail_id = values.get(DETAIL)
    if not detail_id:
        raise RequestValidationError(
            f"Line {n}: a tax detail is required (TAXENTRIES/TAXENTRY/DETAILID): this company uses tax solution {solution}.",
            correction="Give each line the tax detail it is taxed under.",
        ).with_also(wrap)
    detail = ctx.books.by_id("TAXDETAIL", detail_id)
    if detail is None or detail.get("STATUS") != "T" or (detail.get("TAXSOLUTIONID") or solution) != solution:
        raise InvalidReferenceError("Tax Detail", detail_id).with_also(wrap)
    if detail.get("TAXTYPE") != tax_type:
        raise BusinessRuleError(
            f"Line {n}: tax detail {detail_id} is a {detail.get('TAXTYPE')} tax detail; this document takes "
            f"{tax_type} tax details.").with_also(wrap)
    rate = Decimal(str(detail.get("VALUE") or 0))
    expected = _cents(Decimal(str(values.get("TRX_AMOUNT") or 0)) * rate / 100)
    given = values.get(TAX)
    tolerance = Decimal(str(ctx.company.tax_rounding_tolerance))
    if given is not None and abs(Decimal(str(given)) - expected) > tolerance:
        raise BusinessRuleError(
            f"Line {n}: the tax {Decimal(str(given)):.2f} differs from {expected:.2f}, the amount at tax detail "
            f"{detail_id}'s rate of {rate}%, by more than {tolerance}.",
            correction="Send the tax at the detail's rate, or leave it out for Intacct to compute.",
        ).with_also(wrap)
    tax = float(_cents(Decimal(str(given)))) if given is not None else float(expected)
    values[TAX], values[RATE] = tax, float(rate)
    return tax


OBJECTS = (TaxDetail(),)
