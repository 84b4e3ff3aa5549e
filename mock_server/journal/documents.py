"""The documents a journal entry names: "did INV-778 reach Intacct, and under which RECORDNO?"

Each function's journal item carries, beside its name and object:

- ``document``: the document number or ID the request itself names (a bill's ``RECORDID``, a
  vendor's ``VENDORID``; what ``gateway/faulting.document_number`` reads), known even when the
  function never ran;
- ``records``: the header records the function wrote, as the books noted them (``Books._note``),
  each ``{object, recordno, action, document}``; a Sales Invoice names its AR invoice too, and
  an edit of one names the AR invoice deleted and the new one created;
- ``recordno``: the record number Intacct answered for the function's own object (or would have,
  when the acknowledgement was lost: the entry is written with the commit, before delivery).

The journal filters by document over these (``store/journal.py``), so "which requests wrote
INV-778" is one query, and so is its count.
"""

from __future__ import annotations

from typing import Any, Iterable

MAX_RECORDS = 50  # a function that writes more (a big multi-object create) keeps the first 50


def _merged(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One note per record: created then updated in one call is "created"; the document kept."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for note in records:
        key = (note["object"], note["recordno"])
        seen = out.get(key)
        if seen is None:
            out[key] = dict(note)
        else:
            if note["action"] == "deleted":
                seen["action"] = "deleted"
            seen["document"] = seen["document"] or note["document"]
    return list(out.values())


def note_records(items: list[dict[str, Any]], per_function: Iterable[list[dict[str, Any]]]) -> None:
    """Copy what each function wrote into its journal item (``records``, ``recordno``, ``document``)."""
    for item, records in zip(items, per_function):
        if not records:
            continue
        merged = _merged(records)
        item["records"] = merged[:MAX_RECORDS]
        own = [r for r in merged if r["object"] == item.get("object")] or merged
        primary = next((r for r in own if r["action"] != "deleted"), own[0])
        item["recordno"] = primary["recordno"]
        if not item.get("document") and primary["document"]:
            item["document"] = primary["document"]

