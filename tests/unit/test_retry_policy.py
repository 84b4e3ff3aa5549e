"""The reference client's backoff and error typing decide what is resent; they are checked here without HTTP."""

from __future__ import annotations

import pytest

from intacct_mock.client import ClientConfig, IntacctClient
from intacct_mock.client.client import _SessionState
from intacct_mock.client.errors import (
    AlreadyRecorded,
    AuthenticationFailed,
    BatchKeyRequired,
    ConcurrencyLimited,
    ControlIdInProcess,
    DuplicateId,
    ErrorDetail,
    FunctionFailed,
    IntacctError,
    InvalidReference,
    IpNotAllowed,
    NumberingCollision,
    OutcomeUnknown,
    PeriodClosed,
    PermissionDenied,
    RateLimited,
    RecordNotFound,
    RequestRejected,
    SenderNotAuthorized,
    SessionExpired,
    TransactionAborted,
    TransientServerError,
    UnknownField,
    classify,
)
from intacct_mock.client.retry import RetryPolicy
from intacct_mock.client.transport import AnswerLost, HttpAnswer, NotDelivered
from intacct_mock.client.xml import Function, element


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class MaxJitter:
    """Stands in for the policy's Random: always the top of the jitter range."""

    def random(self) -> float:
        return 0.999


def policy(**kw) -> RetryPolicy:
    kw.setdefault("sleep", lambda _: None)
    return RetryPolicy(**kw)


def delays(p: RetryPolicy, n: int) -> list[float]:
    state, out = p.start(), []
    for _ in range(n):
        delay = state.next_delay()
        if delay is None:
            break
        out.append(delay)
        state.wait(delay)
    return out


def test_wait_sleeps_records_the_delay_and_moves_to_the_next_attempt():
    slept: list[float] = []
    state = policy(sleep=slept.append, seed=3).start()
    first = state.next_delay()
    state.wait(first)
    assert state.attempt == 2 and state.waited == [first] and slept == [first]
    second = state.next_delay()
    state.wait(second)
    assert state.attempt == 3 and state.waited == [first, second] and slept == [first, second]


def test_asking_for_a_delay_does_not_use_up_an_attempt():
    state = policy(max_attempts=2, seed=1).start()
    assert state.next_delay() is not None and state.next_delay() is not None
    assert state.attempt == 1 and state.waited == []


@pytest.mark.parametrize("max_attempts, retries", [(1, 0), (2, 1), (5, 4)])
def test_attempts_are_exhausted_after_max_attempts_including_the_first(max_attempts, retries):
    p = policy(max_attempts=max_attempts, seed=7)
    assert len(delays(p, 10)) == retries


def test_backoff_doubles_per_attempt_up_to_the_cap():
    p = policy(max_attempts=10, base=0.5, cap=4.0, budget=1e9)
    p.rng = MaxJitter()
    assert delays(p, 10) == pytest.approx([0.4995, 0.999, 1.998, 3.996, 3.996, 3.996, 3.996, 3.996, 3.996])


def test_full_jitter_keeps_each_delay_below_its_exponential_bound():
    got = delays(policy(max_attempts=8, base=1.0, cap=10.0, budget=1e9, seed=11), 8)
    bounds = [1, 2, 4, 8, 10, 10, 10]
    assert len(got) == 7 and all(0 <= d < b for d, b in zip(got, bounds))


def test_the_same_seed_waits_the_same_and_another_seed_does_not():
    a = delays(policy(max_attempts=6, seed=42, budget=1e9), 6)
    b = delays(policy(max_attempts=6, seed=42, budget=1e9), 6)
    c = delays(policy(max_attempts=6, seed=43, budget=1e9), 6)
    assert a == b and a != c


def test_retry_after_is_honoured_when_longer_than_the_backoff():
    state = policy(base=0.01, cap=0.01, seed=1).start()
    assert state.next_delay(retry_after=7.5) == 7.5
    assert state.next_delay(retry_after=None) < 0.01


def test_a_delay_that_would_overrun_the_budget_is_refused():
    clock = FakeClock()
    state = policy(budget=10.0, seed=1, clock=clock).start()
    assert state.next_delay(retry_after=9.0) == 9.0
    assert state.next_delay(retry_after=10.5) is None
    clock.now += 5.0  # five seconds already spent on this call
    assert state.next_delay(retry_after=4.0) == 4.0 and state.next_delay(retry_after=6.0) is None


# ---------------------------------------------------------------------------- not sent vs maybe committed


class StubTransport:
    def __init__(self, outcome) -> None:
        self.outcome, self.posts = outcome, 0

    def post(self, url: str, body: bytes) -> HttpAnswer:
        self.posts += 1
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def client_with(outcome, sleeps: list[float]) -> tuple[IntacctClient, StubTransport]:
    config = ClientConfig("s", "sp", "CO", "u", "up", endpoint_url="http://gw.invalid/ia/xml/xmlgw.phtml")
    transport = StubTransport(outcome)
    retry = RetryPolicy(max_attempts=3, budget=1e9, base=0.001, cap=0.01, seed=5, sleep=sleeps.append)
    sessions = _SessionState({"": ("sess-1", config.endpoint_url)})
    return IntacctClient(config, transport=transport, retry=retry, _sessions=sessions), transport


@pytest.mark.parametrize("write", [True, False])
def test_a_request_that_never_left_is_retried_for_reads_and_writes(write):
    sleeps: list[float] = []
    client, transport = client_with(NotDelivered("connection refused"), sleeps)
    with pytest.raises(TransientServerError):
        client.execute([Function("f1", element("create"))], write=write)
    assert transport.posts == 3 and len(sleeps) == 2


def test_a_write_whose_answer_was_lost_is_outcome_unknown_and_never_resent():
    sleeps: list[float] = []
    client, transport = client_with(AnswerLost("reset by peer"), sleeps)
    with pytest.raises(OutcomeUnknown) as caught:
        client.execute([Function("bill-1", element("create"))], write=True)
    assert transport.posts == 1 and sleeps == [] and caught.value.controlid == "bill-1"


def test_a_read_whose_answer_was_lost_is_retried():
    sleeps: list[float] = []
    client, transport = client_with(AnswerLost("read timeout"), sleeps)
    with pytest.raises(TransientServerError):
        client.execute([Function("r1", element("readByQuery"))], write=False)
    assert transport.posts == 3


@pytest.mark.parametrize("status, write, error, posts", [
    (502, True, OutcomeUnknown, 1), (524, True, OutcomeUnknown, 1), (503, True, TransientServerError, 3),
    (502, False, TransientServerError, 3),
])
def test_http_failures_of_writes_are_resent_only_when_nothing_can_have_run(status, write, error, posts):
    client, transport = client_with(HttpAnswer(status, b"<html/>", "text/html", None), [])
    with pytest.raises(error):
        client.execute([Function("f1", element("create"))], write=write)
    assert transport.posts == posts


def test_a_429_waits_at_least_its_retry_after():
    sleeps: list[float] = []
    client, _ = client_with(HttpAnswer(429, b"", "text/plain", 2.5), sleeps)
    with pytest.raises(RateLimited) as caught:
        client.execute([Function("f1", element("create"))], write=True)
    assert sleeps == [2.5, 2.5] and caught.value.retry_after == 2.5 and caught.value.http_status == 429


@pytest.mark.parametrize("cls, retryable", [
    (TransientServerError, True), (RateLimited, True), (SessionExpired, True), (ConcurrencyLimited, True),
    (ControlIdInProcess, True), (OutcomeUnknown, False), (AuthenticationFailed, False), (SenderNotAuthorized, False),
    (AlreadyRecorded, False), (NumberingCollision, False), (RequestRejected, False), (FunctionFailed, False),
])
def test_only_failures_where_nothing_ran_are_retryable(cls, retryable):
    assert cls.retryable is retryable


# ---------------------------------------------------------------------------- classification

BL = "BL01001973"


@pytest.mark.parametrize("detail, cls", [
    (ErrorDetail(BL, "", "A transaction with the number 'INV-7' already exists."), NumberingCollision),
    (ErrorDetail(BL, "", "Please provide a payment batch key."), BatchKeyRequired),
    (ErrorDetail(BL, "", "Periods are closed. Your transaction date (01/31/2026) is within a period that's been closed."),
     PeriodClosed),
    (ErrorDetail("PL04000005", "", "You do not have permission for API operation CREATE on objects of type apbill"),
     PermissionDenied),
    (ErrorDetail("PL04000005", "", ""), PermissionDenied),
    (ErrorDetail(BL, "", "A successful transaction has already been recorded with the control id bill-V-1"), AlreadyRecorded),
    (ErrorDetail(BL, "", "A request's function with the control ID bill-V-1 is in process."), ControlIdInProcess),
    (ErrorDetail(BL, "", "There are too many operations running for this company (200024)."), ConcurrencyLimited),
    (ErrorDetail("XL03000006", "", "Invalid session ***abc123"), SessionExpired),
    (ErrorDetail("XL03000006", "Invalid Web Services Authorization",
                 "The sender ID 'x' is not authorized to make Web Services requests to company ID 'CO'."), SenderNotAuthorized),
    (ErrorDetail("XL03000006", "", "Sign-in information is incorrect. Login from IP address 10.0.0.9 is not allowed for this user."),
     IpNotAllowed),
    (ErrorDetail("BL34000061", "", "Another Vendor with the given value(s) V-1  already exists"), DuplicateId),
    (ErrorDetail("Cannot update non-existing VENDOR with VENDORID=V-9.", "", ""), RecordNotFound),
    (ErrorDetail(BL, "", "Vendor V-9 has been deleted or does not exist"), RecordNotFound),
    (ErrorDetail(BL, "", "Invalid Vendor 'V-9' specified."), InvalidReference),
    (ErrorDetail("DL02000001", "Error", "There was an error processing the request."), UnknownField),
    (ErrorDetail("XL03000009", "", "The entire transaction in this operation has been rolled back due to an error."),
     TransactionAborted),
    (ErrorDetail("XMLGW_JPP0002", "Sign-in information is incorrect. Please check your request."), AuthenticationFailed),
    (ErrorDetail("GW-0010", "Rate limit exceeded. Please retry the request later."), RateLimited),
    (ErrorDetail("PL04000055", "", "The Service is Temporarily Off-line"), TransientServerError),
    (ErrorDetail(BL, "", "Something without a class of its own"), FunctionFailed),
])
def test_classify_maps_intacct_numbers_and_texts_to_classes(detail, cls):
    assert classify([detail], FunctionFailed) is cls


def test_classify_falls_back_to_the_default_given():
    assert classify([ErrorDetail("XL03000003", "", "XML Parse schema error")], RequestRejected) is RequestRejected
    assert classify([], AuthenticationFailed) is AuthenticationFailed


def test_the_first_specific_error_decides_over_later_wrappers():
    details = [ErrorDetail(BL, "", "Please provide a payment batch key."),
               ErrorDetail("XL03000009", "", "The entire transaction in this operation has been rolled back due to an error.")]
    assert classify(details, FunctionFailed) is BatchKeyRequired


def test_an_error_carries_intacct_words_the_first_correction_and_the_control_id():
    err = PeriodClosed(details=[ErrorDetail(BL, "", "Periods are closed.", ""),
                                ErrorDetail(BL, "", "Could not create Bill record!", "Reopen the period.")],
                       controlid="bill-1", http_status=200)
    assert (err.errorno, err.description2, err.correction, err.controlid) == (BL, "Periods are closed.",
                                                                           "Reopen the period.", "bill-1")
    assert str(err) == "Periods are closed." and err.summary() == f"{BL}: Periods are closed. (Reopen the period.)"
    assert isinstance(err, FunctionFailed) and isinstance(err, IntacctError)


def test_an_error_without_details_is_named_after_its_class():
    err = TransientServerError()
    assert str(err) == "TransientServerError" and err.errorno == "" and err.summary() == "TransientServerError"
