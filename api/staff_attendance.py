"""Staff API of the roll call (appel), the counts (effectifs) and the fermetures with bulk cancellation; every
write calls the same services as the back-office screens (families.services.attendance / closures)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from families.health import can_view_health
from families.models import Activity, Booking, Child, Closure, School, Unit
from families.selectors_staff import MEAL_KINDS, kitchen_counts, rollcall_sheet
from families.services import attendance, closures


def _staff_with(*perms: str) -> type[BasePermission]:
    class Allowed(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and user.is_active
                and user.is_staff
                and any(user.has_perm(p) for p in perms)
            )

    return Allowed


RollCallPermission = _staff_with(attendance.TAKE_PERMISSION, attendance.CORRECT_PERMISSION)


def _as_drf(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"detail": error.messages})


class SheetQuery(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())
    date = serializers.DateField()


class MarkInput(serializers.Serializer):
    booking = serializers.PrimaryKeyRelatedField(queryset=Booking.objects.select_related("child", "unit"))
    attendance = serializers.ChoiceField(choices=Booking.Attendance.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class WalkInInput(serializers.Serializer):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.select_related("activity"))
    date = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _sheet_json(sheet) -> dict:
    return {
        "school": sheet.school.pk,
        "activity": sheet.activity.pk,
        "date": sheet.day.isoformat(),
        "closed": sheet.is_closed,
        "closed_at": sheet.rollcall.closed_at.isoformat() if sheet.is_closed else None,
        "expected": sheet.expected,
        "to_mark": sheet.to_mark,
        "groups": [
            {
                "unit": {"id": g.unit.pk, "label": g.unit.label},
                "children": [
                    {
                        "booking": r.booking.pk,
                        "child": {
                            "id": r.child.pk,
                            "first_name": r.child.first_name,
                            "last_name": r.child.last_name,
                        },
                        "attendance": r.booking.attendance,
                        "walk_in": r.booking.walk_in,
                        "allergies": r.allergies,
                        "has_pai": r.has_pai,
                        "pick_up": [
                            {
                                "name": f"{c.first_name} {c.last_name}",
                                "relationship": c.relationship,
                                "phone": c.phone,
                            }
                            for c in r.pick_up
                        ],
                    }
                    for r in g.rows
                ],
            }
            for g in sheet.groups
        ],
    }


class RollCallView(APIView):
    """GET the appel of a site, activity and day; POST closes it (clôture)."""

    permission_classes = [RollCallPermission]

    @extend_schema(parameters=[SheetQuery], responses={200: dict})
    def get(self, request):
        query = SheetQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        sheet = rollcall_sheet(
            school=data["school"],
            activity=data["activity"],
            day=data["date"],
            with_health=can_view_health(request.user),
        )
        return Response(_sheet_json(sheet))

    @extend_schema(request=SheetQuery, responses={200: dict})
    def post(self, request):
        body = SheetQuery(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        existing = attendance.rollcall_find(
            school=data["school"], activity=data["activity"], day=data["date"]
        )
        if existing is not None and existing.is_closed:
            return Response({"detail": _("L'appel est déjà clôturé.")}, status=status.HTTP_409_CONFLICT)
        try:
            rollcall = attendance.rollcall_close(
                school=data["school"], activity=data["activity"], day=data["date"], by=request.user
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from error
        return Response({"closed": True, "closed_at": rollcall.closed_at.isoformat()})


class RollCallMarkView(APIView):
    """POST one child's attendance (présent / absent / absence justifiée)."""

    permission_classes = [RollCallPermission]

    @extend_schema(request=MarkInput, responses={200: dict})
    def post(self, request):
        body = MarkInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            booking = attendance.attendance_mark(
                booking=data["booking"], attendance=data["attendance"], by=request.user, reason=data["reason"]
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        return Response({"booking": booking.pk, "attendance": booking.attendance})


class RollCallWalkInView(APIView):
    """POST a child present without reservation."""

    permission_classes = [RollCallPermission]

    @extend_schema(request=WalkInInput, responses={201: dict})
    def post(self, request):
        body = WalkInInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            booking = attendance.attendance_add_walk_in(
                child=data["child"],
                unit=data["unit"],
                day=data["date"],
                by=request.user,
                reason=data["reason"],
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from error
        return Response(
            {"booking": booking.pk, "attendance": booking.attendance, "walk_in": booking.walk_in},
            status=status.HTTP_201_CREATED,
        )


class CountsQuery(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), required=False)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": _("La fin de la période doit suivre son début.")})
        if (data["end"] - data["start"]).days >= 62:
            raise serializers.ValidationError({"end": _("Choisissez une période de 62 jours au plus.")})
        return data


class CountsView(APIView):
    """GET the effectifs per school and day: meals by kind, allergies (health permission), units."""

    permission_classes = [_staff_with("families.view_booking")]

    @extend_schema(parameters=[CountsQuery], responses={200: dict})
    def get(self, request):
        query = CountsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        counts = kitchen_counts(
            start=data["start"],
            end=data["end"],
            with_health=can_view_health(request.user),
            schools=[data["school"]] if data.get("school") else None,
        )
        results = []
        for school in counts.schools:
            for cell in school.days:
                results.append(
                    {
                        "school": school.school.pk,
                        "date": cell.day.isoformat(),
                        "source": "attendance" if cell.from_attendance else "reservations",
                        "meals": {str(kind): cell.meals[kind] for kind in MEAL_KINDS},
                        "total_meals": cell.total_meals,
                        "allergies": cell.allergies if counts.with_health else None,
                        "pai": cell.pai if counts.with_health else None,
                        "units": {str(pk): n for pk, n in cell.units.items()},
                    }
                )
        return Response(
            {"start": counts.start.isoformat(), "end": counts.end.isoformat(), "results": results}
        )


class ClosureInput(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200)
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True
    )
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.all(), required=False, allow_null=True
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)


class BulkCancelView(APIView):
    """POST a fermeture that cancels the bookings of its scope (annulation groupée)."""

    permission_classes = [_staff_with("families.add_closure")]

    @extend_schema(request=ClosureInput, responses={201: dict})
    def post(self, request):
        body = ClosureInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = closures.closure_apply(**body.validated_data, by=request.user)
        except DjangoValidationError as error:
            raise _as_drf(error) from error
        return Response(
            {"closure": result.closure.pk, "bookings": result.bookings, "families": result.families},
            status=status.HTTP_201_CREATED,
        )


class BulkCancelRevertView(APIView):
    """POST undoes a fermeture that has not started; 409 once it has."""

    permission_classes = [_staff_with("families.delete_closure")]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk: int):
        closure = get_object_or_404(Closure, pk=pk)
        if closure.start_date < timezone.localdate():
            return Response(
                {"detail": _("Cette fermeture a commencé : elle ne peut plus être annulée.")},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            result = closures.closure_revert(closure=closure, by=request.user)
        except DjangoValidationError as error:
            raise _as_drf(error) from error
        return Response({"bookings": result.bookings, "families": result.families})
