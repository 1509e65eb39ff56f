"""The yearly quotient familial campaign (campagne QF): before the town's date (PORTAIL_QF_CAMPAIGN_DEADLINE, "10-31"),
families without a QF for the coming period are reminded, once a year, to upload their avis d'imposition and CAF
attestation in « Mes documents »; Mon accueil shows the same reminder while the campaign is open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from billing.models import FamilyQuotient, QuotientCampaignReminder
from families.models import Enrolment, Family, FamilyDocument, Guardian
from families.models.portal import DocumentKind
from families.services.calendar import french_date

QF_DOCUMENTS = (DocumentKind.TAX_NOTICE, DocumentKind.CAF)


@dataclass(frozen=True)
class Campaign:
    """A campaign year: it opens `lead` days before the deadline; the QF must cover `period_start` (the day after)."""

    year: int
    opens_on: date
    deadline: date

    @property
    def period_start(self) -> date:
        return self.deadline + timedelta(days=1)

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.deadline


def _deadline_in(year: int) -> date:
    text = str(getattr(settings, "PORTAIL_QF_CAMPAIGN_DEADLINE", "10-31"))
    try:
        month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"PORTAIL_QF_CAMPAIGN_DEADLINE doit être « MM-JJ » (ex. 10-31), pas « {text} »."
        ) from exc


def qf_campaign_for(*, today: date) -> Campaign:
    """The campaign whose deadline is today or next (after this year's date, next year's campaign)."""
    deadline = _deadline_in(today.year)
    if today > deadline:
        deadline = _deadline_in(today.year + 1)
    lead = int(getattr(settings, "PORTAIL_QF_CAMPAIGN_LEAD_DAYS", 45))
    return Campaign(year=deadline.year, opens_on=deadline - timedelta(days=lead), deadline=deadline)


def qf_campaign_families(*, campaign: Campaign) -> QuerySet[Family]:
    """Families with a child enrolled beyond the deadline, no QF for the coming period and no avis d'imposition
    or attestation CAF sent since the campaign opened (not refused)."""
    day = campaign.period_start
    enrolled = Enrolment.objects.filter(
        child__family=OuterRef("pk"),
        status=Enrolment.Status.ACCEPTED,
        activity__is_active=True,
        activity__period_end__gte=day,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    covered = FamilyQuotient.objects.filter(family=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )
    sent = FamilyDocument.objects.filter(
        family=OuterRef("pk"), kind__in=QF_DOCUMENTS, uploaded_at__date__gte=campaign.opens_on
    ).exclude(status=FamilyDocument.Status.REJECTED)
    return (
        Family.objects.filter(Exists(enrolled)).exclude(Exists(covered)).exclude(Exists(sent)).order_by("pk")
    )


@dataclass
class CampaignResult:
    campaign: Campaign
    sent: list[Family] = field(default_factory=list)
    already: int = 0
    without_email: list[Family] = field(default_factory=list)


def qf_campaign_send(*, today: date, dry_run: bool = False) -> CampaignResult:
    """Email each concerned family once per campaign year (recorded); nothing before the campaign opens."""
    from families.services.emails import email_send

    campaign = qf_campaign_for(today=today)
    result = CampaignResult(campaign=campaign)
    if not campaign.is_open(today):
        return result
    families = list(qf_campaign_families(campaign=campaign))
    reminded = set(
        QuotientCampaignReminder.objects.filter(year=campaign.year, family__in=families).values_list(
            "family_id", flat=True
        )
    )
    emails: dict[int, list[str]] = {}
    for guardian in Guardian.objects.filter(family__in=families).exclude(email="").order_by("pk"):
        emails.setdefault(guardian.family_id, []).append(guardian.email)
    documents_url = f"{settings.PORTAIL_BASE_URL}{reverse('portal:documents')}"
    for family in families:
        if family.pk in reminded:
            result.already += 1
            continue
        to = emails.get(family.pk, [])
        if not to:
            result.without_email.append(family)
            continue
        result.sent.append(family)
        if dry_run:
            continue
        try:
            with transaction.atomic():
                QuotientCampaignReminder.objects.create(
                    family=family, year=campaign.year, deadline=campaign.deadline, recipients=", ".join(to)
                )
                email_send(
                    to=to,
                    template="qf_campaign",
                    context={
                        "family": family,
                        "deadline": campaign.deadline,
                        "period_start": campaign.period_start,
                        "documents_url": documents_url,
                    },
                )
        except IntegrityError:  # another run reminded this family meanwhile
            result.sent.remove(family)
            result.already += 1
    return result


def qf_campaign_todo(*, family, today: date) -> list[dict]:
    """Mon accueil: while the campaign is open, the reminder for a family still concerned."""
    campaign = qf_campaign_for(today=today)
    if not campaign.is_open(today):
        return []
    if not qf_campaign_families(campaign=campaign).filter(pk=family.pk).exists():
        return []
    return [
        {
            "level": "warning",
            "text": _(
                "Quotient familial : déposez avant le %(date)s votre avis d'imposition et votre attestation "
                "CAF (ou MSA) dans « Mes documents » pour que vos tarifs soient calculés selon vos revenus."
            )
            % {"date": french_date(campaign.deadline)},
            "url": reverse("portal:documents"),
            "action": _("Déposer mes justificatifs"),
        }
    ]
