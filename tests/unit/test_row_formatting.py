"""Field values go in and come out in Intacct's formats, and the fast row formatter never disagrees with the slow one."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from intacct_mock.functions.writes import Written
from intacct_mock.gateway.records import RECORD_URL, FlatEntries, RowFormatter, field_values, write_result_record
from intacct_mock.objects.fields import (
    FieldType,
    ValueFormatError,
    choice,
    day,
    flag,
    integer,
    money,
    parse_mdy,
    parse_mdy_hms,
    parse_whole,
    stamp,
    text,
)
from intacct_mock.objects.registry import object_type
from intacct_mock.xmlwriter import flat_fragment

STATE = choice("STATE", [("D", "Draft"), ("A", "Posted"), ("V", "Reversed")])


@pytest.mark.parametrize("raw, stored", [("03/05/2026", "2026-03-05"), ("3/5/2026", "2026-03-05"),
                                         (" 12/31/2025 ", "2025-12-31"), ("2026-03-05", "2026-03-05")])
def test_dates_are_read_as_mdy_or_iso_and_stored_as_iso(raw, stored):
    assert day("WHENDUE").from_input(raw) == stored


@pytest.mark.parametrize("raw", ["2026-02-30", "13/01/2026", "02/30/2026", "2026/03/05", "3-5-2026", "tomorrow"])
def test_impossible_or_misshapen_dates_are_a_value_format_error(raw):
    with pytest.raises(ValueFormatError, match="not a"):
        day("WHENDUE").from_input(raw)


def test_dates_and_timestamps_are_shown_as_mdy():
    assert day("D").to_output("2026-03-05") == "03/05/2026"
    assert stamp("W").to_output("2026-03-06 09:05:07") == "03/06/2026 09:05:07"
    assert day("D").to_output(None) == "" and stamp("W").to_output(None) == ""


@pytest.mark.parametrize("raw, stored", [("03/06/2026 09:05:07", "2026-03-06 09:05:07"),
                                         ("3/6/2026 9:05", "2026-03-06 09:05:00"), ("03/06/2026", "2026-03-06 00:00:00")])
def test_timestamps_take_optional_seconds_or_a_bare_date(raw, stored):
    field = stamp("WHENMODIFIED")
    assert field.readonly and field.from_input(raw) == stored


def test_parse_mdy_and_parse_mdy_hms_return_dates_and_datetimes():
    assert parse_mdy("2/9/2026") == date(2026, 2, 9)
    assert parse_mdy_hms("02/09/2026 23:59:58") == datetime(2026, 2, 9, 23, 59, 58)
    assert parse_mdy_hms("02/09/2026") == datetime(2026, 2, 9)
    with pytest.raises(ValueFormatError, match="valid date and time"):
        parse_mdy_hms("02/09/2026 25:00")


@pytest.mark.parametrize("raw, stored, shown", [("10.126", 10.13, "10.13"), ("10.124", 10.12, "10.12"),
                                                ("1,234.5", 1234.5, "1234.50"), (" 7 ", 7.0, "7.00"),
                                                ("-42.1", -42.1, "-42.10"), ("9999999999999.99", 9999999999999.99,
                                                                              "9999999999999.99")])
def test_money_is_rounded_to_cents_and_shown_with_two_decimals(raw, stored, shown):
    field = money("TOTALENTERED")
    assert field.from_input(raw) == stored and field.to_output(field.from_input(raw)) == shown


@pytest.mark.parametrize("raw, problem", [("1e13", "out of range"), ("-1e13", "out of range"), ("nan", "out of range"),
                                          ("inf", "out of range"), ("12abc", "not a valid number")])
def test_money_outside_the_books_range_or_not_a_number_is_refused(raw, problem):
    with pytest.raises(ValueFormatError, match=problem):
        money("TOTALENTERED").from_input(raw)


def test_integers_are_range_checked_against_sqlite():
    field = integer("RECORDNO")
    assert field.from_input(" -5 ") == -5 and field.from_input(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(ValueFormatError, match="out of range"):
        field.from_input(str(2**63))
    with pytest.raises(ValueFormatError, match="not a valid integer"):
        field.from_input("1.5")


@pytest.mark.parametrize("raw, code", [("true", "T"), ("FALSE", "F"), ("t", "T"), ("f", "F"), ("1", "T"),
                                       ("0", "F"), ("Yes", "T"), ("no", "F")])
def test_booleans_are_read_by_code_label_or_digit_in_any_case(raw, code):
    assert flag("ONHOLD").from_input(raw) == code


@pytest.mark.parametrize("raw, code", [("Posted", "A"), ("posted", "A"), ("a", "A"), ("DRAFT", "D"), ("v", "V")])
def test_enums_are_read_by_code_or_label_case_insensitively(raw, code):
    assert STATE.from_input(raw) == code


def test_enums_and_booleans_are_shown_by_label_and_unknown_values_refused():
    assert STATE.to_output("A") == "Posted" and flag("ONHOLD").to_output("F") == "false"
    assert STATE.to_output("Z") == "Z" and flag("X").codes == (("T", "true"), ("F", "false"))
    with pytest.raises(ValueFormatError, match="not a valid value for STATE"):
        STATE.from_input("Paid")


@pytest.mark.parametrize("field", [text("T"), integer("I"), money("M"), day("D"), flag("B"), STATE])
def test_empty_or_blank_input_is_none_for_every_type(field):
    assert field.from_input("") is None and field.from_input("   ") is None and field.from_input(None) is None


def test_text_is_stripped_and_checked_against_its_maximum_length():
    field = text("NAME", max_length=3)
    assert field.from_input("  abc ") == "abc" and field.type is FieldType.TEXT and field.label == "Name"
    with pytest.raises(ValueFormatError, match="longer than 3"):
        field.from_input("abcd")


def test_query_literals_follow_the_dialect():
    assert day("D").query_literal("03/05/2026", dialect="readByQuery") == "2026-03-05"
    assert day("D").query_literal("03/05/2026 10:00:00", dialect="query") == "2026-03-05"
    with pytest.raises(ValueFormatError):
        day("D").query_literal("2026-03-05", dialect="readByQuery")
    assert STATE.query_literal("A", dialect="readByQuery") == "A"
    assert STATE.query_literal("Posted", dialect="query") == "A"
    with pytest.raises(ValueFormatError):
        STATE.query_literal("A", dialect="query")
    with pytest.raises(ValueFormatError):
        STATE.query_literal("posted", dialect="query")
    assert STATE.query_literal("posted", dialect="query", case_insensitive=True) == "A"
    assert integer("N").query_literal("12", dialect="query") == 12 and money("M").query_literal("1.5", dialect="query") == 1.5
    assert stamp("W").query_literal("03/05/2026 10:00", dialect="query") == "2026-03-05 10:00:00"


@pytest.mark.parametrize("raw, value", [("42", 42), (" 7 ", 7), (str(2**63 - 1), 2**63 - 1), ("-1", None),
                                        ("1.0", None), (str(2**63), None), ("", None), (None, None), ("\u0663", None)])
def test_parse_whole_accepts_only_ascii_whole_numbers_that_fit_sqlite(raw, value):
    assert parse_whole(raw) == value


# ---------------------------------------------------------------------------- rows to records

VENDOR = object_type("VENDOR")
FIELDS = {**VENDOR.fields, "VENDOR_CATEGORY": text("VENDOR_CATEGORY", custom=True)}
NAMES = ["RECORDNO", "VENDORID", "NAME", "STATUS", "WHENMODIFIED", "CREDITLIMIT", "ONHOLD", "VENDOR_CATEGORY",
         "NOT_DECLARED"]
ROWS = [
    {"RECORDNO": 1, "VENDORID": "V-1", "NAME": "Initech", "STATUS": "T", "WHENMODIFIED": "2026-03-16 12:00:00",
     "CREDITLIMIT": 1500, "ONHOLD": "F", "VENDOR_CATEGORY": "IT", "NOT_DECLARED": 3},
    {"RECORDNO": 2, "VENDORID": "V-2", "NAME": None, "STATUS": "F", "WHENMODIFIED": None, "CREDITLIMIT": None,
     "ONHOLD": None, "VENDOR_CATEGORY": None, "NOT_DECLARED": None},
    {"RECORDNO": 3, "VENDORID": "V-3", "NAME": "No custom", "STATUS": "T", "WHENMODIFIED": "2026-01-02 03:04:05",
     "CREDITLIMIT": 0.5, "ONHOLD": "T"},  # custom and undeclared names never set on this row
]


def test_field_values_formats_each_type_for_output():
    assert field_values(FIELDS, ROWS[0], NAMES) == [
        ("RECORDNO", "1"), ("VENDORID", "V-1"), ("NAME", "Initech"), ("STATUS", "active"),
        ("WHENMODIFIED", "03/16/2026 12:00:00"), ("CREDITLIMIT", "1500.00"), ("ONHOLD", "false"),
        ("VENDOR_CATEGORY", "IT"), ("NOT_DECLARED", "3")]


def test_none_values_and_names_missing_from_the_row_are_empty():
    assert [v for _, v in field_values(FIELDS, ROWS[1], NAMES)] == ["2", "V-2", "", "inactive", "", "", "", "", ""]
    assert dict(field_values(FIELDS, ROWS[2], NAMES))["VENDOR_CATEGORY"] == ""


@pytest.mark.parametrize("names", [NAMES, ["NAME"], ["VENDOR_CATEGORY"], ["CREDITLIMIT", "RECORD_URL"], [],
                                   list(reversed(NAMES)) + ["RECORD_URL"]], ids=lambda n: ",".join(n) or "none")
def test_the_row_formatter_agrees_with_field_values_on_every_row(names):
    formatter = RowFormatter(FIELDS, names)
    for row in ROWS * 20:
        assert formatter.values(row) == [v for _, v in field_values(FIELDS, row, names)]
        assert formatter.entries(row) == field_values(FIELDS, row, names)


def test_record_url_is_filled_from_recordno_by_both_formatters():
    fields = object_type("APBILL").fields
    row = {"RECORDNO": 77, "RECORD_URL": None, "RECORDID": "B-1"}
    expected = [("RECORDID", "B-1"), ("RECORD_URL", "https://www.intacct.com/ia/acct/ur.phtml?.r=77")]
    assert field_values(fields, row, ["RECORDID", "RECORD_URL"]) == expected
    assert RowFormatter(fields, ["RECORDID", "RECORD_URL"]).entries(row) == expected
    assert RowFormatter(fields, ["RECORD_URL", "RECORDID"]).values({"RECORDNO": None, "RECORD_URL": None,
                                                                     "RECORDID": "x"}) == ["", "x"]


def test_flat_entries_behave_as_a_sequence_of_pairs():
    entries = FlatEntries(("A", "B", "C"), ["1", "2", "3"])
    assert len(entries) == 3 and entries[1] == ("B", "2") and entries[1:] == [("B", "2"), ("C", "3")]
    assert list(entries) == [("A", "1"), ("B", "2"), ("C", "3")] and entries == (("A", "1"), ("B", "2"), ("C", "3"))
    assert entries != [("A", "1")] and "FlatEntries" in repr(entries)


def test_flat_entries_render_the_same_as_the_pairs_they_hold():
    entries = RowFormatter(FIELDS, NAMES).entries(ROWS[0])
    for indent in (None, "\n        "):
        assert flat_fragment("vendor", entries, indent) == flat_fragment("vendor", list(entries), indent)


@pytest.mark.parametrize("name, written, expected", [
    ("VENDOR", Written(12, "V-12"), ("vendor", [("RECORDNO", "12"), ("VENDORID", "V-12")])),
    ("VENDOR", Written(13, None), ("vendor", [("RECORDNO", "13"), ("VENDORID", "")])),
    ("GLACCOUNT", Written(5, "6220"), ("glaccount", [("RECORDNO", "5"), ("ACCOUNTNO", "6220")])),
    ("APBILL", Written(901, None), ("apbill", [("RECORDNO", "901"), ("RECORD_URL", RECORD_URL.format(901))])),
    ("ARINVOICE", Written(44, None), ("arinvoice", [("RECORDNO", "44"), ("RECORD_URL", RECORD_URL.format(44))])),
])
def test_write_result_record_answers_recordno_and_the_id_or_the_record_url(name, written, expected):
    assert write_result_record(object_type(name), written) == expected


def test_record_url_points_at_intacct_with_the_record_number():
    assert RECORD_URL.format(901) == "https://www.intacct.com/ia/acct/ur.phtml?.r=901"


@pytest.mark.parametrize("raw", ["1_000", "1_0.5", "\u0661\u0662", "\uff11"])
def test_numbers_python_reads_but_intacct_would_not_are_refused(raw):
    for field in (integer("N"), money("M")):
        with pytest.raises(ValueFormatError):
            field.from_input(raw)
