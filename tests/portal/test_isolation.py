"""Every portal URL requires login and shows only the user's family — generated from the URLconf, so a new URL
is covered the day it is added (or fails here until it says which object its parameter names)."""

import pytest
from django.urls import URLPattern, reverse

from families import urls as portal_urls
from families.models import Contact
from families.services.documents import document_upload
from families.services.messaging import conversation_start

from .conftest import pdf_file

# Pages anyone may open (accounts); token URLs are protected by their signed token, not by the family.
PUBLIC = {
    "login",
    "logout",
    "signup",
    "activate",
    "activation_resend",
    "account_request",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "email_change_confirm",
    "guichet_leave",
    # The secret token is the credential of a family's iCal feed (calendar apps cannot log in).
    "calendar_feed",
}
# Logged in, but before any family: the clé famille page, and account settings of the user's own account.
NO_FAMILY = {"attach", "email_change", "password_change"}


def _patterns() -> list[URLPattern]:
    return [p for p in portal_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.fixture
def bernard_objects(small_town, agent):
    bernard = small_town["bernard"]
    contact = Contact.objects.create(
        family=bernard, first_name="Paul", last_name="Bernard", relationship="Oncle", phone="06 00 00 00 01"
    )
    document = document_upload(family=bernard, kind="pai", file=pdf_file(), by=None)
    conversation = conversation_start(
        family=bernard, subject="Privé", body="Confidentiel", by=agent, from_staff=True, attachment=pdf_file()
    )
    from datetime import date

    from django.core.files.base import ContentFile

    from families.models import Absence

    absence = Absence(
        child=small_town["chloe"],
        start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 7),
        reason=Absence.Reason.choices[0][0],
        status=Absence.Status.PENDING,
        comment="Confidentiel",
    )
    absence.certificate.save("certificat.pdf", ContentFile(pdf_file().read()), save=False)
    absence.save()
    return {
        "absence_id": absence.pk,
        "child_id": small_town["chloe"].pk,
        "contact_id": contact.pk,
        "document_id": document.pk,
        "conversation_id": conversation.pk,
        "message_id": conversation.messages.get().pk,
        "activity_id": small_town[
            "canteen"
        ].pk,  # with Chloé's child_id: the enrolment form of another family
    }


@pytest.mark.django_db
def test_every_portal_url_with_another_familys_ids_is_404(martin_client, bernard_objects):
    checked = []
    for pattern in _patterns():
        params = list(pattern.pattern.converters)
        if not params or pattern.name in PUBLIC:
            continue
        missing = [p for p in params if p not in bernard_objects]
        assert not missing, (
            f"{pattern.name}: ajoutez un objet d'une autre famille pour {missing} dans ce test"
        )
        url = reverse(f"portal:{pattern.name}", kwargs={p: bernard_objects[p] for p in params})
        for method in ("get", "post"):
            response = getattr(martin_client, method)(url)
            assert response.status_code in (404, 405), f"{method.upper()} {url} → {response.status_code}"
            assert b"Confidentiel" not in response.content
        checked.append(pattern.name)
    assert {
        "child_health",
        "contact_edit",
        "contact_delete",
        "document_download",
        "document_delete",
        "conversation",
        "attachment",
    } <= set(checked)


@pytest.mark.django_db
def test_every_portal_url_requires_login(client, bernard_objects):
    for pattern in _patterns():
        if pattern.name in PUBLIC:
            continue
        params = list(pattern.pattern.converters)
        url = reverse(f"portal:{pattern.name}", kwargs={p: bernard_objects[p] for p in params})
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("portal:login")), url


@pytest.mark.django_db
def test_account_without_family_is_sent_to_the_family_key(client, small_town):
    from django.contrib.auth import get_user_model

    from .conftest import BACKEND

    user = get_user_model().objects.create_user(email="seul@exemple.fr", password="x" * 12)
    client.force_login(user, backend=BACKEND)
    for pattern in _patterns():
        if pattern.name in PUBLIC | NO_FAMILY or pattern.pattern.converters:
            continue
        response = client.get(reverse(f"portal:{pattern.name}"))
        assert response.status_code == 302 and response.url == reverse("portal:attach"), pattern.name
