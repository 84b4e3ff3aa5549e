"""Master data over HTTP: CUSTOMER, VENDOR, GLACCOUNT, LOCATION, DEPARTMENT, CLASS, PROJECT.

Create/update/delete/read life cycle, the bookkeeping the emulator maintains (RECORDNO,
WHENCREATED, WHENMODIFIED), and every business rule issue 2 names for master data, each with
Intacct's error number and text (protocol notes 4.2, 7.1-7.4, 8.2).
"""

from __future__ import annotations

import pytest

from intacct_mock.company.model import CustomField
from tests.conftest import BASIC_RECORDS
from tests.support import Gateway, count_records, fn, read_record, record_xml

# object -> (ID field, name field, a valid new record)
OBJECTS = {
    "CUSTOMER": ("CUSTOMERID", "NAME", {"CUSTOMERID": "C-NEW", "NAME": "Initrode"}),
    "VENDOR": ("VENDORID", "NAME", {"VENDORID": "V-NEW", "NAME": "Umbrella"}),
    "GLACCOUNT": ("ACCOUNTNO", "TITLE", {"ACCOUNTNO": "7100", "TITLE": "Travel", "ACCOUNTTYPE": "incomestatement",
                                         "NORMALBALANCE": "debit"}),
    "LOCATION": ("LOCATIONID", "NAME", {"LOCATIONID": "L200", "NAME": "Branch"}),
    "DEPARTMENT": ("DEPARTMENTID", "TITLE", {"DEPARTMENTID": "D200", "TITLE": "Sales"}),
    "CLASS": ("CLASSID", "NAME", {"CLASSID": "C2", "NAME": "SMB"}),
    "PROJECT": ("PROJECTID", "NAME", {"PROJECTID": "P-NEW", "NAME": "Rollout", "PROJECTCATEGORY": "Contract"}),
}
LABELS = {"CUSTOMER": "Customer", "VENDOR": "Vendor", "GLACCOUNT": "GL Account", "LOCATION": "Location",
          "DEPARTMENT": "Department", "CLASS": "Class", "PROJECT": "Project"}
# An active and an inactive record of each object, on top of the basic books.
EXISTING = {"CUSTOMER": "C-1", "VENDOR": "V-1", "GLACCOUNT": "1000", "LOCATION": "L100", "DEPARTMENT": "D100",
            "CLASS": "C1", "PROJECT": "P-1"}
INACTIVE = {"CUSTOMER": "C-OLD", "VENDOR": "V-OLD", "GLACCOUNT": "9990", "LOCATION": "L-OLD", "DEPARTMENT": "D-OLD",
            "CLASS": "K-OLD", "PROJECT": "P-OLD"}
RECORDS = BASIC_RECORDS + [
    ("PROJECT", {"PROJECTID": "P-1", "NAME": "Migration", "PROJECTCATEGORY": "Contract", "CUSTOMERID": "C-1"}),
    ("CUSTOMER", {"CUSTOMERID": "C-OLD", "NAME": "Old customer", "STATUS": "inactive"}),
    ("VENDOR", {"VENDORID": "V-OLD", "NAME": "Old vendor", "STATUS": "inactive"}),
    ("GLACCOUNT", {"ACCOUNTNO": "9990", "TITLE": "Old", "ACCOUNTTYPE": "balancesheet", "NORMALBALANCE": "debit",
                   "STATUS": "inactive"}),
    ("LOCATION", {"LOCATIONID": "L-OLD", "NAME": "Closed office", "STATUS": "inactive"}),
    ("DEPARTMENT", {"DEPARTMENTID": "D-OLD", "TITLE": "Dissolved", "STATUS": "inactive"}),
    ("CLASS", {"CLASSID": "K-OLD", "NAME": "Legacy", "STATUS": "inactive"}),
    ("PROJECT", {"PROJECTID": "P-OLD", "NAME": "Finished", "PROJECTCATEGORY": "Internal", "STATUS": "inactive"}),
]
ALL = pytest.mark.parametrize("obj", list(OBJECTS))


@pytest.fixture
def books(make_company, gateway_url) -> Gateway:
    """A company with an active and an inactive record of every master object."""
    return Gateway(gateway_url, company=make_company(RECORDS))


@pytest.fixture
def travel(clock):
    """Move the shared frozen clock inside one test; it is put back afterwards."""
    start = clock.now()
    yield clock
    clock.set(start)


def stamp(clock) -> str:
    return clock.now().strftime("%m/%d/%Y %H:%M:%S")


def failure(reply, index: int = 0) -> list[dict[str, str]]:
    """The errors of a failed result (asserting it failed), most specific first."""
    assert reply.status == 200, reply.body.decode()
    result = reply.result(index)
    assert result.findtext("status") == "failure", reply.body.decode()
    return [{c.tag: c.text or "" for c in e} for e in result.findall("errormessage/error")]


def create(gw: Gateway, obj: str, data: dict):
    return gw.create(obj, data)


def created_recordno(reply, obj: str) -> int:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return int(result.findtext(f"data/{obj.lower()}/RECORDNO"))


def update(gw: Gateway, obj: str, data: dict):
    return gw.call(fn(f"<update>{record_xml(obj, data)}</update>"))


def by_name(gw: Gateway, obj: str, ident: str, fields: str = "*"):
    reply = gw.ok(fn(f"<readByName><object>{obj}</object><keys>{ident}</keys><fields>{fields}</fields></readByName>"))
    return reply.result().find(f"data/{obj}")


def count_id(gw: Gateway, obj: str, ident: str) -> int:
    return count_records(gw, obj, f"{OBJECTS[obj][0]} = '{ident}'")


def assert_wrapper(errors: list[dict[str, str]], verb: str, obj: str) -> None:
    end = "." if obj == "GLACCOUNT" else "!"
    assert errors[-1] == {"errorno": "BL01001973", "description": "",
                          "description2": f"Could not {verb} {LABELS[obj]} record{end}", "correction": ""}


# --------------------------------------------------------------------------- create / read


@ALL
def test_create_assigns_a_recordno_and_echoes_the_id(books, obj):
    id_field, name_field, data = OBJECTS[obj]
    reply = create(books, obj, data)
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    assert result.findtext("function") == "create"
    payload = result.find("data")
    assert payload.attrib == {"listtype": "objects", "count": "1"}
    (record,) = list(payload)
    assert record.tag == obj.lower()
    assert [c.tag for c in record] == ["RECORDNO", id_field]
    assert record.findtext(id_field) == data[id_field]
    recordno = int(record.findtext("RECORDNO"))
    assert recordno > 0

    stored = read_record(books, obj, recordno)
    assert stored.findtext("RECORDNO") == str(recordno)
    assert stored.findtext(id_field) == data[id_field]
    assert stored.findtext(name_field) == data[name_field]
    assert stored.findtext("STATUS") == "active"
    assert by_name(books, obj, data[id_field]).findtext("RECORDNO") == str(recordno)


def test_record_numbers_increase_and_differ_per_record(books):
    first = created_recordno(create(books, "CLASS", {"CLASSID": "N1", "NAME": "One"}), "CLASS")
    second = created_recordno(create(books, "CLASS", {"CLASSID": "N2", "NAME": "Two"}), "CLASS")
    assert second > first


@ALL
def test_whencreated_is_set_on_create_and_whenmodified_follows_updates(books, travel, obj):
    id_field, name_field, data = OBJECTS[obj]
    created_at = stamp(travel)
    recordno = created_recordno(create(books, obj, data), obj)
    stored = read_record(books, obj, recordno)
    assert stored.findtext("WHENCREATED") == created_at
    assert stored.findtext("WHENMODIFIED") == created_at
    assert stored.findtext("CREATEDBY") == "ws_user"

    travel.advance(minutes=7, seconds=3)
    modified_at = stamp(travel)
    assert modified_at != created_at
    reply = update(books, obj, {"RECORDNO": recordno, name_field: "Renamed"})
    assert reply.result().findtext("status") == "success", reply.body.decode()
    stored = read_record(books, obj, recordno)
    assert stored.findtext(name_field) == "Renamed"
    assert stored.findtext("WHENCREATED") == created_at
    assert stored.findtext("WHENMODIFIED") == modified_at


def test_whencreated_sent_by_the_client_is_ignored(books):
    recordno = created_recordno(
        create(books, "CLASS", {"CLASSID": "TS", "NAME": "Stamped", "WHENCREATED": "01/01/2001 00:00:00"}), "CLASS")
    assert read_record(books, "CLASS", recordno).findtext("WHENCREATED") != "01/01/2001 00:00:00"


def test_customer_read_nests_the_display_contact_and_defaults_print_as(books):
    recordno = created_recordno(create(books, "CUSTOMER", {
        "CUSTOMERID": "C-77", "NAME": "Wayne Enterprises", "CREDITLIMIT": "1234.567",
        "DISPLAYCONTACT": {"EMAIL1": "ap@wayne.example", "MAILADDRESS": {"CITY": "Gotham"}},
    }), "CUSTOMER")
    stored = read_record(books, "CUSTOMER", recordno)
    assert stored.findtext("DISPLAYCONTACT/PRINTAS") == "Wayne Enterprises"
    assert stored.findtext("DISPLAYCONTACT/EMAIL1") == "ap@wayne.example"
    assert stored.findtext("DISPLAYCONTACT/MAILADDRESS/CITY") == "Gotham"
    assert stored.findtext("CREDITLIMIT") == "1234.57"  # amounts rounded to cents
    assert stored.findtext("ONHOLD") == "false"


def test_one_create_may_carry_objects_of_different_types(books):
    reply = books.ok(fn("<create>" + record_xml("CUSTOMER", {"CUSTOMERID": "C-M", "NAME": "Mixed"})
                        + record_xml("VENDOR", {"VENDORID": "V-M", "NAME": "Mixed"}) + "</create>"))
    data = reply.result().find("data")
    assert data.get("count") == "2"
    assert [(r.tag, r.findtext("RECORDNO") is not None) for r in data] == [("customer", True), ("vendor", True)]
    assert data.findtext("customer/CUSTOMERID") == "C-M" and data.findtext("vendor/VENDORID") == "V-M"


def test_a_failing_object_keeps_the_ones_before_it_and_stops(books):
    reply = books.call(fn("<create>" + record_xml("CLASS", {"CLASSID": "A1", "NAME": "First"})
                          + record_xml("CLASS", {"CLASSID": "C1", "NAME": "Duplicate"})
                          + record_xml("CLASS", {"CLASSID": "A3", "NAME": "Never"}) + "</create>"))
    errors = failure(reply)
    assert errors[0]["errorno"] == "BL34000061"
    data = reply.result().find("data")
    assert data.get("count") == "1" and data.findtext("class/CLASSID") == "A1"
    assert count_id(books, "CLASS", "A1") == 1
    assert count_id(books, "CLASS", "A3") == 0


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize("obj", [o for o in OBJECTS if o != "GLACCOUNT"])
def test_duplicate_id_is_bl34000061_with_the_generic_wrapper(books, obj):
    id_field, name_field, data = OBJECTS[obj]
    ident = EXISTING[obj]
    reply = create(books, obj, {**data, id_field: ident})
    errors = failure(reply)
    assert errors[0] == {"errorno": "BL34000061", "description": "",
                         "description2": f"Another {LABELS[obj]} with the given value(s) {ident}  already exists",
                         "correction": "Use a unique value instead."}
    assert_wrapper(errors, "create", obj)
    assert len(errors) == 2
    assert reply.result().find("data").attrib == {"listtype": "objects", "count": "0"}
    assert count_id(books, obj, ident) == 1


def test_duplicate_inactive_id_is_still_a_duplicate(books):
    errors = failure(create(books, "CLASS", {"CLASSID": "K-OLD", "NAME": "Again"}))
    assert errors[0]["description2"] == "Another Class with the given value(s) K-OLD  already exists"


def test_duplicate_gl_account_number_uses_the_account_form(books):
    reply = create(books, "GLACCOUNT", {**OBJECTS["GLACCOUNT"][2], "ACCOUNTNO": "1000"})
    errors = failure(reply)
    assert errors == [
        {"errorno": "BL01001973", "description": "Duplicate account number",
         "description2": "The account number '1000' already exists", "correction": "Enter unique account number"},
        {"errorno": "BL01001973", "description": "", "description2": "Could not create GL Account record.",
         "correction": ""},
    ]
    assert b"The account number &#039;1000&#039; already exists" in reply.body  # apostrophes as numeric entities


def test_a_deleted_id_may_be_used_again_with_a_new_recordno(books):
    first = created_recordno(create(books, "CLASS", {"CLASSID": "RE", "NAME": "First"}), "CLASS")
    books.ok(fn(f"<delete><object>CLASS</object><keys>{first}</keys></delete>"))
    second = created_recordno(create(books, "CLASS", {"CLASSID": "RE", "NAME": "Second"}), "CLASS")
    assert second > first
    assert by_name(books, "CLASS", "RE").findtext("NAME") == "Second"


# --------------------------------------------------------------------------- invalid input


@pytest.mark.parametrize("bad", ["C#1", "C:1", 'C"1', "C'1", "C<1", "C>1", "C&1", "C%1", "C|1", "C\\1"])
def test_forbidden_characters_in_an_id_are_refused(books, bad):
    reply = create(books, "CUSTOMER", {"CUSTOMERID": bad, "NAME": "Bad id"})
    errors = failure(reply)
    assert errors[0]["errorno"] == "BL01001973"
    assert errors[0]["description2"] == f"The Customer ID '{bad}' contains characters that are not allowed."
    assert_wrapper(errors, "create", "CUSTOMER")
    assert count_records(books, "CUSTOMER", "NAME = 'Bad id'") == 0


@pytest.mark.parametrize("obj", ["CLASS", "GLACCOUNT", "PROJECT"])
def test_forbidden_characters_are_refused_in_every_object_id(books, obj):
    id_field, _, data = OBJECTS[obj]
    errors = failure(create(books, obj, {**data, id_field: "X#9"}))
    assert errors[0]["description2"].endswith("'X#9' contains characters that are not allowed.")
    assert_wrapper(errors, "create", obj)


@pytest.mark.parametrize("obj,bad", [("CUSTOMER", "Acme <script>"), ("VENDOR", "Tools > Parts"),
                                     ("DEPARTMENT", "R<D"), ("GLACCOUNT", "Cash <main>")])
def test_invalid_characters_in_a_name_are_refused(books, obj, bad):
    id_field, name_field, data = OBJECTS[obj]
    errors = failure(create(books, obj, {**data, name_field: bad}))
    assert errors[0]["errorno"] == "BL01001973"
    assert errors[0]["description2"].endswith("contains invalid characters.")
    assert_wrapper(errors, "create", obj)
    assert count_id(books, obj, data[id_field]) == 0


def test_invalid_characters_in_a_name_are_refused_on_update_too(books):
    errors = failure(update(books, "CLASS", {"CLASSID": "C1", "NAME": "<b>bold</b>"}))
    assert errors[0]["description2"] == "The name contains invalid characters."
    assert_wrapper(errors, "update", "CLASS")
    assert by_name(books, "CLASS", "C1").findtext("NAME") == "Enterprise"


def test_ordinary_punctuation_in_ids_and_names_is_kept_verbatim(books):
    recordno = created_recordno(create(books, "CUSTOMER", {"CUSTOMERID": "C-1.2_A/B", "NAME": "O'Brien & Sons, Ltd."}),
                                "CUSTOMER")
    stored = read_record(books, "CUSTOMER", recordno)
    assert stored.findtext("CUSTOMERID") == "C-1.2_A/B"
    assert stored.findtext("NAME") == "O'Brien & Sons, Ltd."


def test_an_id_longer_than_the_field_is_refused(books):
    errors = failure(create(books, "CUSTOMER", {"CUSTOMERID": "C" * 21, "NAME": "Long"}))
    assert errors[0]["errorno"] == "BL01001973"
    assert "CUSTOMERID is longer than 20 characters" in errors[0]["description2"]


@pytest.mark.parametrize("group,part,label", [
    ("DISPLAYCONTACT", "EMAIL1", "Primary Email Address"),
    ("DISPLAYCONTACT", "EMAIL2", "Secondary Email Address"),
    ("BILLTO", "EMAIL1", "Primary Email Address"),
])
@pytest.mark.parametrize("email", ["@aeon.org", "no-at-sign.example", "two@@example.com", "spaces in@example.com"])
def test_badly_formed_email_is_bl03000018(books, group, part, label, email):
    reply = create(books, "CUSTOMER", {"CUSTOMERID": "C-MAIL", "NAME": "Mail", group: {part: email}})
    errors = failure(reply)
    assert errors[0] == {"errorno": "BL03000018", "description": "",
                         "description2": f"Illegal format for Contactversion : {label} {email}.", "correction": ""}
    assert_wrapper(errors, "create", "CUSTOMER")
    assert count_id(books, "CUSTOMER", "C-MAIL") == 0


def test_email_is_validated_on_update_and_the_old_value_stays(books):
    books.ok(fn("<update>" + record_xml("VENDOR", {"VENDORID": "V-1", "DISPLAYCONTACT": {"EMAIL1": "ap@initech.example"}})
                + "</update>"))
    errors = failure(update(books, "VENDOR", {"VENDORID": "V-1", "PAYTO": {"EMAIL1": "broken@"}}))
    assert errors[0]["errorno"] == "BL03000018"
    assert_wrapper(errors, "update", "VENDOR")
    errors = failure(update(books, "VENDOR", {"VENDORID": "V-1", "DISPLAYCONTACT": {"EMAIL1": "broken@"}}))
    assert errors[0]["description2"] == "Illegal format for Contactversion : Primary Email Address broken@."
    assert by_name(books, "VENDOR", "V-1").findtext("DISPLAYCONTACT/EMAIL1") == "ap@initech.example"


@pytest.mark.parametrize("obj,field,label", [
    ("CUSTOMER", "CUSTOMERID", "Customer ID"), ("CUSTOMER", "NAME", "Customer Name"),
    ("VENDOR", "NAME", "Vendor Name"), ("GLACCOUNT", "TITLE", "Title"), ("GLACCOUNT", "ACCOUNTTYPE", "Account type"),
    ("GLACCOUNT", "NORMALBALANCE", "Normal balance"), ("LOCATION", "NAME", "Name"),
    ("DEPARTMENT", "TITLE", "Department name"), ("CLASS", "CLASSID", "Class ID"),
    ("PROJECT", "PROJECTCATEGORY", "Project category"),
])
def test_missing_required_field(books, obj, field, label):
    data = {k: v for k, v in OBJECTS[obj][2].items() if k != field}
    errors = failure(create(books, obj, data))
    assert errors[0] == {"errorno": "BL01001973", "description": "",
                         "description2": f"Required field '{label}' ({field}) is missing.",
                         "correction": f"Provide a value for {field}."}
    assert_wrapper(errors, "create", obj)


def test_an_empty_required_element_counts_as_missing(books):
    errors = failure(create(books, "CLASS", {"CLASSID": "E1", "NAME": "   "}))
    assert errors[0]["description2"] == "Required field 'Name' (NAME) is missing."


def test_update_cannot_blank_a_required_field(books):
    errors = failure(update(books, "DEPARTMENT", {"DEPARTMENTID": "D100", "TITLE": ""}))
    assert errors[0]["description2"] == "Required field 'Department name' (TITLE) is missing."
    assert_wrapper(errors, "update", "DEPARTMENT")
    assert by_name(books, "DEPARTMENT", "D100").findtext("TITLE") == "Finance"


@ALL
def test_unknown_field_on_create_is_dl02000001_and_nothing_is_written(books, obj):
    id_field, _, data = OBJECTS[obj]
    reply = create(books, obj, {**data, "NOSUCHFIELD": "x"})
    errors = failure(reply)
    assert errors == [{"errorno": "DL02000001", "description": "Error",
                       "description2": "There was an error processing the request.",
                       "correction": f"Field 'NOSUCHFIELD' does not exist on object {obj}"}]
    assert count_id(books, obj, data[id_field]) == 0


def test_unknown_field_inside_a_group_and_on_update_is_dl02000001(books):
    errors = failure(create(books, "CUSTOMER", {"CUSTOMERID": "C-G", "NAME": "G", "DISPLAYCONTACT": {"NICKNAME": "g"}}))
    assert errors[0]["errorno"] == "DL02000001"
    assert errors[0]["correction"] == "Field 'DISPLAYCONTACT.NICKNAME' does not exist on object CUSTOMER"
    errors = failure(update(books, "CUSTOMER", {"CUSTOMERID": "C-1", "SHOESIZE": "9"}))
    assert errors[0]["errorno"] == "DL02000001"


def test_an_empty_contact_group_is_accepted_and_changes_nothing(books):
    """The official SDKs write ``<DISPLAYCONTACT/>`` (and ``<MAILADDRESS/>``) when no contact field is
    set; Intacct accepts the empty groups, so an update keeps the contact as it was."""
    books.ok(fn(f"<update>{record_xml('CUSTOMER', {'CUSTOMERID': 'C-1', 'NAME': 'Acme plc', 'DISPLAYCONTACT': {}})}"
                "</update>"))
    books.ok(fn("<update><VENDOR><VENDORID>V-1</VENDORID><DISPLAYCONTACT><PRINTAS>Initech Ltd</PRINTAS>"
                "<MAILADDRESS/></DISPLAYCONTACT></VENDOR></update>"))
    customer = by_name(books, "CUSTOMER", "C-1")
    assert customer.findtext("NAME") == "Acme plc" and customer.findtext("DISPLAYCONTACT/PRINTAS") == "Acme Corp"
    assert by_name(books, "VENDOR", "V-1").findtext("DISPLAYCONTACT/PRINTAS") == "Initech Ltd"
    created = create(books, "CUSTOMER", {"CUSTOMERID": "C-E", "NAME": "Empty groups", "DISPLAYCONTACT": {}})
    assert created_recordno(created, "CUSTOMER") > 0
    # An empty element that is not a group of the object is still an unknown field.
    errors = failure(update(books, "CUSTOMER", {"CUSTOMERID": "C-1", "NOSUCHGROUP": {}}))
    assert errors[0]["correction"] == "Field 'NOSUCHGROUP' does not exist on object CUSTOMER"


def test_contacts_are_master_data_named_by_contactname(books):
    created = create(books, "CONTACT", {"CONTACTNAME": "Jo Bloggs", "PRINTAS": "Jo Bloggs", "EMAIL1": "jo@x.example",
                                        "MAILADDRESS": {"CITY": "Leeds"}})
    assert created_recordno(created, "CONTACT") > 0
    contact = by_name(books, "CONTACT", "Jo Bloggs")
    assert contact.findtext("MAILADDRESS/CITY") == "Leeds" and contact.findtext("STATUS") == "active"
    errors = failure(create(books, "CONTACT", {"CONTACTNAME": "Jo Bloggs", "PRINTAS": "Jo"}))
    assert errors[0]["errorno"] == "BL34000061"
    assert errors[0]["description2"] == "Another Contact with the given value(s) Jo Bloggs  already exists"
    errors = failure(create(books, "CONTACT", {"CONTACTNAME": "No print-as"}))
    assert "PRINTAS" in errors[0]["description2"]
    books.ok(fn('<delete_contact contactname="Jo Bloggs"/>'))
    assert count_records(books, "CONTACT", "CONTACTNAME = 'Jo Bloggs'") == 0


def test_enum_fields_take_labels_or_codes_and_refuse_anything_else(books):
    errors = failure(create(books, "GLACCOUNT", {**OBJECTS["GLACCOUNT"][2], "ACCOUNTTYPE": "assets"}))
    assert errors[0]["errorno"] == "BL01001973"
    assert errors[0]["description2"] == "'assets' is not a valid value for ACCOUNTTYPE"
    recordno = created_recordno(create(books, "GLACCOUNT", {**OBJECTS["GLACCOUNT"][2], "ACCOUNTTYPE": "BalanceSheet",
                                                            "NORMALBALANCE": "credit"}), "GLACCOUNT")
    stored = read_record(books, "GLACCOUNT", recordno)
    assert (stored.findtext("ACCOUNTTYPE"), stored.findtext("NORMALBALANCE")) == ("balancesheet", "credit")


def test_status_inactive_is_stored_as_f_and_shown_as_inactive(books):
    recordno = created_recordno(create(books, "LOCATION", {"LOCATIONID": "L-IN", "NAME": "Idle", "STATUS": "inactive"}),
                                "LOCATION")
    assert read_record(books, "LOCATION", recordno).findtext("STATUS") == "inactive"
    assert count_records(books, "LOCATION", "LOCATIONID = 'L-IN' AND STATUS = 'F'") == 1
    books.ok(fn("<update>" + record_xml("LOCATION", {"LOCATIONID": "L-IN", "STATUS": "active"}) + "</update>"))
    assert count_records(books, "LOCATION", "LOCATIONID = 'L-IN' AND STATUS = 'T'") == 1


# --------------------------------------------------------------------------- vendor currency and terms


def vendor_books(make_company, gateway_url, **overrides) -> Gateway:
    records = [r for r in BASIC_RECORDS if r[0] != "VENDOR"]
    return Gateway(gateway_url, company=make_company(records, **overrides))


@pytest.mark.parametrize("data,text", [
    ({"TERMNAME": "N30"}, "Required field 'Default currency' (CURRENCY) is missing."),
    ({"CURRENCY": "USD"}, "Required field 'Terms' (TERMNAME) is missing."),
    ({}, "Required field 'Default currency' (CURRENCY) is missing."),
])
def test_vendor_without_currency_or_terms_where_the_company_requires_them(make_company, gateway_url, data, text):
    gw = vendor_books(make_company, gateway_url, vendor_requires_currency=True, vendor_requires_terms=True)
    errors = failure(create(gw, "VENDOR", {"VENDORID": "V-R", "NAME": "Required", **data}))
    assert errors[0]["errorno"] == "BL01001973"
    assert errors[0]["description2"] == text
    assert_wrapper(errors, "create", "VENDOR")
    assert count_id(gw, "VENDOR", "V-R") == 0


def test_vendor_with_currency_and_terms_is_accepted_and_cannot_lose_them(make_company, gateway_url):
    gw = vendor_books(make_company, gateway_url, vendor_requires_currency=True, vendor_requires_terms=True)
    recordno = created_recordno(create(gw, "VENDOR", {"VENDORID": "V-R", "NAME": "Required", "CURRENCY": "USD",
                                                      "TERMNAME": "N30"}), "VENDOR")
    stored = read_record(gw, "VENDOR", recordno)
    assert (stored.findtext("CURRENCY"), stored.findtext("TERMNAME")) == ("USD", "N30")
    gw.ok(fn("<update>" + record_xml("VENDOR", {"VENDORID": "V-R", "NAME": "Renamed"}) + "</update>"))  # merged: still there
    errors = failure(update(gw, "VENDOR", {"VENDORID": "V-R", "CURRENCY": ""}))
    assert errors[0]["description2"] == "Required field 'Default currency' (CURRENCY) is missing."
    assert_wrapper(errors, "update", "VENDOR")
    assert read_record(gw, "VENDOR", recordno).findtext("CURRENCY") == "USD"


def test_only_vendors_need_currency_and_terms_and_only_when_configured(make_company, gateway_url):
    strict = vendor_books(make_company, gateway_url, vendor_requires_currency=True, vendor_requires_terms=True)
    strict.ok(fn("<create>" + record_xml("CUSTOMER", {"CUSTOMERID": "C-F", "NAME": "Free"}) + "</create>"))
    relaxed = vendor_books(make_company, gateway_url)
    relaxed.ok(fn("<create>" + record_xml("VENDOR", {"VENDORID": "V-F", "NAME": "Free"}) + "</create>"))


@pytest.mark.parametrize("obj", ["VENDOR", "CUSTOMER"])
def test_unknown_currency_or_term_is_an_invalid_reference(make_company, gateway_url, obj):
    gw = Gateway(gateway_url, company=make_company(currencies=["USD", "CAD"]))
    id_field, _, data = OBJECTS[obj]
    errors = failure(create(gw, obj, {**data, "CURRENCY": "EUR"}))
    assert errors[0]["description2"] == "Invalid Currency 'EUR' specified."
    assert_wrapper(errors, "create", obj)
    errors = failure(create(gw, obj, {**data, "TERMNAME": "N99"}))
    assert errors[0]["description2"] == "Invalid Term 'N99' specified."
    recordno = created_recordno(create(gw, obj, {**data, "CURRENCY": "CAD", "TERMNAME": "N60"}), obj)
    assert read_record(gw, obj, recordno).findtext("TERMNAME") == "N60"


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize("obj", [o for o in OBJECTS if o != "GLACCOUNT"])
@pytest.mark.parametrize("which", ["unknown", "inactive"])
def test_parent_that_does_not_exist_or_is_inactive(books, obj, which):
    id_field, _, data = OBJECTS[obj]
    parent = "NOPE" if which == "unknown" else INACTIVE[obj]
    errors = failure(create(books, obj, {**data, "PARENTID": parent}))
    assert errors[0] == {"errorno": "BL01001973", "description": "",
                         "description2": f"Invalid Parent {LABELS[obj]} '{parent}' specified.", "correction": ""}
    assert_wrapper(errors, "create", obj)
    assert count_id(books, obj, data[id_field]) == 0


@pytest.mark.parametrize("obj", [o for o in OBJECTS if o != "GLACCOUNT"])
def test_active_parent_is_accepted_and_read_back(books, obj):
    _, _, data = OBJECTS[obj]
    recordno = created_recordno(create(books, obj, {**data, "PARENTID": EXISTING[obj]}), obj)
    assert read_record(books, obj, recordno).findtext("PARENTID") == EXISTING[obj]


def test_parent_is_checked_on_update(books):
    errors = failure(update(books, "DEPARTMENT", {"DEPARTMENTID": "D100", "PARENTID": "D-OLD"}))
    assert errors[0]["description2"] == "Invalid Parent Department 'D-OLD' specified."
    assert_wrapper(errors, "update", "DEPARTMENT")
    assert by_name(books, "DEPARTMENT", "D100").findtext("PARENTID") == ""


@pytest.mark.parametrize("field,ref", [("CUSTOMERID", "CUSTOMER"), ("LOCATIONID", "LOCATION"),
                                       ("DEPARTMENTID", "DEPARTMENT")])
@pytest.mark.parametrize("which", ["unknown", "inactive"])
def test_project_reference_that_does_not_exist_or_is_inactive(books, field, ref, which):
    value = "NOPE" if which == "unknown" else INACTIVE[ref]
    errors = failure(create(books, "PROJECT", {**OBJECTS["PROJECT"][2], field: value}))
    assert errors[0]["description2"] == f"Invalid {LABELS[ref]} '{value}' specified."
    assert_wrapper(errors, "create", "PROJECT")
    assert count_id(books, "PROJECT", "P-NEW") == 0
    errors = failure(update(books, "PROJECT", {"PROJECTID": "P-1", field: value}))
    assert errors[0]["description2"] == f"Invalid {LABELS[ref]} '{value}' specified."
    assert_wrapper(errors, "update", "PROJECT")


def test_project_with_active_references_is_accepted(books):
    recordno = created_recordno(create(books, "PROJECT", {**OBJECTS["PROJECT"][2], "CUSTOMERID": "C-2",
                                                          "LOCATIONID": "L100", "DEPARTMENTID": "D100"}), "PROJECT")
    stored = read_record(books, "PROJECT", recordno)
    assert [stored.findtext(f) for f in ("CUSTOMERID", "LOCATIONID", "DEPARTMENTID")] == ["C-2", "L100", "D100"]


# --------------------------------------------------------------------------- update


@ALL
def test_update_by_id_or_by_recordno_changes_only_what_is_sent(books, obj):
    id_field, name_field, _ = OBJECTS[obj]
    before = by_name(books, obj, EXISTING[obj])
    recordno = before.findtext("RECORDNO")
    reply = books.ok(fn("<update>" + record_xml(obj, {id_field: EXISTING[obj], name_field: "By id"}) + "</update>"))
    record = reply.result().find(f"data/{obj.lower()}")
    assert reply.result().find("data").attrib == {"listtype": "objects", "count": "1"}
    assert (record.findtext("RECORDNO"), record.findtext(id_field)) == (recordno, EXISTING[obj])
    books.ok(fn("<update>" + record_xml(obj, {"RECORDNO": recordno, "STATUS": "inactive"}) + "</update>"))
    after = read_record(books, obj, recordno)
    assert after.findtext(name_field) == "By id"
    assert after.findtext("STATUS") == "inactive"
    assert after.findtext("WHENCREATED") == before.findtext("WHENCREATED")


@pytest.mark.parametrize("obj", ["CUSTOMER", "GLACCOUNT", "CLASS"])
def test_update_of_a_record_that_does_not_exist(books, obj):
    id_field, name_field, _ = OBJECTS[obj]
    errors = failure(update(books, obj, {id_field: "UT99", name_field: "x"}))
    assert errors == [{"errorno": f"Cannot update non-existing {obj} with {id_field}=UT99.", "description": "",
                       "description2": "", "correction": ""}]
    errors = failure(update(books, obj, {"RECORDNO": "987654321", name_field: "x"}))
    assert errors[0]["errorno"] == f"Cannot update non-existing {obj} with RECORDNO=987654321."


def test_update_without_a_key(books):
    errors = failure(update(books, "CLASS", {"NAME": "Keyless"}))
    assert errors[0]["errorno"] == "Cannot update non-existing CLASS with RECORDNO or CLASSID=."


def test_the_id_of_a_record_cannot_be_changed(books):
    recordno = by_name(books, "CLASS", "C1").findtext("RECORDNO")
    errors = failure(update(books, "CLASS", {"RECORDNO": recordno, "CLASSID": "C1-RENAMED"}))
    assert errors[0]["description2"] == "CLASSID cannot be changed."
    assert_wrapper(errors, "update", "CLASS")
    assert count_id(books, "CLASS", "C1") == 1 and count_id(books, "CLASS", "C1-RENAMED") == 0


def test_a_record_of_another_company_is_not_found(make_company, gateway_url):
    mine = Gateway(gateway_url, company=make_company())
    theirs = Gateway(gateway_url, company=make_company())
    recordno = by_name(theirs, "CLASS", "C1").findtext("RECORDNO")
    errors = failure(update(mine, "CLASS", {"RECORDNO": recordno, "NAME": "Hijack"}))
    assert errors[0]["errorno"] == f"Cannot update non-existing CLASS with RECORDNO={recordno}."
    errors = failure(mine.call(fn(f"<delete><object>CLASS</object><keys>{recordno}</keys></delete>")))
    assert errors[0]["description2"] == f"Cannot find class with key '{recordno}' to delete."
    assert read_record(mine, "CLASS", recordno) is None
    assert by_name(theirs, "CLASS", "C1").findtext("NAME") == "Enterprise"


# --------------------------------------------------------------------------- delete


@ALL
def test_deleted_record_reads_as_nothing_and_cannot_be_updated_or_deleted_again(books, obj):
    id_field, name_field, data = OBJECTS[obj]
    recordno = created_recordno(create(books, obj, data), obj)
    reply = books.ok(fn(f"<delete><object>{obj}</object><keys>{recordno}</keys></delete>"))
    assert reply.result().findtext("function") == "delete"
    assert reply.result().find("data") is None  # a delete answers without <data>

    read = books.ok(fn(f"<read><object>{obj}</object><keys>{recordno}</keys><fields>*</fields></read>"))
    assert read.result().find("data").attrib == {"listtype": obj, "count": "0"}
    assert len(read.result().find("data")) == 0
    by_id = books.ok(fn(f"<readByName><object>{obj}</object><keys>{data[id_field]}</keys></readByName>"))
    assert by_id.result().find("data").get("count") == "0"
    assert count_id(books, obj, data[id_field]) == 0

    errors = failure(update(books, obj, {"RECORDNO": recordno, name_field: "Zombie"}))
    assert errors[0]["errorno"] == f"Cannot update non-existing {obj} with RECORDNO={recordno}."
    errors = failure(update(books, obj, {id_field: data[id_field], name_field: "Zombie"}))
    assert errors[0]["errorno"] == f"Cannot update non-existing {obj} with {id_field}={data[id_field]}."
    errors = failure(books.call(fn(f"<delete><object>{obj}</object><keys>{recordno}</keys></delete>")))
    assert errors == [{"errorno": "BL01001973", "description": "",
                       "description2": f"Cannot find {obj.lower()} with key '{recordno}' to delete.", "correction": ""}]


def test_delete_takes_recordnos_not_ids(books):
    errors = failure(books.call(fn("<delete><object>CLASS</object><keys>C1</keys></delete>")))
    assert errors[0]["description2"] == "Cannot find class with key 'C1' to delete."
    assert count_id(books, "CLASS", "C1") == 1


def test_deleted_record_is_gone_from_query_results(books):
    recordno = by_name(books, "LOCATION", "L100").findtext("RECORDNO")
    books.ok(fn(f"<delete><object>LOCATION</object><keys>{recordno}</keys></delete>"))
    reply = books.ok(fn("<query><object>LOCATION</object><select><field>LOCATIONID</field></select>"
                        "<filter><equalto><field>LOCATIONID</field><value>L100</value></equalto></filter></query>"))
    assert reply.result().find("data").get("totalcount") == "0"


# --------------------------------------------------------------------------- custom fields

CUSTOM = {"CUSTOMER": [
    CustomField("REGION", "text", "Sales region"),
    CustomField("SCORE", "integer", "Credit score"),
    CustomField("VIP", "boolean", "VIP"),
    CustomField("SINCE", "date", "Customer since"),
    CustomField("REBATE", "decimal", "Rebate"),
]}


@pytest.fixture
def custom(make_company, gateway_url) -> Gateway:
    return Gateway(gateway_url, company=make_company(custom_fields=CUSTOM))


def test_custom_fields_are_written_and_read_back(custom):
    recordno = created_recordno(create(custom, "CUSTOMER", {
        "CUSTOMERID": "C-CF", "NAME": "Custom", "REGION": "EMEA", "SCORE": "720", "VIP": "true", "SINCE": "4/1/2024",
        "REBATE": "2.505",
    }), "CUSTOMER")
    stored = read_record(custom, "CUSTOMER", recordno)
    assert [stored.findtext(f) for f in ("REGION", "SCORE", "VIP", "SINCE", "REBATE")] == [
        "EMEA", "720", "true", "04/01/2024", "2.50"]  # 2.505 is 2.50499... in binary: rounds down
    only = by_name(custom, "CUSTOMER", "C-CF", fields="CUSTOMERID,REGION,VIP")
    assert [(c.tag, c.text) for c in only] == [("CUSTOMERID", "C-CF"), ("REGION", "EMEA"), ("VIP", "true")]


def test_custom_fields_update_one_and_keep_the_others(custom):
    create(custom, "CUSTOMER", {"CUSTOMERID": "C-CF", "NAME": "Custom", "REGION": "EMEA", "SCORE": "720"})
    custom.ok(fn("<update>" + record_xml("CUSTOMER", {"CUSTOMERID": "C-CF", "REGION": "APAC"}) + "</update>"))
    stored = by_name(custom, "CUSTOMER", "C-CF")
    assert (stored.findtext("REGION"), stored.findtext("SCORE")) == ("APAC", "720")
    assert stored.findtext("VIP") == ""  # never set: empty, not false


def test_custom_fields_are_queryable(custom):
    create(custom, "CUSTOMER", {"CUSTOMERID": "C-A", "NAME": "A", "REGION": "EMEA", "SCORE": "720", "VIP": "true",
                                "SINCE": "01/15/2024"})
    create(custom, "CUSTOMER", {"CUSTOMERID": "C-B", "NAME": "B", "REGION": "AMER", "SCORE": "610", "VIP": "false",
                                "SINCE": "06/01/2025"})

    def ids(query: str) -> list[str]:
        reply = custom.query("CUSTOMER", query, fields="CUSTOMERID,REGION")
        return [r.findtext("CUSTOMERID") for r in reply.result().findall("data/customer")]

    assert ids("REGION = 'EMEA'") == ["C-A"]
    assert ids("SCORE > 700") == ["C-A"]
    assert ids("VIP = 'T'") == ["C-A"]  # stored codes, as for built-in booleans
    assert ids("SINCE >= '01/01/2025'") == ["C-B"]
    assert ids("REGION IS NULL") == ["C-1", "C-2"]
    reply = custom.ok(fn("<query><object>CUSTOMER</object><select><field>CUSTOMERID</field><field>SCORE</field></select>"
                         "<filter><equalto><field>VIP</field><value>false</value></equalto></filter></query>"))
    assert [(r.findtext("CUSTOMERID"), r.findtext("SCORE")) for r in reply.result().findall("data/CUSTOMER")] == [
        ("C-B", "610")]


def test_custom_field_values_are_type_checked(custom):
    errors = failure(create(custom, "CUSTOMER", {"CUSTOMERID": "C-X", "NAME": "X", "SCORE": "high"}))
    assert errors[0]["errorno"] == "BL01001973"
    assert errors[0]["description2"] == "'high' is not a valid integer for SCORE"
    errors = failure(create(custom, "CUSTOMER", {"CUSTOMERID": "C-X", "NAME": "X", "SINCE": "2024-13-45"}))
    assert "is not a valid date" in errors[0]["description2"]
    assert count_id(custom, "CUSTOMER", "C-X") == 0


def test_custom_fields_belong_to_their_object_and_company(custom, company):
    errors = failure(create(custom, "VENDOR", {"VENDORID": "V-X", "NAME": "X", "REGION": "EMEA"}))
    assert errors[0]["errorno"] == "DL02000001"
    errors = failure(create(company, "CUSTOMER", {"CUSTOMERID": "C-X", "NAME": "X", "REGION": "EMEA"}))
    assert errors[0]["errorno"] == "DL02000001"


def test_required_custom_field_must_be_given(make_company, gateway_url):
    required = {"CLASS": [CustomField("COSTCODE", "text", "Cost code", required=True)]}
    gw = Gateway(gateway_url, company=make_company([r for r in BASIC_RECORDS if r[0] != "CLASS"], custom_fields=required))
    errors = failure(create(gw, "CLASS", {"CLASSID": "K9", "NAME": "Nine"}))
    assert errors[0]["description2"] == "Required field 'Cost code' (COSTCODE) is missing."
    assert_wrapper(errors, "create", "CLASS")
    gw.ok(fn("<create>" + record_xml("CLASS", {"CLASSID": "K9", "NAME": "Nine", "COSTCODE": "CC-1"}) + "</create>"))
    assert by_name(gw, "CLASS", "K9").findtext("COSTCODE") == "CC-1"


def test_custom_fields_are_listed_by_inspect_and_lookup(custom):
    reply = custom.ok(fn("<inspect><object>CUSTOMER</object></inspect>"))
    names = [f.text for f in reply.result().findall("data/Type/Fields/Field")]
    assert {"REGION", "SCORE", "VIP", "SINCE", "REBATE"} <= set(names)
    reply = custom.ok(fn("<lookup><object>CUSTOMER</object></lookup>"))
    fields = {f.findtext("ID"): f for f in reply.result().findall("data/Type/Fields/Field")}
    assert fields["REGION"].findtext("ISCUSTOM") == "true" and fields["REGION"].findtext("LABEL") == "Sales region"
    assert fields["SCORE"].findtext("DATATYPE") == "INTEGER"
    assert fields["SINCE"].findtext("DATATYPE") == "DATE"
    assert fields["NAME"].findtext("ISCUSTOM") == "false"


# --------------------------------------------------------------------------- clock sanity


def test_stamps_follow_the_emulator_clock_not_the_wall_clock(books, travel):
    travel.advance(days=40)
    recordno = created_recordno(create(books, "CLASS", {"CLASSID": "FUT", "NAME": "Future"}), "CLASS")
    assert read_record(books, "CLASS", recordno).findtext("WHENCREATED") == stamp(travel)
