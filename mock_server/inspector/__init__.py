"""The Inspector: a browser console at ``/_mock/ui`` over the journal, books, faults, clock and scenarios.

Server-rendered Jinja templates and one small script (auto-refresh only); every page reads fine
with JavaScript off. Same access rule as the admin API: loopback callers, or the admin token.
"""

from .views import bp

__all__ = ["bp"]
