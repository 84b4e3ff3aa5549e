"""Recent scenario runs, kept in memory by this process for the Inspector's Scenarios page.

Only summaries are kept (no journal copies), newest first, at most ``MAX_RUNS``. With
``--workers`` each process has its own list: the page shows the runs its own process started.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timezone
from typing import Any

MAX_RUNS = 100
_runs: deque[dict[str, Any]] = deque(maxlen=MAX_RUNS)
_lock = threading.Lock()


def summarize(result: Any) -> dict[str, Any]:
    """A ScenarioResult as plain data: what the page shows."""
    return {
        "path": str(result.path),
        "file": getattr(result.path, "name", str(result.path)),
        "title": result.title,
        "company": result.company,
        "passed": bool(result.passed),
        "error": result.error,
        "mismatches": [str(m) for m in result.mismatches[:20]],
        "mismatch_count": len(result.mismatches),
        "seconds": round(float(result.seconds or 0.0), 2),
        "journal_entries": len(result.journal or []),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def record_run(result: Any) -> dict[str, Any]:
    summary = summarize(result)
    with _lock:
        _runs.appendleft(summary)
    return summary


def recent_runs(limit: int = MAX_RUNS) -> list[dict[str, Any]]:
    with _lock:
        return list(_runs)[:limit]


def clear_runs() -> None:
    with _lock:
        _runs.clear()
