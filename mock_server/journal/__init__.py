"""The request journal: what each request asked, what the store committed, what the client got.

It answers a support engineer's first question, "did it make it into Intacct, and what did the
integration see?", and feeds incident bundles that replay a time range on a fresh emulator.
"""

from .documents import note_records
from .service import Journal, JournalEntry

__all__ = ["Journal", "JournalEntry", "note_records"]
