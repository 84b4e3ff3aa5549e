"""getAPISession: hand out a session id and the endpoint to use with it (notes 6.1).

The endpoint is the URL the client called (or ``public_url``), because official SDKs switch to it
and validate its host; returning a fixed localhost URL would break them.
"""

from __future__ import annotations

from lxml import etree

from ...xmlsafe import child, text_of
from ...xmlwriter import XmlBuilder
from ..call import XmlCall
from ..registry import function
from ..replies import Reply


class ApiSessionReply(Reply):
    """``<data>`` without attributes holding ``<api>``."""

    def __init__(self, sessionid: str, endpoint: str, locationid: str) -> None:
        self.sessionid, self.endpoint, self.locationid = sessionid, endpoint, locationid

    def write(self, xml: XmlBuilder) -> None:
        xml.open("data").open("api")
        xml.leaf("sessionid", self.sessionid).leaf("endpoint", self.endpoint).leaf("locationid", self.locationid)
        xml.close().close()


@function("getAPISession", writes=True, ledger=False, legacy=True)
def handle_get_api_session(ctx: XmlCall, el: etree._Element) -> Reply:
    """Hand out a session (the same one, or one for another entity) and the endpoint to use it on."""
    loc = child(el, "locationid")
    requested = None if loc is None else (text_of(loc) or "")
    assert ctx.issue_session is not None
    sessionid, entity = ctx.issue_session(requested)
    return ApiSessionReply(sessionid, ctx.endpoint(), entity)
