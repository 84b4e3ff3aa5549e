"""The REST front door (``/ia/api/v1``): OAuth tokens, ``/objects`` routes and JSON errors over the
same books, rules and typed errors as the XML gateway."""
