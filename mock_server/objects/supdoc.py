"""Attachments (supporting documents) and their folders, written with the legacy functions.

Bills and invoices reference an attachment by SUPDOCID. The base64 payload is stored as sent;
its size is checked against a cap. Not emulated: attachment versions, folder permissions.
"""

from __future__ import annotations

from ..errors import DuplicateIdError, InvalidReferenceError, could_not
from .base import LineSpec, ObjectType, Parsed
from .fields import integer, stamp, text
from .legacy import LegacyDelete, LegacyLines, LegacyList, LegacyWrite

MAX_ATTACHMENT_CHARS = 8 * 1024 * 1024
SUPDOC_FIELDS = {"supdocid": "SUPDOCID", "supdocname": "SUPDOCNAME", "supdocfoldername": "FOLDER",
                 "supdocdescription": "DESCRIPTION"}
ATTACHMENT_LINES = LegacyLines({"attachmentname": "ATTACHMENTNAME", "attachmenttype": "ATTACHMENTTYPE",
                                "attachmentdata": "ATTACHMENTDATA"}, collection="attachments", element="attachment")


class SupdocFolder(ObjectType):
    name, label, module, id_field = "SUPDOCFOLDER", "Attachment folder", "CO", "NAME"
    generic_create = generic_update = False
    reference = True
    legacy = (LegacyWrite("create_supdocfolder", {"supdocfoldername": "NAME", "supdocfolderdescription": "DESCRIPTION",
                                                  "supdocparentfoldername": "PARENTFOLDER"}, answer="NAME"),
              LegacyWrite("update_supdocfolder", {"supdocfoldername": "NAME", "supdocfolderdescription": "DESCRIPTION",
                                                  "supdocparentfoldername": "PARENTFOLDER"}, update=True, answer="NAME"),
              LegacyDelete("delete_supdocfolder", "key", by_id=True))
    legacy_list = LegacyList("supdocfolder", (("recordno", "RECORDNO"), ("name", "NAME"), ("description", "DESCRIPTION"),
                                              ("parentfolder", "PARENTFOLDER"), ("creationdate", "WHENCREATED"),
                                              ("createdby", "CREATEDBY")), aliases={"supdocfoldername": "name"})
    own_fields = (
        text("NAME", label="Folder name", required=True), text("DESCRIPTION", label="Description"),
        text("PARENTFOLDER", label="Parent folder"), stamp("WHENCREATED", label="When created"),
    )

    def prepare(self, ctx, parsed: Parsed, existing) -> None:
        if existing is None:
            self.check_required(parsed, ctx)
            if ctx.books.exists_anywhere(self, "NAME", parsed.values["NAME"]):
                raise DuplicateIdError("Attachment Folder", parsed.values["NAME"]).with_also(could_not("create", "folder"))


class AttachmentType(ObjectType):
    def __init__(self) -> None:
        self.name, self.label, self.line_of, self.module = "SUPDOCATTACHMENT", "Attachment file", "SUPDOC", "CO"
        self.own_fields = (
            integer("LINE_NO", label="Line number", readonly=True),
            text("ATTACHMENTNAME", label="Name"), text("ATTACHMENTTYPE", label="Type"),
            text("ATTACHMENTDATA", label="Data (base64)"), integer("SIZE", label="Size", readonly=True),
        )
        super().__init__()


class Supdoc(ObjectType):
    name, label, module, id_field = "SUPDOC", "Attachment", "CO", "SUPDOCID"
    generic_create = generic_update = False
    reference = True
    own_fields = (
        text("SUPDOCID", label="Attachment ID", required=True), text("SUPDOCNAME", label="Attachment name", required=True),
        text("FOLDER", label="Folder", required=True), text("DESCRIPTION", label="Description"),
        stamp("WHENCREATED", label="When created"),
    )
    lines = LineSpec("ATTACHMENTS", "ATTACHMENT", AttachmentType())
    legacy = (
        LegacyWrite("create_supdoc", SUPDOC_FIELDS, frozenset({"attachments"}), ATTACHMENT_LINES, answer="SUPDOCID"),
        LegacyWrite("update_supdoc", SUPDOC_FIELDS, frozenset({"attachments"}), ATTACHMENT_LINES, update=True,
                    answer="SUPDOCID"),
        LegacyDelete("delete_supdoc", "key", by_id=True),
    )
    legacy_list = LegacyList("supdoc", (("recordno", "RECORDNO"), ("supdocid", "SUPDOCID"), ("supdocname", "SUPDOCNAME"),
                                        ("folder", "FOLDER"), ("description", "DESCRIPTION"),
                                        ("creationdate", "WHENCREATED"), ("createdby", "CREATEDBY")))

    def prepare(self, ctx, parsed: Parsed, existing) -> None:
        verb = "create" if existing is None else "update"
        if existing is None:
            self.check_required(parsed, ctx)
            if ctx.books.exists_anywhere(self, "SUPDOCID", parsed.values["SUPDOCID"]):
                raise DuplicateIdError("Attachment", parsed.values["SUPDOCID"]).with_also(could_not(verb, "attachment"))
        folder = parsed.values.get("FOLDER")
        if folder and ctx.books.by_id("SUPDOCFOLDER", folder) is None:
            raise InvalidReferenceError("Folder", folder).with_also(could_not(verb, "attachment"))
        for line in parsed.lines or []:
            data = line.values.get("ATTACHMENTDATA") or ""
            if len(data) > MAX_ATTACHMENT_CHARS:
                raise InvalidReferenceError("attachment size", f"{len(data)} characters").with_also(could_not(verb, "attachment"))
            line.values["SIZE"] = len(data) * 3 // 4


OBJECTS = (SupdocFolder(), Supdoc())
