"""Read fault rules from a YAML or JSON file (``intacct-mock serve --faults FILE``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .model import FaultSpecError


def load_fault_file(path: Path) -> list[Any]:
    """A list of rules, or a mapping with a ``faults`` list. Errors name the file."""
    try:
        doc = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise FaultSpecError(f"{path}: cannot read fault file: {exc}") from None
    if isinstance(doc, dict) and set(doc) == {"faults"}:
        doc = doc["faults"]
    if not isinstance(doc, list):
        raise FaultSpecError(f"{path}: expected a list of fault rules (or a mapping with a 'faults' list)")
    return doc
