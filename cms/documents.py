"""Wagtail documents are checked by content: a file must really be what its extension says."""

from __future__ import annotations

import os

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

_BY_SIGNATURE = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
}
_OFFICE_ZIP = {"docx", "xlsx", "odt", "ods"}  # all ZIP containers
_TEXT = {"csv", "txt"}


def document_content_check(*, name: str, head: bytes) -> None:
    """Refuse a document whose first bytes do not match its extension (a renamed executable, a fake PDF)."""
    extension = os.path.splitext(name or "")[1].lower().lstrip(".")
    kind = filetype.guess(head)
    detected = kind.mime if kind else ""
    if extension in _BY_SIGNATURE:
        ok = detected in _BY_SIGNATURE[extension]
    elif extension in _OFFICE_ZIP:
        ok = head.startswith(b"PK\x03\x04")
    elif extension in _TEXT:
        ok = b"\x00" not in head and not detected
    else:
        ok = False
    if not ok:
        raise ValidationError(
            _("Le contenu de ce fichier ne correspond pas à un document « %(ext)s » : il a été refusé.")
            % {"ext": extension or "?"},
            code="bad_content",
        )


class CheckedDocumentForm(BaseDocumentForm):
    """The CMS document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): Wagtail checks the extension, we check the bytes."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            file.seek(0)
            head = file.read(8192)
            file.seek(0)
            document_content_check(name=file.name, head=head)
        return file
