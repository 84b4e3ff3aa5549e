"""Reference Intacct client: an integration written the way it should be.

    from intacct_mock.client import ClientConfig, IntacctClient, Operations
    ops = Operations(IntacctClient(ClientConfig.from_env()))
    posted = ops.export_bill(bill)        # never posts twice, even when the answer is lost

Against an emulator in the same process (no socket): ``IntacctClient(config,
transport=InProcessTransport(XmlGateway(emulator)))``.
"""

from .client import IntacctClient, safe_controlid
from .config import ClientConfig, ConfigurationError
from .documents import Bill, CreditNote, Invoice, Line, Payment
from .errors import *  # noqa: F401,F403  (the error classes are part of the API)
from .operations import Operations, Posted
from .sales import JournalEntry, JournalLine, SalesDocument, SalesLine
from .transport import InProcessTransport, Transport

__all__ = ["Bill", "ClientConfig", "ConfigurationError", "CreditNote", "InProcessTransport", "IntacctClient", "Invoice",
           "JournalEntry", "JournalLine", "Line", "Operations", "Payment", "Posted", "SalesDocument", "SalesLine",
           "Transport", "safe_controlid"]
