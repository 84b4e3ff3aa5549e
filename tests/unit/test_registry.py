"""What the rest of the emulator reads from the object and function registries is declared, and
consistent: a registered object or function that lacks its metadata fails here, not in a user's
inspector page or fault rule."""

from __future__ import annotations

import pytest

from intacct_mock.company.model import MODULES
from intacct_mock.gateway import registry
from intacct_mock.gateway.faulting import document_number, function_object
from intacct_mock.objects.legacy import LegacyWrite
from intacct_mock.objects.registry import all_object_types, find_object_type
from intacct_mock.xmlsafe import parse

OBJECTS = [obj for obj in all_object_types() if not obj.line_of]
GENERIC = {"create", "update", "delete", "read", "readByName", "readByQuery", "readMore", "query", "inspect", "lookup"}


@pytest.mark.parametrize("obj", OBJECTS, ids=[o.name for o in OBJECTS])
def test_every_object_declares_its_labels_module_and_keys(obj):
    assert obj.name == obj.name.upper() and obj.label and obj.plural_label != obj.label
    assert obj.module in MODULES, f"{obj.name}: module {obj.module!r} is not one permissions know"
    for name in (obj.id_field, obj.number_field, obj.document_key, *obj.summary_fields):
        if name is not None:
            assert name in obj.fields, f"{obj.name} names {name}, which it does not declare"
    if obj.lines is not None:
        assert obj.lines.object.line_of == obj.name and obj.lines.object.module == obj.module


@pytest.mark.parametrize("obj", [o for o in OBJECTS if o.legacy or o.legacy_list], ids=lambda o: o.name)
def test_legacy_declarations_map_onto_declared_fields(obj):
    for spec in obj.legacy:
        assert registry.lookup(spec.name) is not None, f"{spec.name} is declared but not served"
        if isinstance(spec, LegacyWrite):
            assert set(spec.fields.values()) <= set(obj.fields), spec.name
            assert spec.answer == "RECORDNO" or spec.answer in obj.fields
            if spec.lines is not None:
                assert obj.lines is not None and set(spec.lines.fields.values()) <= set(obj.lines.object.fields)
            if spec.update and spec.key_attribute is None:
                assert obj.id_field, f"{spec.name} updates by ID, but {obj.name} has none"
            if spec.external_key is not None:
                assert spec.external_key in obj.fields, spec.name
    if obj.legacy_list is not None:
        assert {stored for _, stored in obj.legacy_list.columns} <= set(obj.fields)


def test_each_legacy_function_is_declared_once():
    names = [spec.name for obj in OBJECTS for spec in obj.legacy]
    assert len(names) == len(set(names)) and not set(names) & GENERIC


def test_every_function_knows_its_object_or_reads_it_from_the_request():
    for name in registry.names():
        spec = registry.lookup(name)
        assert spec is not None and spec.dtd_versions and spec.handler.__doc__, f"{name}: undocumented handler"
        if spec.object is not None:
            obj = find_object_type(spec.object)
            assert obj is not None and name in [s.name for s in obj.legacy], f"{name} claims {spec.object}"
            assert function_object(name, parse(f"<{name}/>".encode())) == spec.object
        elif "2.1" in spec.dtd_versions:
            assert name in ("getAPISession", "get_list"), f"legacy {name} works on no declared object"


def test_the_fault_matcher_finds_the_document_a_legacy_write_names():
    bill = parse(b"<create_bill><vendorid>V-1</vendorid><billno>B-7</billno></create_bill>")
    assert function_object("create_bill", bill) == "APBILL"
    assert document_number("create_bill", bill, "APBILL") == "B-7"
    payment = parse(b"<create_arpayment><refid>CHK-1</refid></create_arpayment>")
    assert document_number("create_arpayment", payment, "ARPYMT") == "CHK-1"
    vendor = parse(b"<create><VENDOR><VENDORID>V-9</VENDORID></VENDOR></create>")
    assert function_object("create", vendor) == "VENDOR" and document_number("create", vendor, "VENDOR") == "V-9"


def test_the_books_page_lists_the_objects_that_say_what_to_show():
    from intacct_mock.inspector.data import book_objects

    listed = {o.name for o in book_objects()}
    assert listed == {o.name for o in OBJECTS if o.summary_fields}
    assert {"CUSTOMER", "VENDOR", "APBILL", "ARINVOICE", "ARPYMT", "APPYMT"} <= listed


def test_star_reads_follow_the_captured_field_sets():
    """Where a captured answer gives Intacct's '*' set, reads answer it first, in its order, and every
    lookup relationship names an emulated object through a field the object has."""
    from intacct_mock.objects.fieldsets import real_field_set

    covered = 0
    for obj in all_object_types():  # lines too
        real = real_field_set(obj.name)
        if real is None:
            continue
        covered += 1
        assert list(obj.output_names())[:len(real.fields)] == list(real.fields), obj.name
        assert len(set(obj.output_names())) == len(obj.output_names()), f"{obj.name}: a field twice in '*'"
        for path, rel in obj.paths.items():
            assert find_object_type(rel.object) is not None and rel.local in obj.fields, (obj.name, path)
    assert covered >= 20
