"""``returnFormat`` json and csv: the HTTP body is the data itself, with no XML envelope.

Takes records already rendered to text (field name -> output value). A CSV result with zero
records is an empty body, as in the 2016 captures.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Sequence

from .replies import RawReply


def raw_reply(fmt: str, records: list[dict[str, str]], names: Sequence[str]) -> RawReply:
    if fmt == "json":
        return RawReply(json.dumps(records).encode("utf-8"), "application/json; charset=UTF-8")
    if not records:
        return RawReply(b"", "text/csv; charset=UTF-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for record in records:
        writer.writerow([record.get(n, "") for n in names])
    return RawReply(out.getvalue().encode("utf-8"), "text/csv; charset=UTF-8")
