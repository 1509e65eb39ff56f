"""Upload checks shared by documents and message attachments: type by content, size, never the filename."""

from __future__ import annotations

import os
import re
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Detected MIME type -> extension used on disk.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".heic",
    "image/heif": ".heic",
}


def upload_check(*, file) -> tuple[str, str]:
    """Refuse anything that is not a PDF, JPEG, PNG or HEIC by its content, or larger than 10 Mo.

    Returns (detected MIME type, extension); a renamed executable is refused whatever its name says.
    """
    max_bytes = settings.PORTAIL_UPLOAD_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            _("Le fichier est trop volumineux (%(size)s Mo) : 10 Mo maximum.") % {"size": f"{file.size / 2**20:.1f}".replace(".", ",")},
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté. Envoyez un PDF ou une photo (JPEG, PNG ou HEIC)."),
            code="bad_type",
        )
    return mime, ALLOWED_TYPES[mime]


def display_name(name: str) -> str:
    """A harmless display name: no path, no control characters, 120 characters at most."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "", name).strip(" .")
    return name[:120] or "document"
