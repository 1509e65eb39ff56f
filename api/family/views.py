"""Family API views: parse and check the input, find the family's own rows (another family's → 404), call the
families services and selectors, shape the answer. No business rule here."""

from __future__ import annotations

from itertools import groupby

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from families.models import Activity, Booking, Child, Enrolment, GuichetAction, Unit
from families.selectors import family_children
from families.selectors_planning import PlanningState, child_planning, waiting_positions
from families.services.bookings import Change, bookings_apply, changes_exclusive_conflicts
from families.services.deadlines import BookingAction
from families.services.enrolments import enrolment_request

from .permissions import IsFamilyMember
from .serializers import (
    ChangeAction,
    ChangeState,
    DayState,
    FamilyChildSerializer,
    FamilyEnrolmentRequestSerializer,
    FamilyEnrolmentSerializer,
    FamilyPlanningChangesResultSerializer,
    FamilyPlanningChangesSerializer,
    FamilyPlanningQuerySerializer,
    FamilyPlanningRefusalsSerializer,
    FamilyPlanningSerializer,
)

TAGS = ["family"]
ACTIONS = {ChangeAction.RESERVE: BookingAction.ADD, ChangeAction.CANCEL: BookingAction.CANCEL}
ATTENDED = {
    Booking.Attendance.PRESENT: DayState.PRESENT,
    Booking.Attendance.ABSENT: DayState.ABSENT,
    Booking.Attendance.EXCUSED: DayState.EXCUSED,
}


class FamilyAPIView(APIView):
    # The parent's portal session (the mobile app logs in like the portal); JSON bodies only.
    authentication_classes = [SessionAuthentication]
    parser_classes = [JSONParser]
    permission_classes = [IsFamilyMember]

    def family_child(self, child_id) -> Child:
        """The family's own child, or 404 (another family's child is never revealed)."""
        return get_object_or_404(
            Child.objects.select_related("school"), pk=child_id, family=self.request.family
        )

    def log_guichet(self, action: str) -> None:
        # An agent acting for a family (mode guichet) leaves a trace, as in the portal.
        if getattr(self.request, "guichet", False):
            GuichetAction.objects.create(
                family=self.request.family,
                agent=self.request.user,
                path=self.request.path[:250],
                action=action,
            )


class FamilyChildrenView(FamilyAPIView):
    @extend_schema(
        tags=TAGS,
        operation_id="family_children_list",
        summary=_("Les enfants de la famille"),
        responses={200: FamilyChildSerializer(many=True)},
    )
    def get(self, request):
        children = family_children(family=request.family)
        return Response(FamilyChildSerializer(children, many=True).data)


class FamilyPlanningView(FamilyAPIView):
    @extend_schema(
        tags=TAGS,
        operation_id="family_planning_retrieve",
        summary=_("Le planning d'un enfant (au plus 93 jours)"),
        parameters=[FamilyPlanningQuerySerializer],
        responses={
            200: FamilyPlanningSerializer,
            400: OpenApiResponse(description=_("Paramètre manquant ou invalide : {champ: [messages]}.")),
            404: OpenApiResponse(description=_("Enfant inconnu de la famille.")),
        },
    )
    def get(self, request):
        query = FamilyPlanningQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        child = self.family_child(query.validated_data["child"])
        cells = child_planning(
            child=child, start=query.validated_data["start"], end=query.validated_data["end"]
        )
        days = [
            {"date": day, "units": [_unit_cell(cell) for cell in group]}
            for day, group in groupby(cells, key=lambda c: c.day)
        ]
        return Response(FamilyPlanningSerializer({"days": days}).data)

    @extend_schema(
        tags=TAGS,
        operation_id="family_planning_change",
        summary=_("Réserver ou annuler des jours (tout ou rien)"),
        description=_(
            "Chaque changement est vérifié comme sur le portail (délais, fermetures, inscription, unités "
            "exclusives, fiche sanitaire). Si l'un est refusé, rien n'est enregistré et la réponse 400 donne "
            "`errors` (date, unit, message en français). Une saisie invalide répond 400 {champ: [messages]}."
        ),
        request=FamilyPlanningChangesSerializer,
        responses={
            200: FamilyPlanningChangesResultSerializer,
            400: OpenApiResponse(
                FamilyPlanningRefusalsSerializer,
                description=_("Changements refusés : rien n'est enregistré."),
            ),
            404: OpenApiResponse(description=_("Enfant inconnu de la famille.")),
        },
    )
    def post(self, request):
        payload = FamilyPlanningChangesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        child = self.family_child(payload.validated_data["child"])
        wanted = payload.validated_data["changes"]
        units = Unit.objects.select_related("activity").in_bulk({c["unit"] for c in wanted})
        # Errors by change index, the way DRF reports the other errors of the list.
        unknown = {
            str(i): {"unit": [_("Unité inconnue.")]} for i, c in enumerate(wanted) if c["unit"] not in units
        }
        if unknown:
            return Response({"changes": unknown}, status=status.HTTP_400_BAD_REQUEST)
        changes = [
            Change(child=child, unit=units[c["unit"]], day=c["date"], action=ACTIONS[c["action"]])
            for c in wanted
        ]
        refused = changes_exclusive_conflicts(child_changes=changes)
        if not refused:
            result = bookings_apply(
                child_changes=changes, by=request.user, as_staff=False, all_or_nothing=True
            )
            refused = result.refused
        if refused:
            errors = [{"date": r.change.day, "unit": r.change.unit.pk, "message": r.message} for r in refused]
            return Response(
                FamilyPlanningRefusalsSerializer({"errors": errors}).data, status=status.HTTP_400_BAD_REQUEST
            )
        self.log_guichet(_("Planning modifié par l'API famille"))
        active = {
            (b.unit_id, b.date): b
            for b in Booking.objects.filter(
                child=child,
                unit_id__in=units,
                date__in={c["date"] for c in wanted},
                state__in=Booking.ACTIVE,
            )
        }
        positions = waiting_positions(bookings=list(active.values()))
        rows = []
        for c in wanted:
            booking = active.get((c["unit"], c["date"]))
            state = ChangeState.AVAILABLE if booking is None else ChangeState(booking.state)
            rows.append(
                {**c, "state": state, "waiting_position": positions.get(booking.pk) if booking else None}
            )
        return Response(FamilyPlanningChangesResultSerializer({"child": child.pk, "changes": rows}).data)


def _unit_cell(cell) -> dict:
    state, editable_until = DayState(cell.state), cell.editable_until
    if (
        cell.state != PlanningState.CLOSED
        and cell.booking is not None
        and cell.booking.attendance in ATTENDED
    ):
        # A day already pointed (présent, absent, absence justifiée) is no longer the family's to change.
        state, editable_until = ATTENDED[cell.booking.attendance], None
    return {
        "unit": cell.unit.pk,
        "code": cell.unit.code,
        "label": cell.unit.label,
        "activity": cell.unit.activity_id,
        "state": state,
        "waiting_position": cell.waiting_position,
        "editable_until": editable_until,
    }


class FamilyEnrolmentsView(FamilyAPIView):
    @extend_schema(
        tags=TAGS,
        operation_id="family_enrolments_list",
        summary=_("Les inscriptions des enfants de la famille"),
        responses={200: FamilyEnrolmentSerializer(many=True)},
    )
    def get(self, request):
        enrolments = (
            Enrolment.objects.filter(child__family=request.family)
            .select_related("activity")
            .prefetch_related("planning_units")
            .order_by("child__birth_date", "-requested_at", "pk")
        )
        return Response(FamilyEnrolmentSerializer(enrolments, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="family_enrolments_request",
        summary=_("Demander une inscription"),
        description=_(
            "Mêmes règles que le portail : activité ouverte à l'enfant (âge, niveau, école, période "
            "d'inscription), fiche sanitaire confirmée, une seule inscription en cours par enfant et activité, "
            "activité non complète. Erreurs : 400 {champ: [messages en français]}."
        ),
        request=FamilyEnrolmentRequestSerializer,
        responses={
            201: FamilyEnrolmentSerializer,
            400: OpenApiResponse(description=_("Demande refusée ou invalide : {champ: [messages]}.")),
            404: OpenApiResponse(description=_("Enfant inconnu de la famille.")),
        },
    )
    def post(self, request):
        payload = FamilyEnrolmentRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        child = self.family_child(data["child"])
        activity = Activity.objects.filter(pk=data["activity"]).first()
        if activity is None:
            return Response({"activity": [_("Activité inconnue.")]}, status=status.HTTP_400_BAD_REQUEST)
        units = Unit.objects.in_bulk(set(data["units"]))
        missing = sorted(set(data["units"]) - set(units))
        if missing:
            return Response(
                {"units": [_("Unité inconnue : %(id)d.") % {"id": missing[0]}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            enrolment = enrolment_request(
                child=child,
                activity=activity,
                start_date=data["start_date"],
                weekdays=data["weekdays"],
                units=list(units.values()),
                by=request.user,
            )
        except DjangoValidationError as error:
            body = (
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        self.log_guichet(_("Inscription demandée par l'API famille"))
        enrolment = (
            Enrolment.objects.select_related("activity")
            .prefetch_related("planning_units")
            .get(pk=enrolment.pk)
        )
        return Response(FamilyEnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)
