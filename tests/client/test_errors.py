"""Error classification: Intacct reuses BL01001973, so the text decides the class."""

from __future__ import annotations

import pytest

from intacct_mock.client.errors import (
    AlreadyRecorded,
    BatchKeyRequired,
    ConcurrencyLimited,
    ErrorDetail,
    FunctionFailed,
    NumberingCollision,
    PeriodClosed,
    PermissionDenied,
    RecordNotFound,
    SessionExpired,
    UnknownField,
    classify,
)


@pytest.mark.parametrize("detail, cls", [
    (ErrorDetail("BL01001973", "", "A transaction with the number 'B-1' already exists."), NumberingCollision),
    (ErrorDetail("DL02000001", "Error", "There was an error processing the request."), UnknownField),
    (ErrorDetail("BL01001973", "", "Please provide a payment batch key."), BatchKeyRequired),
    (ErrorDetail("BL01001973", "", "Periods are closed. Your transaction date (01/15/2026) is within a period that's been closed."), PeriodClosed),
    (ErrorDetail("PL04000005", "", "You do not have permission for API operation CREATE on objects of type vendor"), PermissionDenied),
    (ErrorDetail("BL01001973", "", "A successful transaction has already been recorded with the control id bill-1"), AlreadyRecorded),
    (ErrorDetail("BL01001973", "", "There are too many operations running for this company (200024)."), ConcurrencyLimited),
    (ErrorDetail("XL03000006", "", "Invalid session abc.."), SessionExpired),
    (ErrorDetail("Cannot update non-existing VENDOR with VENDORID=V9.", "", ""), RecordNotFound),
    (ErrorDetail("BL01001973", "", "Something else entirely"), FunctionFailed),
])
def test_classify(detail, cls):
    assert classify([detail], FunctionFailed) is cls


def test_error_carries_intacct_words_and_the_control_id():
    err = NumberingCollision(details=[ErrorDetail("BL01001973", "", "A transaction with the number 'B-1' already exists.", ""),
                                      ErrorDetail("BL01001973", "", "Could not create Bill record!", "Fix it")],
                             controlid="bill-V-B-1")
    assert err.document_number == "B-1" and err.correction == "Fix it" and err.controlid == "bill-V-B-1"
    assert err.summary().startswith("BL01001973: A transaction with the number 'B-1'")
