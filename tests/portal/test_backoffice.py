"""Back-office side: queues on the index, family keys, staff-created accounts, guichet mode, fiche famille PDF."""

import pytest
from django.core import mail
from django.urls import reverse

from families.models import AccountRequest, FamilyAccessKey, GuichetAction
from families.services.change_requests import coordinates_submit

from .conftest import BACKEND


@pytest.mark.django_db
def test_admin_index_shows_waiting_counts(agent_client, small_town):
    coordinates_submit(
        family=small_town["martin"], family_data={"commune": "Taverny"}, guardians_data={}, by=None
    )
    AccountRequest.objects.create(first_name="A", last_name="B", email="a@b.fr")
    page = agent_client.get(reverse("admin:index")).content.decode()
    assert "Démarches à traiter" in page and "Demandes de compte" in page and "Documents à vérifier" in page


@pytest.mark.django_db
def test_staff_generate_a_family_key_shown_once(agent_client, small_town):
    family = small_town["martin"]
    response = agent_client.post(
        reverse("admin:families_family_changelist"),
        {"action": "generate_key", "_selected_action": [family.pk]},
        follow=True,
    )
    assert "Clé famille de" in response.content.decode()
    assert (
        FamilyAccessKey.objects.filter(family=family, used_at__isnull=True, revoked_at__isnull=True).count()
        == 1
    )


@pytest.mark.django_db
def test_staff_create_parent_account_from_the_dossier(agent_client, small_town):
    guardian = small_town["bernard"].guardians.create(
        civility="m", first_name="Marc", last_name="Bernard", email="marc@exemple.fr"
    )
    agent_client.post(
        reverse("admin:families_guardian_changelist"), {"action": "invite", "_selected_action": [guardian.pk]}
    )
    guardian.refresh_from_db()
    assert guardian.user is not None and not guardian.user.is_active
    assert mail.outbox[-1].to == ["marc@exemple.fr"] and "/portail/activation/" in mail.outbox[-1].body


@pytest.mark.django_db
def test_guichet_mode_acts_for_the_family_and_records_the_agent(client, agent, small_town):
    client.force_login(agent, backend=BACKEND)
    response = client.post(
        reverse("admin:families_family_changelist"),
        {"action": "open_guichet", "_selected_action": [small_town["bernard"].pk]},
    )
    assert response.url == reverse("portal:home")
    page = client.get(reverse("portal:home")).content.decode()
    assert "Mode guichet" in page and "BERNARD Sophie" in page
    client.post(
        reverse("portal:conversation_new"), {"subject": "Appel", "body": "Appel de Mme Bernard au guichet"}
    )
    action = GuichetAction.objects.get()
    assert action.agent == agent and action.family == small_town["bernard"]
    client.get(reverse("portal:guichet_leave"))
    assert client.get(reverse("portal:home")).status_code == 403  # an agent has no family of their own


@pytest.mark.django_db
def test_parent_downloads_a_fiche_famille_pdf(martin_client, small_town):
    response = martin_client.get(reverse("portal:family_sheet"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert small_town["martin"].code in response["Content-Disposition"]


@pytest.mark.django_db
def test_portal_demo_is_idempotent_and_gives_a_working_key(small_town):
    from datetime import date

    from django.contrib.auth import get_user_model

    from families.models import ChangeRequest, Conversation, FamilyDocument
    from families.portal_demo import DEMO_FAMILY_KEY, PARENT_EMAIL, seed_portal_demo
    from families.services.accounts import family_key_attach

    user = small_town["martin_parent"].user
    user.email = PARENT_EMAIL
    user.save()
    small_town["bernard_parent"].user = None
    small_town["bernard_parent"].save()
    seed_portal_demo(today=date(2026, 11, 23))
    counts = (ChangeRequest.objects.count(), FamilyDocument.objects.count(), Conversation.objects.count())
    seed_portal_demo(today=date(2026, 11, 23))
    assert counts == (
        ChangeRequest.objects.count(),
        FamilyDocument.objects.count(),
        Conversation.objects.count(),
    )
    assert counts[2] >= 2
    newcomer = get_user_model().objects.create_user(email="new@exemple.fr", password="x" * 12)
    assert family_key_attach(user=newcomer, key=DEMO_FAMILY_KEY, civility="m") == small_town["bernard"]


@pytest.mark.django_db
def test_staff_start_a_conversation_from_the_inbox(agent_client, small_town):
    from families.models import Conversation

    response = agent_client.post(
        reverse("admin:families_conversation_add"),
        {
            "family": small_town["martin"].pk,
            "subject": "Pièce manquante",
            "assigned_to": "",
            "reply": "Merci de déposer votre attestation d'assurance.",
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get(subject="Pièce manquante")
    assert conversation.messages.get().from_staff
    assert mail.outbox[-1].to == ["claire.martin@exemple.fr"]


@pytest.mark.django_db
def test_staff_issue_a_document_checked_like_uploads(agent_client, small_town):
    from families.models import FamilyDocument

    from .conftest import exe_file, pdf_file

    url = reverse("admin:families_familydocument_add")
    response = agent_client.post(
        url,
        {
            "family": small_town["martin"].pk,
            "kind": "attestation",
            "title": "Attestation 2025",
            "file": exe_file(),
        },
    )
    assert response.status_code == 200 and not FamilyDocument.objects.exists()
    response = agent_client.post(
        url,
        {
            "family": small_town["martin"].pk,
            "kind": "attestation",
            "title": "Attestation 2025",
            "file": pdf_file(),
        },
    )
    assert response.status_code == 302
    assert FamilyDocument.objects.get().status == FamilyDocument.Status.ISSUED
