"""Map query field names to SQL expressions for one object: own columns, custom fields, relations.

Only names found in the object's declaration (or the company's custom fields) ever reach SQL,
quoted; values always travel as parameters. A dotted name crosses one many-to-one relation
(``VENDOR.NAME`` on APBILL) through a correlated sub-select, as ``query`` allows.
"""

from __future__ import annotations

from typing import Callable, Mapping

from ..errors import UnknownFieldError
from ..objects.base import ObjectType
from ..objects.fields import Column, Field
from ..objects.registry import object_type
from .schema import q


def resolver(obj: ObjectType, fields: Mapping[str, Field], alias: str = "t", joins: bool = True) -> Callable[[str], Column]:
    """``fields``: the object's fields as this company has them (declared plus custom). ``joins``:
    whether dotted paths may cross to related objects (``query``: yes; ``readByQuery``: no, as
    Intacct documents "joins are not supported" there)."""

    def resolve(name: str) -> Column:
        key = name.strip().upper()
        f = fields.get(key)
        if f is not None:
            if f.custom:
                return Column(f"json_extract({alias}._CUSTOM, '$.\"{key}\"')", f)
            return Column(f"{alias}.{q(key)}", f)
        if "." in key and joins:
            head, rest = key.split(".", 1)
            rel = obj.relation(head)
            if rel is not None:
                target = object_type(rel.object)
                tf = target.fields.get(rest)
                if tf is not None and not tf.custom:
                    remote = rel.remote or ("RECORDNO" if rel.local.endswith("KEY") else target.id_field or "RECORDNO")
                    sql = (
                        f"(SELECT r.{q(rest)} FROM {q(target.name)} AS r WHERE r._COMPANY = {alias}._COMPANY"
                        f" AND r.{q(remote)} = {alias}.{q(rel.local)} LIMIT 1)"
                    )
                    return Column(sql, tf)
        raise UnknownFieldError(key, obj.name)

    return resolve
