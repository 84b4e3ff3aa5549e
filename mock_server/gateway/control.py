"""The control stage: what the gateway checks before anything runs (notes 4.5, 12).

Every function must be one the request's dtdversion offers (the 3.0 schema enumerates them, so an
unknown one fails validation of the whole request), the request must stay within the per-request
limits, the sender's id and password must be right, and asynchronous policies are refused.
"""

from __future__ import annotations

from ..auth import credentials
from ..config import Settings
from ..errors import EnvelopeError, PolicyError
from . import registry
from .envelope import Control, Request


def check_control(settings: Settings, control: Control, request: Request) -> None:
    """Raise the control-level error of the first check that fails."""
    dtd = control.dtdversion or "3.0"
    for fn in request.operation.functions:
        spec = registry.lookup(fn.name)
        if spec is None or dtd not in spec.dtd_versions:
            raise EnvelopeError.schema(
                f"Element '{fn.name}': This element is not expected. Expected is one of the functions of dtdversion {dtd}.",
                1871,
            )
    if len(request.operation.functions) > settings.max_functions_per_request:
        raise EnvelopeError.schema(
            f"Element 'content': at most {settings.max_functions_per_request} functions are allowed per request.",
            1871,
        )
    credentials.check_sender(settings, control.senderid, control.password)
    if control.policyid:
        raise PolicyError(control.policyid)
