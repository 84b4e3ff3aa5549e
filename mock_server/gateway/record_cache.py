"""Rendered readByQuery/readMore records, kept between requests.

Why: a page of 100 CUSTOMER records with ``fields=*`` is ~11,000 values to fetch, convert and
escape (about 3 ms), yet most integrations page through records that did not change since the last
sync. A record's text depends only on its row, the field list and how each field is shown, and
where it sits in the document; the row's ``_REV`` (store/upkeep.py) changes with every write, so
the key (layout, RECORDNO, _REV) can never return a stale text, and no write needs to tell the
cache anything. Each server process has its own cache; it is bounded by characters kept (LRU).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Mapping, Sequence

from ..objects.fields import Field


class RecordCache:
    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._texts: OrderedDict[tuple, str] = OrderedDict()
        self._layouts: dict[tuple, int] = {}
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_chars > 0

    def layout(self, table: str, tag: str, names: Sequence[str], custom: Mapping[str, Field], indent: str | None) -> int:
        """A small number for everything besides the row that shapes a record's text: the table, the
        tag, the field names, the indentation, and the company's custom fields (per company, and
        they can be redefined: type and labels change the text). Declared fields are code: they
        cannot change while the process runs, so they need no place in the key."""
        shown = tuple((name, f.type, f.codes) for name, f in custom.items()) if custom else ()
        key = (table, tag, tuple(names), shown, indent)
        with self._lock:
            number = self._layouts.get(key)
            if number is None:
                if len(self._layouts) >= 4096:  # layouts churn only if custom fields keep changing
                    self._layouts.clear()
                    self._texts.clear()
                    self._chars = 0
                number = self._layouts[key] = len(self._layouts) + 1
            return number

    def get_many(self, layout: int, keys: Sequence[tuple[int, Any]]) -> list[str | None]:
        """The cached text for each (RECORDNO, _REV), or None."""
        texts = self._texts
        with self._lock:
            out = [texts.get((layout, recordno, rev)) for recordno, rev in keys]
            for (recordno, rev), text in zip(keys, out):
                if text is not None:
                    texts.move_to_end((layout, recordno, rev))
        found = len(out) - out.count(None)
        self.hits += found
        self.misses += len(out) - found
        return out

    def put_many(self, layout: int, items: Sequence[tuple[int, Any, str]]) -> None:
        if not self.enabled:
            return
        texts = self._texts
        with self._lock:
            for recordno, rev, text in items:
                k = (layout, recordno, rev)
                old = texts.pop(k, None)
                if old is not None:
                    self._chars -= len(old)
                texts[k] = text
                self._chars += len(text)
            while self._chars > self.max_chars and texts:
                _, dropped = texts.popitem(last=False)
                self._chars -= len(dropped)

    def stats(self) -> dict[str, int]:
        return {"records": len(self._texts), "chars": self._chars, "hits": self.hits, "misses": self.misses}
