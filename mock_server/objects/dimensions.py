"""Company rules on dimensions: accounts that require them on a line, and customers or vendors
restricted to some locations or departments. Shared by every object with lines that post."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from ..errors import BusinessRuleError, ErrorDetail

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

# GLACCOUNT flag -> (dimension, its label)
REQUIRED_BY_ACCOUNT = (
    ("REQUIREDEPT", "DEPARTMENT", "department"), ("REQUIRELOC", "LOCATION", "location"),
    ("REQUIREPROJECT", "PROJECT", "project"), ("REQUIRECUSTOMER", "CUSTOMER", "customer"),
    ("REQUIREVENDOR", "VENDOR", "vendor"), ("REQUIRECLASS", "CLASS", "class"),
    ("REQUIREEMPLOYEE", "EMPLOYEE", "employee"), ("REQUIREITEM", "ITEM", "item"),
    ("REQUIREWAREHOUSE", "WAREHOUSE", "warehouse"),
)
LINE_FIELDS = {"DEPARTMENT": "DEPARTMENTID", "LOCATION": "LOCATIONID", "PROJECT": "PROJECTID", "CUSTOMER": "CUSTOMERID",
               "VENDOR": "VENDORID", "CLASS": "CLASSID", "EMPLOYEE": "EMPLOYEEID", "ITEM": "ITEMID",
               "WAREHOUSE": "WAREHOUSEID"}
MULTI = "#~#"  # how multi-select values are joined (the official SDKs' glue)


def check_required(ctx: "RuleContext", n: int, account_no: str, line: Mapping[str, object], wrap: ErrorDetail,
                   fields: Mapping[str, str] = LINE_FIELDS) -> None:
    """A line posting to an account that requires a dimension must carry it."""
    account = ctx.books.by_id("GLACCOUNT", account_no)
    if account is None:
        return
    for flag, dimension, label in REQUIRED_BY_ACCOUNT:
        if account.get(flag) == "T" and not line.get(fields[dimension]):
            raise BusinessRuleError(
                f"Line {n}: GL account {account_no} requires a {label} ({fields[dimension]}).",
                correction=f"Provide {fields[dimension]} on the line, or post to another account.",
            ).with_also(wrap)


def restricted_values(party: Mapping[str, object], field: str) -> list[str]:
    """The locations (or departments) a restricted customer or vendor may be used in; empty: any."""
    if party.get("OBJECTRESTRICTION") != "S":
        return []
    raw = str(party.get(field) or "")
    return [v for v in (p.strip() for p in raw.replace(MULTI, ",").split(",")) if v]


def check_restriction(party_label: str, party: Mapping[str, object], n: int, line: Mapping[str, object],
                      wrap: ErrorDetail, fields: Mapping[str, str] = LINE_FIELDS) -> None:
    for restricted, dimension, label in (("RESTRICTEDLOCATIONS", "LOCATION", "location"),
                                         ("RESTRICTEDDEPARTMENTS", "DEPARTMENT", "department")):
        allowed = restricted_values(party, restricted)
        value = line.get(fields[dimension])
        if allowed and value and value not in allowed:
            raise BusinessRuleError(
                f"Line {n}: {party_label} {party.get(party_label.upper() + 'ID')} is restricted to "
                f"{label}s {', '.join(allowed)} and cannot be used with {label} {value}.",
                correction=f"Use one of its {label}s, or change the restriction.",
            ).with_also(wrap)
