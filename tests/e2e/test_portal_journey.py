"""A parent's journey in real Chromium: Créer mon espace → activation link from the mailbox → clé famille →
fiche sanitaire → upload a document → send a message. On a phone and a computer."""

import re
from datetime import date

import pytest
from django.core import mail

from families.models import Conversation, FamilyDocument
from families.services.accounts import family_key_generate
from tests.factories import ChildFactory, FamilyFactory, SchoolFactory

from .conftest import axe_violations, format_violations

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PASSWORD = "une phrase de passe solide"


def _violations(page):
    return axe_violations(page)


def _journey(page, tmp_path, email):
    school = SchoolFactory(name="École des Tilleuls")
    family = FamilyFactory(name="LEROY Anne", commune="Bessancourt")
    ChildFactory(
        family=family, first_name="Jules", last_name="Leroy", birth_date=date(2018, 4, 9), school=school
    )
    key = family_key_generate(family=family, by=None)
    base = page.base_url

    page.goto(f"{base}/portail/inscription/")
    page.get_by_label("Prénom").fill("Anne")
    page.get_by_label(re.compile(r"^Nom")).fill("Leroy")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon espace").click()
    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()

    link = re.search(r"http\S+/portail/activation/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_text("Votre compte est activé").wait_for()
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("heading", name="Rattacher mon compte à mon dossier famille").wait_for()
    page.get_by_label("Clé famille").fill("MAUV-AISE-CLE0")
    page.get_by_label("Madame").check()
    page.get_by_role("button", name="Valider ma clé").click()
    page.get_by_text("Cette clé n'est pas valide").wait_for()
    page.get_by_label("Clé famille").fill(key)
    page.get_by_role("button", name="Valider ma clé").click()
    page.get_by_role("heading", name="Mon accueil").wait_for()
    assert page.get_by_text("Fiche sanitaire de Jules à compléter").is_visible()
    violations = _violations(page)
    assert not violations, format_violations(violations)

    page.get_by_role("link", name="Compléter la fiche").click()
    page.get_by_label("Médecin traitant").fill("Dr Lefèvre")
    page.get_by_label("Je certifie l'exactitude").check()
    page.get_by_role("button", name="Confirmer la fiche sanitaire").click()
    page.get_by_text("La fiche sanitaire de Jules est confirmée").wait_for()

    pdf = tmp_path / "attestation-caf.pdf"
    pdf.write_bytes(PDF)
    page.goto(f"{base}/portail/documents/")
    page.get_by_label("Type de document").select_option(label="Attestation CAF")
    page.get_by_label("Fichier").set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer le document").click()
    page.get_by_text("Votre document est déposé").wait_for()
    assert FamilyDocument.objects.filter(family=family, kind="attestation_caf").exists()

    page.goto(f"{base}/portail/messagerie/nouveau/")
    page.get_by_label("Objet").fill("Question sur la cantine")
    page.get_by_label("Votre message").fill("Bonjour, Jules mange-t-il le repas végétarien ?")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Votre message est envoyé au service enfance").wait_for()
    assert Conversation.objects.filter(family=family, subject="Question sur la cantine").exists()
    violations = _violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_parent_signs_up_attaches_completes_dossier_uploads_and_writes(page, tmp_path):
    _journey(page, tmp_path, "anne.leroy@exemple.fr")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_same_journey_on_a_phone(phone_page, tmp_path):
    _journey(phone_page, tmp_path, "anne.leroy.mobile@exemple.fr")
