"""Staff side of reservations in the generic back-office: named actions on a booking (annuler, rétablir) and the
API route an agent uses to reserve or cancel days for any family (`POST /api/v1/bookings/apply/`).

Agents go through the same service as parents, with `as_staff=True`: no délai, every change logged with the agent
(history user and `updated_by`); openings, closures, inscriptions, meal types and capacity still hold.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backoffice.crud.api import CrudActionPermission
from families.models import Booking, Child, Unit
from families.services.bookings import ApplyResult, Change, bookings_apply
from families.services.deadlines import BookingAction

# The family API's words for the two actions (same contract for staff).
API_ACTIONS = {"reserve": BookingAction.ADD, "cancel": BookingAction.CANCEL}


def _refused(result: ApplyResult) -> None:
    if result.refused:
        raise ValidationError([refusal.message for refusal in result.refused])


def booking_staff_cancel(booking: Booking, *, by) -> ApplyResult:
    """Staff cancel a reserved or waiting day at any time (no délai); the freed place goes to the first in line."""
    result = bookings_apply(
        child_changes=[
            Change(child=booking.child, unit=booking.unit, day=booking.date, action=BookingAction.CANCEL)
        ],
        by=by,
        as_staff=True,
    )
    _refused(result)
    return result


def booking_staff_reserve(booking: Booking, *, by) -> ApplyResult:
    """Staff reserve again a cancelled day (or the waiting list when the day is full), at any time."""
    if booking.state in Booking.ACTIVE:
        return ApplyResult()
    result = bookings_apply(
        child_changes=[
            Change(child=booking.child, unit=booking.unit, day=booking.date, action=BookingAction.ADD)
        ],
        by=by,
        as_staff=True,
    )
    _refused(result)
    return result


class StaffChangeSerializer(serializers.Serializer):
    date = serializers.DateField(label=_l("Jour"))
    unit = serializers.PrimaryKeyRelatedField(
        label=_l("Unité"), queryset=Unit.objects.select_related("activity")
    )
    action = serializers.ChoiceField(label=_l("Action"), choices=list(API_ACTIONS))


class StaffApplySerializer(serializers.Serializer):
    """`{"child": id, "changes": [{"date", "unit", "action": "reserve"|"cancel"}]}`: the family API's body."""

    child = serializers.PrimaryKeyRelatedField(label=_l("Enfant"), queryset=Child.objects.all())
    changes = StaffChangeSerializer(many=True, allow_empty=False)


class StaffApplyResultSerializer(serializers.Serializer):
    reserved = serializers.ListField(child=serializers.IntegerField())
    waiting = serializers.ListField(child=serializers.IntegerField())
    cancelled = serializers.ListField(child=serializers.IntegerField())
    promoted = serializers.ListField(child=serializers.IntegerField())


class BookingStaffViewSetMixin:
    """Adds `POST /api/v1/bookings/apply/` to the generated (read-only) bookings viewset."""

    @extend_schema(
        summary=_l("Réserver ou annuler des jours pour un enfant (service enfance)"),
        description=_l(
            "Applique un lot de réservations et d'annulations pour un enfant, sans délai (service enfance) ; "
            "tout ou rien : un refus annule le lot (409, avec le motif de chaque refus). Un jour complet passe "
            "en liste d'attente."
        ),
        request=StaffApplySerializer,
        responses={
            200: StaffApplyResultSerializer,
            400: OpenApiResponse(description=_l("Corps de requête invalide.")),
            403: OpenApiResponse(description=_l("Permission de modification requise.")),
            409: OpenApiResponse(description=_l("Un changement est refusé ; rien n'est enregistré.")),
        },
    )
    @action(detail=False, methods=["post"], url_path="apply", permission_classes=[CrudActionPermission])
    def apply(self, request):
        body = StaffApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        child = body.validated_data["child"]
        changes = [
            Change(child=child, unit=c["unit"], day=c["date"], action=API_ACTIONS[c["action"]])
            for c in body.validated_data["changes"]
        ]
        result = bookings_apply(child_changes=changes, by=request.user, as_staff=True)
        if result.refused:
            return Response(
                {
                    "detail": _("Aucun changement n'a été enregistré."),
                    "refused": [
                        {
                            "date": refusal.change.day.isoformat(),
                            "unit": refusal.change.unit.pk,
                            "code": refusal.code,
                            "message": refusal.message,
                        }
                        for refusal in result.refused
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            {
                "reserved": [b.pk for b in result.reserved],
                "waiting": [b.pk for b in result.waiting],
                "cancelled": [b.pk for b in result.cancelled],
                "promoted": [b.pk for b in result.promoted],
            }
        )


class ClosureAdminMixin:
    """A fermeture added in the back-office records the agent who added it."""

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ClosureViewSetMixin:
    """A fermeture added through the API records the account that added it."""

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)


class BookingUnitFilter(admin.SimpleListFilter):
    """Filter by unit, labelled with its activity, read in one query (the default filter reads each activity)."""

    title = _l("unité")
    parameter_name = "unit__id__exact"

    def lookups(self, request, model_admin):
        return [(unit.pk, str(unit)) for unit in Unit.objects.select_related("activity")]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(unit_id=value) if value else queryset
