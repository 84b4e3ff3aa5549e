"""Fault actions as classes: each declares its phase, parses its own spec and carries its effect;
the OpenAPI document, the catalog and the inspector derive from the registry."""

from __future__ import annotations

import random
from collections import deque
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from intacct_mock.admin.openapi import document, schema_name
from intacct_mock.errors import GatewayLoginError, IntacctError, RateLimitError
from intacct_mock.faults.actions import ACTIONS, Action, DropAck, Phase, parse_action, parse_shorthand
from intacct_mock.faults.engine import Firing, RequestFacts
from intacct_mock.faults.spec import FaultSpecError
from intacct_mock.faults.plan import FaultPlan
from intacct_mock.inspector.views import ACTION_CHOICES

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=timezone.utc)


def facts(**kw) -> RequestFacts:
    base = dict(company="DEMO", sender="mock-sender", user="ws_user", sessionid="sess..", functions=(), headers={},
                now=NOW)
    return RequestFacts(**{**base, **kw})


@pytest.mark.parametrize("action", list(ACTIONS.values()), ids=list(ACTIONS))
def test_every_action_declares_what_the_rest_of_the_server_reads(action: type[Action]):
    assert action.type and isinstance(action.phase, Phase) and isinstance(action.order, int)
    assert [a.order for a in ACTIONS.values()].count(action.order) == 1, "two actions listed at the same place"
    assert action.summary.strip(), "the summary is the action's OpenAPI description"
    assert set(action.required) <= set(action.properties)
    for short, label in action.examples():
        assert label and parse_action(short).type == action.type


@pytest.mark.parametrize("raw", [
    "drop_ack=gateway_error", "http_status=429", "latency=250", "intacct_error=numbering_collision",
    {"type": "latency", "distribution": "lognormal", "median_ms": 80}, {"type": "rate_limit", "requests": 3},
    {"type": "concurrency_limit", "max": 1}, "rotate_password=new-pw", "session_expire",
    {"type": "drop_ack", "variant": "hang", "hang_seconds": 2},
])
def test_a_spec_survives_its_round_trip_and_meets_the_documented_schema(raw):
    action = parse_action(raw)
    again = parse_action(action.to_dict())
    assert again.to_dict() == action.to_dict() and type(again) is type(action)
    doc = document()
    registry = Registry().with_resource("urn:doc", Resource(doc, DRAFT202012))
    state = {"$ref": "urn:doc#/components/schemas/FaultActionState"}
    errors = list(Draft202012Validator(state, registry=registry).iter_errors(action.to_dict()))
    assert not errors, errors[0].message


def test_the_documents_action_list_is_the_registry():
    schemas = document()["components"]["schemas"]
    mapping = schemas["FaultActionObject"]["discriminator"]["mapping"]
    assert list(mapping) == list(ACTIONS)
    for action in ACTIONS.values():
        described = schemas[schema_name(action)]
        assert set(described["properties"]) == {"type", *action.properties}
    assert schemas["FaultCatalog"]["properties"]["actions"]["items"]["enum"] == list(ACTIONS)


def test_the_inspector_offers_every_example_of_every_action():
    assert ACTION_CHOICES == [choice for action in ACTIONS.values() for choice in action.examples()]
    assert ("drop_ack=reset", "lost acknowledgement: reset") in ACTION_CHOICES


@pytest.mark.parametrize("raw, message", [
    ({"type": "drop_ack", "variant": "sideways"}, "action.variant: expected one of reset"),
    ({"type": "latency", "distribution": "uniform", "min_ms": 10, "max_ms": 5}, "action.max_ms: expected a number"),
    ({"type": "http_status", "status": 401, "colour": "red"}, "action.colour: unknown key"),
    ("teleport", "expected one of http_status"),
    ("http_status=abc", "http_status needs a status code"),
    ("session_expire=now", "session_expire takes no value in the short form"),
])
def test_a_bad_spec_names_the_key(raw, message):
    with pytest.raises(FaultSpecError, match=message):
        parse_action(raw)


def test_the_plan_groups_firings_by_the_phase_their_action_names():
    firings = [Firing(f"r{n}", parse_action(raw), (0,)) for n, raw in enumerate(
        ["latency=100", "latency=50", "http_status=503", "rotate_password", "session_expire",
         {"type": "concurrency_limit"}, "intacct_error=period_closed", "drop_ack=close", "drop_ack=reset"])]
    for f in firings:
        f.delay_ms = f.action.delay_ms(random.Random(1))
    plan = FaultPlan.build(firings)
    assert plan.delay_ms == 150
    assert plan.stop is firings[2]
    assert [f.type for f in plan.state] == ["rotate_password", "session_expire"]
    assert [f.type for f in plan.slots] == ["concurrency_limit"]
    assert plan.errors == {0: firings[6]}
    assert plan.drop is firings[7]  # the first drop wins


def test_front_actions_answer_with_intacct_errors_or_pages():
    firing = Firing("r", parse_action("http_status=401"), ())
    assert isinstance(firing.action.front(firing).error, GatewayLoginError)
    page = parse_action("http_status=524").front(firing)
    assert page.error is None and b"524" in page.body and page.content_type.startswith("text/html")
    limited = Firing("r", parse_action({"type": "rate_limit", "requests": 1, "per_seconds": 10}), ())
    limiter = SimpleNamespace(hits=deque())
    assert not limited.action.admits(limited, facts(), limiter)  # the first call is within the limit
    assert limited.action.admits(limited, facts(), limiter)  # the second is over it
    answer = limited.action.front(limited)
    assert answer.status == 429 and isinstance(answer.error, RateLimitError) and answer.headers["Retry-After"] == "10"


def test_state_actions_change_the_world_they_are_given():
    changes = []
    world = SimpleNamespace(rotate_password=lambda c, u, p: changes.append(("rotate", c, u, p)),
                            expire_session=lambda sid: changes.append(("expire", sid)))
    parse_action("rotate_password=s3cret").change(world, facts())
    parse_action("session_expire").change(world, facts())
    parse_action("session_expire").change(world, facts(sessionid=None))  # a sign-in has no session to expire
    assert changes == [("rotate", "DEMO", "ws_user", "s3cret"), ("expire", "sess..")]


def test_a_function_error_names_the_document_and_can_override_the_preset():
    err = parse_action("intacct_error=numbering_collision").error({"document_number": "INV-7", "label": "Bill"})
    assert isinstance(err, IntacctError) and "INV-7" in err.first.description2
    custom = parse_action({"type": "intacct_error", "preset": "period_closed", "errorno": "BL-XX"}).error({})
    assert custom.first.errorno == "BL-XX"


def test_latency_draws_are_a_function_of_the_generator():
    action = parse_action({"type": "latency", "distribution": "uniform", "min_ms": 10, "max_ms": 20})
    assert action.delay_ms(random.Random(7)) == action.delay_ms(random.Random(7))
    assert 10 <= action.delay_ms(random.Random(8)) <= 20


def test_drop_ack_carries_its_variant():
    action = parse_action("drop_ack=gateway_error")
    assert isinstance(action, DropAck) and action.variant == "gateway_error" and action.status == 504
    assert parse_shorthand("drop_ack=hang") == {"type": "drop_ack", "variant": "hang"}


def test_a_short_form_value_goes_to_the_declared_key_and_is_checked_like_the_long_form():
    assert parse_shorthand("intacct_error=numbering_collision") == {"type": "intacct_error",
                                                                   "preset": "numbering_collision"}
    assert parse_shorthand("rotate_password=N3w!") == {"type": "rotate_password", "new_password": "N3w!"}
    assert parse_shorthand("drop_ack") == {"type": "drop_ack"}
    with pytest.raises(FaultSpecError, match="variant"):
        parse_action("drop_ack=sideways")
    takes_none = [cls for cls in ACTIONS.values() if cls.short_form is None and cls.shorthand.__func__ is Action.shorthand.__func__]
    assert takes_none, "some actions take no value in the short form"
    with pytest.raises(FaultSpecError, match="takes no value"):
        parse_shorthand(f"{takes_none[0].type}=1")
