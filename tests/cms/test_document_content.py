"""CMS documents are checked by content, not only by extension."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document

from cms.documents import document_content_check

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"


@pytest.mark.django_db
def test_a_renamed_executable_is_refused_even_with_a_pdf_extension(client, communication):
    client.force_login(communication)
    response = client.post(
        "/cms/documents/add/",
        {
            "title": "Faux règlement",
            "collection": 1,
            "file": SimpleUploadedFile("reglement.pdf", EXE, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert not Document.objects.filter(title="Faux règlement").exists()
    assert "ne correspond pas à un document" in response.content.decode()


@pytest.mark.django_db
def test_a_real_pdf_is_accepted(client, communication):
    client.force_login(communication)
    response = client.post(
        "/cms/documents/add/",
        {
            "title": "Règlement intérieur",
            "collection": 1,
            "file": SimpleUploadedFile("reglement.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Document.objects.filter(title="Règlement intérieur").exists()


@pytest.mark.parametrize(
    ("name", "head", "ok"),
    [
        ("tarifs.pdf", PDF, True),
        ("tarifs.pdf", b"<html>", False),
        ("menu.csv", "jour;plat\nlundi;Gratin\n".encode("cp1252"), True),
        ("menu.csv", EXE, False),
        ("dossier.docx", b"PK\x03\x04" + b"\x00" * 20, True),
        ("dossier.docx", PDF, False),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, False),
    ],
)
def test_content_matches_extension(name, head, ok):
    from django.core.exceptions import ValidationError

    if ok:
        document_content_check(name=name, head=head)
    else:
        with pytest.raises(ValidationError):
            document_content_check(name=name, head=head)
