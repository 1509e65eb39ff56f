"""The yearly QF campaign: before the town's date, families without a QF for the coming period are reminded once to
upload their avis d'imposition and CAF attestation; Mon accueil says it too."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from billing.models import QuotientCampaignReminder
from billing.services.quotients import family_quotient_set
from families.models import FamilyDocument
from families.models.portal import DocumentKind
from tests.factories import AcceptedEnrolmentFactory, ChildFactory, FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
D = Decimal
BACKEND = "backoffice.auth.EmailBackend"


@pytest.fixture
def town(small_town, agent):
    """Martin (Léa at the canteen) has no QF yet; Bernard (Chloé) has one for 2026-2027; the Petit family has no
    child enrolled."""
    AcceptedEnrolmentFactory(child=small_town["lea"], activity=small_town["canteen"])
    AcceptedEnrolmentFactory(child=small_town["chloe"], activity=small_town["canteen"])
    family_quotient_set(
        family=small_town["bernard"],
        value=D("640"),
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        by=agent,
    )
    petit = FamilyFactory(name="PETIT Marc")
    GuardianFactory(family=petit, email="marc.petit@exemple.fr")
    ChildFactory(family=petit)
    return small_town


def campaign(*args) -> str:
    out = StringIO()
    call_command("qf_campaign", *args, stdout=out)
    return out.getvalue()


def test_families_without_a_qf_for_the_coming_period_are_reminded_once(
    town, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = campaign("--today", "2026-10-01")

    assert "Campagne QF 2026 (date limite le samedi 31 octobre 2026) : 1 famille(s) relancée(s)" in out
    assert [m.to for m in mailoutbox] == [["claire.martin@exemple.fr"]]
    message = mailoutbox[0]
    assert message.subject.startswith("Quotient familial : vos justificatifs avant le 31 octobre 2026 — ")
    assert "votre dernier avis d'imposition" in message.body
    assert "votre attestation de quotient familial CAF (ou MSA)" in message.body
    assert "/portail/documents/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>avant le 31 octobre 2026</strong>" in html
    reminder = QuotientCampaignReminder.objects.get()
    assert (reminder.family, reminder.year, reminder.deadline) == (town["martin"], 2026, date(2026, 10, 31))

    with django_capture_on_commit_callbacks(execute=True):
        again = campaign("--today", "2026-10-15")

    assert "0 famille(s) relancée(s), 1 déjà relancée(s)" in again
    assert len(mailoutbox) == 1


def test_nothing_is_sent_before_the_campaign_opens_nor_after_the_date(town, mailoutbox):
    before = campaign("--today", "2026-09-01")
    after = campaign("--today", "2026-11-02")

    assert "Campagne QF 2026 : elle ouvre le mercredi 16 septembre 2026" in before
    assert "Campagne QF 2027 : elle ouvre le" in after
    assert mailoutbox == []
    assert not QuotientCampaignReminder.objects.exists()


def test_a_family_that_already_sent_its_avis_dimposition_is_not_reminded(town, mailoutbox):
    document = FamilyDocument.objects.create(
        family=town["martin"], kind=DocumentKind.TAX_NOTICE, file="avis.pdf", original_name="avis.pdf"
    )
    FamilyDocument.objects.filter(pk=document.pk).update(uploaded_at=datetime(2025, 10, 3, 12, tzinfo=PARIS))
    assert "1 famille(s) à relancer" in campaign("--today", "2026-10-01", "--dry-run")  # last year's avis

    FamilyDocument.objects.filter(pk=document.pk).update(uploaded_at=datetime(2026, 9, 20, 12, tzinfo=PARIS))
    assert "0 famille(s) à relancer" in campaign("--today", "2026-10-01", "--dry-run")

    FamilyDocument.objects.filter(pk=document.pk).update(status=FamilyDocument.Status.REJECTED)
    assert "1 famille(s) à relancer" in campaign("--today", "2026-10-01", "--dry-run")  # refused: still due


def test_the_dry_run_lists_the_families_and_records_nothing(town, mailoutbox):
    out = campaign("--today", "2026-10-01", "--dry-run")

    assert "1 famille(s) à relancer" in out
    assert "MARTIN Claire et Julien" in out
    assert mailoutbox == []
    assert not QuotientCampaignReminder.objects.exists()


@override_settings(PORTAIL_QF_CAMPAIGN_DEADLINE="12-15")
def test_the_town_chooses_its_date(town, mailoutbox, django_capture_on_commit_callbacks):
    # With a 15 December date, the QF must cover 16 December: Bernard's (until 31 December) does.
    with django_capture_on_commit_callbacks(execute=True):
        out = campaign("--today", "2026-12-01")

    assert "Campagne QF 2026 (date limite le mardi 15 décembre 2026) : 1 famille(s) relancée(s)" in out
    assert [m.to for m in mailoutbox] == [["claire.martin@exemple.fr"]]


def test_a_bad_date_is_refused_in_french(town):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Indiquez la date sous la forme AAAA-MM-JJ"):
        campaign("--today", "31/10/2026")


def test_mon_accueil_shows_the_reminder_while_the_campaign_is_open(client, town, monkeypatch):
    client.force_login(town["martin_parent"].user, backend=BACKEND)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 10, 1, 9, tzinfo=PARIS))

    html = client.get(reverse("portal:home")).content.decode()

    assert (
        "Quotient familial : déposez avant le samedi 31 octobre 2026 votre avis d&#x27;imposition et votre "
        "attestation CAF (ou MSA) dans « Mes documents »"
    ) in html
    assert "Déposer mes justificatifs" in html

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 5, 9, tzinfo=PARIS))
    assert "Déposer mes justificatifs" not in client.get(reverse("portal:home")).content.decode()


def test_mon_accueil_says_nothing_to_a_family_with_its_qf(client, town, monkeypatch):
    client.force_login(town["bernard_parent"].user, backend=BACKEND)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 10, 1, 9, tzinfo=PARIS))

    assert "Déposer mes justificatifs" not in client.get(reverse("portal:home")).content.decode()
