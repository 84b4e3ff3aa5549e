"""What an XML function handler gets: the core's call context plus what only XML functions need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..functions.context import CallContext
from .record_cache import RecordCache


@dataclass
class XmlCall(CallContext):
    endpoint: Callable[[], str] = str  # the URL the client called (getAPISession answers with it)
    controlid: str = ""
    issue_session: Callable[[str | None], tuple[str, str]] | None = None  # getAPISession hook: (sessionid, entity)
    pretty: bool = True  # the request's includewhitespace: list functions render records ahead with it
    record_cache: RecordCache | None = None  # rendered readByQuery records kept between requests
