"""A company's custom fields as ``Field`` declarations, so they validate, store and render like
declared ones (``ISCUSTOM`` true in ``inspect``)."""

from __future__ import annotations

from ..company.model import CompanyConfig
from .fields import Field, FieldType

_CUSTOM_TYPES = {
    "text": FieldType.TEXT,
    "integer": FieldType.INTEGER,
    "decimal": FieldType.DECIMAL,
    "date": FieldType.DATE,
    "boolean": FieldType.BOOLEAN,
}

CustomFields = dict[str, dict[str, Field]]  # OBJECT -> {NAME: Field}


def custom_field_map(company: CompanyConfig) -> CustomFields:
    """OBJECT -> {NAME: Field} for the company's custom fields (built once per config version)."""
    return {
        obj: {
            c.name.upper(): Field(
                c.name.upper(), _CUSTOM_TYPES[c.type], label=c.label or c.name, required=c.required, custom=True
            )
            for c in cfs
        }
        for obj, cfs in company.custom_fields.items()
    }
