"""The roll call (appel / pointage) of a site, activity and day, and the bookings a bulk closure cancelled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .booking import Booking, Closure
from .catalogue import Activity, School


class RollCall(models.Model):
    """The appel of a school (site) for an activity on a day; once closed (clôturé) only agents change it."""

    school = models.ForeignKey(
        School, verbose_name=_("école / site"), on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="roll_calls"
    )
    date = models.DateField(_("jour"))
    closed_at = models.DateTimeField(_("clôturé le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clôturé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        ordering = ["-date", "school", "activity"]
        permissions = [("take_roll_call", _("Faire l'appel (pointage des présences)"))]
        constraints = [
            models.UniqueConstraint(fields=["school", "activity", "date"], name="rollcall_one_per_site_day"),
        ]

    def __str__(self):
        return f"{self.school} — {self.activity} — {self.date:%d/%m/%Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ClosureBooking(models.Model):
    """A booking a fermeture (annulation groupée) turned into « Annulé (fermeture) », with the state it had, so
    the fermeture can be undone while its days have not happened."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="cancelled_bookings")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    previous_state = models.CharField(max_length=10, choices=Booking.State.choices)

    class Meta:
        verbose_name = _("réservation annulée par une fermeture")
        verbose_name_plural = _("réservations annulées par une fermeture")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["closure", "booking"], name="closurebooking_unique"),
        ]
