"""The REST declarations (``mock_server/rest/mapping.json``) against the books they name: a
renamed or dropped stored field, a line object without its owner, or a REST name declared twice
fails here rather than as a null in somebody's integration."""

from __future__ import annotations

from intacct_mock.objects.registry import object_type
from intacct_mock.rest.objects import LINE_OBJECTS, OBJECTS


def test_every_emulated_property_names_a_field_of_its_object():
    for path, rest in OBJECTS.items():
        obj = object_type(rest.object_name)
        assert obj is not None, path
        missing = [f.name for f in rest.stored_fields if f.stored not in obj.fields]
        assert not missing, (path, missing)
        assert len(rest.by_name) == len(rest.fields), f"{path} declares a name twice"
        if rest.id_field:
            assert rest.id_field in obj.fields, path


def test_line_objects_belong_to_an_owner_with_lines():
    for path, rest in OBJECTS.items():
        if rest.lines is None:
            continue
        assert rest.lines.path in OBJECTS and rest.lines.path in LINE_OBJECTS
        assert rest.object.lines is not None and rest.lines.collection == rest.object.lines.collection
        assert rest.lines.object.object_name == rest.object.lines.object.name


def test_enumerations_reach_stored_codes():
    """Each published value of an enumerated property the books keep as a coded field is one of
    its codes (``partiallyPaid`` -> PP), so a filter or a write in REST terms means what it says."""
    bill = OBJECTS["accounts-payable/bill"]
    state = bill.by_name["state"]
    codes = state.codes(bill.object.fields["STATE"])
    assert (codes["posted"], codes["partiallyPaid"], codes["draft"], codes["reversal"]) == ("A", "PP", "D", "V")
    account = OBJECTS["general-ledger/account"]
    assert account.by_name["accountType"].codes(account.object.fields["ACCOUNTTYPE"]) == {
        "balanceSheet": "N", "incomeStatement": "I"}
