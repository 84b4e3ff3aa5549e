"""A company's configuration: who may sign in, what they may do, and the rules its books enforce.

Loaded from YAML (``--company-file``), built by the seeder, or (later) set through the admin API.
Stored as JSON in the database so every worker process sees the same configuration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Mapping

# receivables, payables, ledger, company/dimensions, projects, order entry, inventory (items)
MODULES = ("AR", "AP", "GL", "CO", "PA", "OE", "INV")
SEED_USER = "__seed__"  # writes a company's fixture records; full access whatever the company's security
ACCESS_LEVELS = ("full", "read", "none")
SUMMARY_FREQUENCIES = ("Daily", "Monthly", "User-defined")
CUSTOM_FIELD_TYPES = ("text", "integer", "decimal", "date", "boolean")


class ConfigError(ValueError):
    """A company configuration that cannot be used; the message names the offending key."""


@dataclass
class User:
    userid: str
    password: str
    status: str = "active"  # active | inactive | locked
    ws_only: bool = True  # a Web Services-only user (cannot sign in to the UI)
    permissions: dict[str, str] = field(default_factory=dict)  # module -> full|read|none; missing = full
    entities: list[str] = field(default_factory=list)  # restricted to these entities; empty = all
    allowed_ips: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # in a role-based company, what it may do comes from these

    def access(self, module: str) -> str:
        return self.permissions.get(module, "full")


@dataclass
class Entity:
    id: str
    name: str


@dataclass
class CustomField:
    name: str  # integration name, e.g. PROJECT_CODE
    type: str = "text"
    label: str = ""
    required: bool = False


@dataclass
class CompanyConfig:
    company_id: str
    name: str = ""
    senders: list[str] = field(default_factory=lambda: ["mock-sender"])
    oauth_clients: dict[str, str] = field(default_factory=lambda: {"mock-client": "mock-client-secret"})  # REST
    ip_allowlist: list[str] = field(default_factory=list)  # empty: any IP
    users: list[User] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)  # non-empty: a multi-entity company
    custom_fields: dict[str, list[CustomField]] = field(default_factory=dict)  # OBJECT -> fields
    closed_through: str | None = None  # 'YYYY-MM-DD': every period ending on or before is closed
    closed_periods: list[str] = field(default_factory=list)  # 'YYYY-MM' months closed individually
    ar_payment_summary_frequency: str = "Daily"
    ap_payment_summary_frequency: str = "Daily"
    ap_bill_summary_frequency: str = "Daily"  # User-defined: every bill names an open APBILLBATCH
    reject_duplicate_document_numbers: bool = True
    base_currency: str = "USD"
    currencies: list[str] = field(default_factory=lambda: ["USD"])
    bank_accounts: list[str] = field(default_factory=lambda: ["BOA"])  # FINANCIALENTITY ids
    terms: dict[str, int] = field(default_factory=lambda: {"N30": 30, "N15": 15, "N60": 60, "Due on receipt": 0})
    # Order Entry transaction definitions: name -> {"posts_to_ar": bool, "prefix": numbering prefix}
    so_transaction_definitions: dict[str, dict[str, Any]] = field(default_factory=lambda: {
        "Sales Order": {"posts_to_ar": False, "prefix": "SO-"},
        "Sales Invoice": {"posts_to_ar": True, "prefix": "INV-"},
    })
    journals: dict[str, str] = field(default_factory=lambda: {"GJ": "General Journal", "ADJ": "Adjustments Journal"})
    vendor_requires_currency: bool = False
    vendor_requires_terms: bool = False
    session_timeout_seconds: int | None = None
    expired: bool = False
    tax_solution: str | None = None  # set: a VAT/GST company, its document lines carry tax entries
    tax_rounding_tolerance: float = 0.05  # a line's sent tax may differ from the rate's by this much
    web_services: bool = True  # False: the company never subscribed to Web Services; every login is refused
    # "user": each user's own permissions; "role": permissions come from the roles assigned to users only
    security: str = "user"
    roles: dict[str, dict[str, str]] = field(default_factory=dict)  # role name -> module -> full|read|none

    # ------------------------------------------------------------------ rules helpers

    @property
    def multi_entity(self) -> bool:
        return bool(self.entities)

    def access(self, user: User, module: str) -> str:
        """What ``user`` may do in ``module``: its own permissions (missing: full) in a user-based
        company; in a role-based one the widest level any of its roles grants (missing: none)."""
        if self.security != "role" or user.userid == SEED_USER:
            return user.access(module)
        rank = {"none": 0, "read": 1, "full": 2}
        levels = [self.roles.get(role, {}).get(module, "none") for role in user.roles]
        return max(levels, key=rank.__getitem__, default="none")

    def user(self, userid: str) -> User | None:
        wanted = userid.lower()
        return next((u for u in self.users if u.userid.lower() == wanted), None)

    def entity(self, entity_id: str) -> Entity | None:
        wanted = entity_id.lower()
        return next((e for e in self.entities if e.id.lower() == wanted), None)

    def period_closed(self, day: date) -> bool:
        if self.closed_through and day.isoformat() <= self.closed_through:
            return True
        return day.strftime("%Y-%m") in self.closed_periods

    # ------------------------------------------------------------------ (de)serialisation

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CompanyConfig":
        if not isinstance(data, Mapping):
            raise ConfigError("company configuration must be a mapping")
        data = dict(data)
        allowed = set(cls.__dataclass_fields__)
        unknown = set(data) - allowed
        if unknown:
            raise ConfigError(f"unknown company setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(allowed))}")
        if not data.get("company_id"):
            raise ConfigError("company_id is required")
        try:
            data["users"] = [u if isinstance(u, User) else User(**u) for u in data.get("users", [])]
            data["entities"] = [e if isinstance(e, Entity) else Entity(**e) for e in data.get("entities", [])]
            data["custom_fields"] = {
                obj.upper(): [c if isinstance(c, CustomField) else CustomField(**c) for c in cfs]
                for obj, cfs in (data.get("custom_fields") or {}).items()
            }
        except TypeError as exc:
            raise ConfigError(f"bad user, entity or custom field entry: {exc}") from None
        cfg = cls(**data)
        cfg.validate()
        return cfg

    def validate(self) -> None:
        if self.ar_payment_summary_frequency not in SUMMARY_FREQUENCIES:
            raise ConfigError(f"ar_payment_summary_frequency must be one of {SUMMARY_FREQUENCIES}")
        if self.ap_payment_summary_frequency not in SUMMARY_FREQUENCIES:
            raise ConfigError(f"ap_payment_summary_frequency must be one of {SUMMARY_FREQUENCIES}")
        if self.ap_bill_summary_frequency not in SUMMARY_FREQUENCIES:
            raise ConfigError(f"ap_bill_summary_frequency must be one of {SUMMARY_FREQUENCIES}")
        for u in self.users:
            for module, level in u.permissions.items():
                if module not in MODULES or level not in ACCESS_LEVELS:
                    raise ConfigError(
                        f"user {u.userid}: permission {module}={level} (modules {MODULES}, levels {ACCESS_LEVELS})"
                    )
            if u.status not in ("active", "inactive", "locked"):
                raise ConfigError(f"user {u.userid}: status must be active, inactive or locked")
        if self.security not in ("user", "role"):
            raise ConfigError("security must be user or role")
        for role, grants in self.roles.items():
            for module, level in grants.items():
                if module not in MODULES or level not in ACCESS_LEVELS:
                    raise ConfigError(f"role {role}: permission {module}={level} (modules {MODULES}, levels {ACCESS_LEVELS})")
        for u in self.users:
            if u.userid == SEED_USER:
                raise ConfigError(f"user id {SEED_USER} is reserved")
            missing = [r for r in u.roles if r not in self.roles]
            if missing:
                raise ConfigError(f"user {u.userid}: unknown role(s) {', '.join(missing)}")
            if self.security == "role" and u.permissions:
                raise ConfigError(f"user {u.userid}: a role-based company takes permissions from roles; "
                                  "give the user roles instead of permissions")
        for obj, cfs in self.custom_fields.items():
            for c in cfs:
                if c.type not in CUSTOM_FIELD_TYPES:
                    raise ConfigError(f"custom field {obj}.{c.name}: type must be one of {CUSTOM_FIELD_TYPES}")
        if self.closed_through:
            try:
                date.fromisoformat(self.closed_through)
            except ValueError:
                raise ConfigError("closed_through must be a date YYYY-MM-DD") from None
