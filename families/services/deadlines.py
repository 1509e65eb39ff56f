"""Change deadlines (délais de réservation et d'annulation): until when a day can still be changed by a parent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from families.models.catalogue import DeadlineKind

from .calendar import french_date, french_time, french_weekday, previous_working_day

# Kept for callers that imported the kinds from here; the enum is `DeadlineKind`.
WORKING_DAYS = DeadlineKind.WORKING_DAYS
CALENDAR_DAYS = DeadlineKind.CALENDAR_DAYS
PREVIOUS_WEEK_DAY = DeadlineKind.PREVIOUS_WEEK_DAY
FIXED = DeadlineKind.FIXED


class BookingAction(models.TextChoices):
    ADD = "add", gettext_lazy("réserver")
    CANCEL = "cancel", gettext_lazy("annuler")


def _paris() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class DeadlineRule:
    """One délai as data.

    - "3 jours ouvrés avant 10h": `DeadlineRule(days=3, kind=WORKING_DAYS, at=time(10))`;
    - "8 jours avant 10h": `DeadlineRule(days=8, kind=CALENDAR_DAYS, at=time(10))`;
    - "le mardi 12h pour la semaine suivante": `DeadlineRule(kind=PREVIOUS_WEEK_DAY, weekday=1, at=time(12))`;
    - "date limite de réservation" of a holiday period: `DeadlineRule(kind=FIXED, closes_at=<aware datetime>)`.
    """

    days: int = 0
    kind: str = WORKING_DAYS
    at: time = time(10, 0)
    weekday: int | None = None
    closes_at: datetime | None = None

    def deadline(self, *, day: date) -> datetime:
        """The last moment (aware, Europe/Paris) `day` may be changed under this rule."""
        return deadline_for(day=day, rule=self)

    def describe(self) -> str:
        """The rule as a French sentence for templates: "3 jours ouvrés avant, à 10h00"."""
        at = french_time(self.at)
        if self.kind == WORKING_DAYS:
            if self.days == 0:
                return _("le jour même, à %(time)s") % {"time": at}
            return ngettext(
                "%(days)d jour ouvré avant, à %(time)s", "%(days)d jours ouvrés avant, à %(time)s", self.days
            ) % {"days": self.days, "time": at}
        if self.kind == CALENDAR_DAYS:
            if self.days == 0:
                return _("le jour même, à %(time)s") % {"time": at}
            return ngettext(
                "%(days)d jour avant, à %(time)s", "%(days)d jours avant, à %(time)s", self.days
            ) % {
                "days": self.days,
                "time": at,
            }
        if self.kind == PREVIOUS_WEEK_DAY:
            return _("le %(weekday)s précédent à %(time)s") % {
                "weekday": french_weekday(self.weekday),
                "time": at,
            }
        if self.kind == FIXED:
            return until_sentence(self.closes_at) if self.closes_at else _("date limite à préciser")
        raise ValueError(f"Type de délai inconnu : {self.kind}")


def until_sentence(moment: datetime) -> str:
    """ "jusqu'au vendredi 4 décembre 2026 à 12h00" (in Europe/Paris)."""
    local = moment.astimezone(_paris())
    return _("jusqu'au %(date)s à %(time)s") % {
        "date": french_date(local.date()),
        "time": french_time(local.time()),
    }


def deadline_for(*, day: date, rule: DeadlineRule) -> datetime:
    """The last moment (aware, Europe/Paris) a parent may change `day`.

    Working days skip weekends and French public holidays: with 3 jours ouvrés avant 10h, Monday's booking closes
    the previous Wednesday at 10:00, and Tuesday 2 April 2024 (after lundi de Pâques) closes Wednesday 27 March.
    Zero days means the same day at `at`. "Le mardi 12h pour la semaine suivante" closes every day of a week
    (Monday to Sunday) on the Tuesday of the week before; a fixed date closes every day at once.
    """
    if rule.kind == WORKING_DAYS:
        limit = day
        for _i in range(rule.days):
            limit = previous_working_day(limit)
    elif rule.kind == CALENDAR_DAYS:
        limit = day - timedelta(days=rule.days)
    elif rule.kind == PREVIOUS_WEEK_DAY:
        if rule.weekday is None:
            raise ValueError("Un délai « jour de la semaine précédente » demande un jour.")
        limit = day - timedelta(days=day.weekday() + 7 - rule.weekday)
    elif rule.kind == FIXED:
        if rule.closes_at is None:
            raise ValueError("Un délai « date limite fixe » demande une date.")
        return rule.closes_at.astimezone(_paris())
    else:
        raise ValueError(f"Type de délai inconnu : {rule.kind}")
    return datetime.combine(limit, rule.at, tzinfo=_paris())


def can_change(*, day: date, rule: DeadlineRule, now: datetime) -> bool:
    """True while `now` is strictly before the deadline of `day`."""
    return now < deadline_for(day=day, rule=rule)


def activity_rule(*, activity, action: str) -> DeadlineRule:
    """The activity's rule for `action`: the délai de réservation (add) or d'annulation (cancel)."""
    return activity.add_deadline_rule if action == BookingAction.ADD else activity.cancel_deadline_rule


def booking_deadline(*, activity, day: date, action: str) -> datetime:
    """Until when a parent may reserve (`add`) or cancel (`cancel`) `day` of `activity` (aware, Europe/Paris).

    The one answer to "jusqu'à quand puis-je modifier ce jour ?" used by every screen and endpoint; staff are not
    bound by it (their changes are logged).
    """
    return deadline_for(day=day, rule=activity_rule(activity=activity, action=action))
