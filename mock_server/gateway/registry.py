"""Dispatch by name: ``@function("readByQuery")`` registers a handler; the pipeline only looks up.

Adding an Intacct function means writing one decorated handler; nothing else changes. Each
registration says whether the function writes (the pipeline then takes SQLite's write lock up
front and applies the ``uniqueid`` ledger) and which DTD versions offer it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lxml import etree

from .call import XmlCall
from .replies import Reply

Handler = Callable[[XmlCall, etree._Element], Reply]


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: Handler
    writes: bool  # takes SQLite's write lock up front
    ledger: bool  # subject to the uniqueid control-id ledger (changes the books)
    dtd_versions: tuple[str, ...]
    object: str | None = None  # the one object it works on (legacy functions); None: named in the request


_REGISTRY: dict[str, FunctionSpec] = {}


def function(name: str, *, writes: bool = False, legacy: bool = False, ledger: bool | None = None,
             object: str | None = None) -> Callable[[Handler], Handler]:
    """Register a handler. Generic 3.0 functions are not offered under dtdversion 2.1."""

    def register(handler: Handler) -> Handler:
        dtds = ("2.1", "3.0") if legacy else ("3.0",)
        _REGISTRY[name] = FunctionSpec(name, handler, writes, writes if ledger is None else ledger, dtds, object)
        return handler

    return register


def lookup(name: str) -> FunctionSpec | None:
    _load()
    return _REGISTRY.get(name)


def names() -> list[str]:
    _load()
    return sorted(_REGISTRY)


_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        from .handlers import generic, inspect, legacy, lists, query, reads, session  # noqa: F401

        _loaded = True
