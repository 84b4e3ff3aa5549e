"""WSGI entry point for production-style servers: ``gunicorn 'intacct_mock.wsgi:app'``.

Settings come from ``MOCK_INTACCT_*`` environment variables (and ``MOCK_INTACCT_CONFIG`` for a
YAML file), so every worker process builds the same application over the same SQLite file.
"""

from __future__ import annotations

import os

from .app import create_app
from .config import Settings

app = create_app(Settings.load(os.environ.get("MOCK_INTACCT_CONFIG")))
