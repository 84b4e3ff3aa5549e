"""``intacct-mock proxy``: the emulator's gateway in front of another Intacct endpoint.

Requests go through the emulator's own pipeline (``gateway/pipeline.py``): the same envelope
parsing, fault planning, journal and admin API; only the application step differs: instead of a
unit of work over the emulator's books, ``forwarding.ForwardingApplication`` sends the request to
the upstream (``forward.py``) and answers with what came back. Modules: ``forward`` (the HTTP call),
``answer`` (reading and the few rewrites of answers), ``memory`` (sessions seen, STATE faults),
``forwarding`` (the application step), ``bundle`` (incident bundles that replay on an emulator),
``app`` (the Flask app).
"""

from .app import create_proxy_app

__all__ = ["create_proxy_app"]
