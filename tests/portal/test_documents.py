"""Mes documents: uploads checked by content and size, stored privately, reviewed by staff."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from families.models import FamilyDocument
from families.services.documents import document_accept, document_issue, document_reject, document_upload

from .conftest import PDF_BYTES, exe_file, pdf_file, png_file


@pytest.mark.django_db
def test_parent_uploads_a_pdf_stored_privately_under_a_random_name(martin_client, small_town):
    response = martin_client.post(
        reverse("portal:documents"),
        {
            "kind": "attestation_caf",
            "valid_until": "2027-01-31",
            "file": pdf_file("../../etc/Attestation CAF.pdf"),
        },
    )
    assert response.status_code == 302
    document = FamilyDocument.objects.get()
    assert document.status == FamilyDocument.Status.PENDING
    assert document.content_type == "application/pdf"
    assert document.original_name == "Attestation CAF.pdf"
    assert "Attestation" not in document.file.name and document.file.name.endswith(".pdf")
    assert document.file.storage.base_location != ""  # private storage, not MEDIA_ROOT
    response = martin_client.get(reverse("portal:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_renamed_executable_is_refused_with_french_message(martin_client):
    response = martin_client.post(reverse("portal:documents"), {"kind": "assurance", "file": exe_file()})
    assert response.status_code == 200
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    assert not FamilyDocument.objects.exists()


@pytest.mark.django_db
def test_file_over_10_mb_is_refused(small_town, settings):
    settings.PORTAIL_UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * 2000)
    with pytest.raises(ValidationError, match="trop volumineux"):
        document_upload(family=small_town["martin"], kind="assurance", file=big, by=None)


@pytest.mark.django_db
def test_png_photo_is_accepted(small_town):
    document = document_upload(
        family=small_town["martin"],
        kind="carnet_vaccination",
        file=png_file(),
        by=None,
        child=small_town["lea"],
    )
    assert document.content_type == "image/png"


@pytest.mark.django_db
def test_child_of_another_family_is_refused(small_town):
    with pytest.raises(ValidationError):
        document_upload(
            family=small_town["martin"], kind="pai", file=pdf_file(), by=None, child=small_town["chloe"]
        )


@pytest.mark.django_db
def test_staff_accept_or_reject_with_reason_and_parent_sees_status(martin_client, small_town, agent):
    family = small_town["martin"]
    caf = document_upload(family=family, kind="attestation_caf", file=pdf_file(), by=None)
    tax = document_upload(family=family, kind="avis_imposition", file=pdf_file(), by=None)
    document_accept(document=caf, by=agent)
    with pytest.raises(ValidationError):
        document_reject(document=tax, by=agent, reason="")
    document_reject(document=tax, by=agent, reason="Document illisible")
    assert "Document illisible" in mail.outbox[-1].body
    page = martin_client.get(reverse("portal:documents")).content.decode()
    assert "Acceptée" in page and "Refusée" in page and "Document illisible" in page
    assert "Document refusé" in martin_client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_town_issued_documents_appear_in_mes_documents(martin_client, small_town, agent):
    document_issue(
        family=small_town["martin"],
        kind="facture",
        title="Facture d'octobre 2026",
        content=PDF_BYTES,
        by=agent,
    )
    assert "Facture d&#x27;octobre 2026" in martin_client.get(reverse("portal:documents")).content.decode()


@pytest.mark.django_db
def test_files_are_never_served_from_a_public_url(small_town, client, settings):
    document = document_upload(family=small_town["martin"], kind="pai", file=pdf_file(), by=None)
    assert not str(document.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(reverse("portal:document_download", args=[document.pk])).status_code == 302  # login
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.django_db
def test_staff_open_documents_through_the_backoffice(agent_client, small_town):
    document = document_upload(family=small_town["martin"], kind="pai", file=pdf_file(), by=None)
    response = agent_client.get(reverse("admin:families_familydocument_file", args=[document.pk]))
    assert response.status_code == 200
    response = agent_client.post(
        reverse("admin:families_familydocument_change", args=[document.pk]),
        {"kind": "pai", "title": "", "valid_until": "", "decision": "reject", "rejection_reason": "Périmé"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == FamilyDocument.Status.REJECTED


@pytest.mark.django_db
def test_parent_withdraws_a_pending_document(martin_client, small_town):
    document = document_upload(family=small_town["martin"], kind="pai", file=pdf_file(), by=None)
    assert martin_client.post(reverse("portal:document_delete", args=[document.pk])).status_code == 302
    assert not FamilyDocument.objects.exists()


@pytest.mark.django_db
def test_heic_photo_from_a_phone_is_accepted(small_town):
    heic = SimpleUploadedFile(
        "IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    )
    document = document_upload(family=small_town["martin"], kind="certificat_medical", file=heic, by=None)
    assert document.content_type == "image/heic" and document.file.name.endswith(".heic")


@pytest.mark.django_db
def test_document_expiring_soon_is_on_mon_accueil(martin_client, small_town):
    from datetime import timedelta

    from django.utils import timezone

    document_upload(
        family=small_town["martin"],
        kind="assurance",
        file=pdf_file(),
        by=None,
        valid_until=timezone.localdate() + timedelta(days=10),
    )
    assert (
        "Attestation d&#x27;assurance : expire le"
        in martin_client.get(reverse("portal:home")).content.decode()
    )
