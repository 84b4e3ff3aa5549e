"""Reading fault rules: the error every bad rule raises, and checks whose messages name the key."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping


class FaultSpecError(ValueError):
    """A rule that cannot be used; the message names the key and what was expected."""


def fail(path: str, message: str) -> FaultSpecError:
    return FaultSpecError(f"{path}: {message}")


def strings(value: Any, path: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise fail(path, "expected a non-empty string or a list of them")
    return tuple(v.strip() for v in items)


def text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(path, "expected a non-empty string")
    return value.strip()


def integer(value: Any, path: str, low: int, high: int | None = None) -> int:
    if isinstance(value, float) and value.is_integer():  # JSON's 327.0 is the whole number 327
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise fail(path, f"expected a whole number {bound}, got {value!r}")
    return value


def number(value: Any, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise fail(path, f"expected a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def when(value: Any, path: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise fail(path, f"expected an ISO-8601 date-time, got {value!r}") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def choice(value: Any, path: str, options: tuple) -> Any:
    if value not in options:
        raise fail(path, f"expected one of {', '.join(map(str, options))}; got {value!r}")
    return value


def only(data: Mapping[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise fail(f"{path}.{unknown[0]}" if path else unknown[0], f"unknown key; allowed: {', '.join(allowed)}")
