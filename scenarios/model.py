"""Load scenario files: YAML with line numbers, validated against ``scenario.schema.json``.

A mistake is reported as ``file:line: where: what was expected`` before anything runs. Line
numbers come from PyYAML's composed node tree, mapped onto the JSON-schema error's path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml
from jsonschema import Draft202012Validator

from intacct_mock.objects.registry import all_object_types

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")
SUFFIXES = (".yaml", ".yml")


class ScenarioFileError(ValueError):
    """An invalid scenario file; ``str()`` is ``file:line: message``."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line or 1}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Scenario:
    path: Path
    data: dict[str, Any]
    lines: dict[tuple, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def tags(self) -> list[str]:
        return list(self.data.get("tags") or [])

    def line_of(self, *path: Any) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


@lru_cache(maxsize=1)
def importable_objects() -> list[str]:
    """Objects an ``import`` step may upsert: they have an ID, and generic create writes them."""
    return [obj.name for obj in all_object_types() if obj.id_field and obj.generic_create and not obj.line_of]


def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    import_step = schema["$defs"]["step"]["properties"]["import"]
    import_step["properties"]["object"]["enum"] = importable_objects()  # declared once, on the objects
    return Draft202012Validator(schema)


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            out[path + (k,)] = key.start_mark.line + 1
            _line_map(value, path + (k,), out)
            out[path + (k,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, path + (i,), out)
    return out


def _describe(error) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        return f"{where}: {error.message}; see scenarios/scenario.schema.json for the allowed keys"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator == "enum":
        return f"{where}: expected one of {', '.join(map(repr, error.validator_value))}, got {error.instance!r}"
    if error.validator in ("minProperties",) and error.instance == {}:
        return f"{where}: a step needs an action (export_bills, raw, set_clock ...)"
    return f"{where}: {error.message}"


STEP_ACTIONS = ("export_bills", "export_bill", "export_credit_note", "export_invoice", "record_payment", "import", "read",
                "sync_payments", "reverse", "void_ap_payment", "delete", "raw", "parallel", "set_clock", "add_fault", "clear_faults", "configure",
                "new_session")


def _check_steps(scenario: Scenario, steps: list, prefix: tuple) -> None:
    for n, step in enumerate(steps):
        actions = [k for k in step if k in STEP_ACTIONS]
        if len(actions) != 1:
            found = ", ".join(actions) if actions else "none"
            raise ScenarioFileError(scenario.path, scenario.line_of(*prefix, n),
                                    f"steps/{n}: a step has exactly one action ({found} given)")
        if actions[0] == "parallel":
            _check_steps(scenario, step["parallel"], prefix + (n, "parallel"))


def load(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise ScenarioFileError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioFileError(path, mark.line + 1 if mark else None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or node is None:
        raise ScenarioFileError(path, 1, "a scenario file is a mapping with title, incident, advice and steps")
    scenario = Scenario(path, data, _line_map(node))
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(list(e.absolute_path)), list(map(str, e.absolute_path))))
    if errors:
        deepest = max(errors, key=lambda e: len(list(e.absolute_path)))
        where = list(deepest.absolute_path)
        if deepest.validator == "additionalProperties" and isinstance(deepest.instance, dict):
            allowed = deepest.schema.get("properties", {})
            extra = [k for k in deepest.instance if k not in allowed]
            where += extra[:1]  # point at the unexpected key itself
        raise ScenarioFileError(path, scenario.line_of(*where), _describe(deepest))
    _check_steps(scenario, data["steps"], ("steps",))
    return scenario


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Scenario files under the given files and folders (recursively), sorted, without duplicates."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        elif p.exists():
            found.append(p)
        else:
            raise ScenarioFileError(p, None, "no such file or folder")
    seen: set[Path] = set()
    return [f for f in found if not (f.resolve() in seen or seen.add(f.resolve()))]
