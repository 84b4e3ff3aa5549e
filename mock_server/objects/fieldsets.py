"""The field sets real Intacct answers, read off captured answers (``fieldsets.json``).

For each object the file holds the fields a ``*`` read returns, in Intacct's order, and the
``lookup`` relationships a ``query`` may cross (``VENDOR.NAME`` on APBILL). Each object names the
captured answer it was read from; the capturing company's own custom fields and user-defined
dimensions were left out. ``ObjectType`` takes its ``*`` order from here and declares every
field it does not model as plain text: stored as written, no rules, so an integration that reads
or writes it sees what it would see in Intacct.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class FieldSet:
    fields: tuple[str, ...]
    relationships: tuple[tuple[str, str, str], ...]  # (object path, related object, field it relates by)
    source: str


@lru_cache(maxsize=1)
def _all() -> dict[str, FieldSet]:
    raw = json.loads(resources.files(__package__).joinpath("fieldsets.json").read_text(encoding="utf-8"))
    return {
        name: FieldSet(tuple(entry["fields"]), tuple(tuple(r) for r in entry["relationships"]), entry["source"])
        for name, entry in raw.items() if not name.startswith("_")
    }


def real_field_set(object_name: str) -> FieldSet | None:
    return _all().get(object_name)
