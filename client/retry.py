"""When to try again and how long to wait: exponential backoff with full jitter, bounded twice.

Bounded in attempts and in total time (the budget), and ``Retry-After`` is honoured when the
gateway gives one. The jitter generator can be seeded so a scenario run twice waits the same.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class RetryPolicy:
    max_attempts: int = 5
    budget: float = 120.0
    base: float = 0.5
    cap: float = 30.0
    seed: int | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def start(self) -> "RetryState":
        return RetryState(self, self.clock())


@dataclass
class RetryState:
    policy: RetryPolicy
    started: float
    attempt: int = 1
    waited: list[float] = field(default_factory=list)

    def next_delay(self, retry_after: float | None = None) -> float | None:
        """Seconds to wait before the next attempt, or None when the attempts or the budget are spent."""
        p = self.policy
        if self.attempt >= p.max_attempts:
            return None
        backoff = min(p.cap, p.base * (2 ** (self.attempt - 1))) * p.rng.random()
        delay = max(backoff, retry_after or 0.0)
        if p.clock() - self.started + delay > p.budget:
            return None
        return delay

    def wait(self, delay: float) -> None:
        self.waited.append(delay)
        self.policy.sleep(delay)
        self.attempt += 1
