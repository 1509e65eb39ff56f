"""Démarches (ChangeRequest): coordonnées changes and new children, applied only once staff approve them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import ChangeRequest, Child, ClassLevel, Family, Guardian, School

from .emails import email_send

FAMILY_FIELDS = ("address_line1", "address_line2", "postcode", "commune")
GUARDIAN_FIELDS = ("email", "phone_mobile", "phone_home", "phone_work", "employer", "profession")
# Town settings may name a group instead of each field.
FIELD_GROUPS = {
    "address": FAMILY_FIELDS,
    "phones": ("phone_mobile", "phone_home", "phone_work"),
    "email": ("email",),
    "employer": ("employer", "profession"),
}
CHILD_FIELDS = ("first_name", "last_name", "sex", "birth_date", "school", "class_level")


def immediate_fields() -> set[str]:
    """Coordonnées the town lets parents change without review (setting PORTAIL_IMMEDIATE_FIELDS)."""
    out: set[str] = set()
    for name in settings.PORTAIL_IMMEDIATE_FIELDS:
        out.update(FIELD_GROUPS.get(name, (name,)))
    return out


def _diff(obj, data: dict, fields) -> dict:
    return {
        f: str(data[f]).strip()
        for f in fields
        if f in data and str(data[f]).strip() != (getattr(obj, f) or "")
    }


class ChangeRequestConflict(ValidationError):
    """The dossier changed since the démarche was made: applying it would silently undo a newer change."""

    def __init__(self, conflicts: list[tuple[str, str, str]]):
        self.conflicts = conflicts
        details = "; ".join(
            _("%(field)s vaut maintenant « %(now)s » (la famille demandait de remplacer « %(before)s »)")
            % {"field": label, "now": now or "—", "before": before or "—"}
            for label, now, before in conflicts
        )
        super().__init__(
            _(
                "Le dossier a été modifié depuis cette démarche : %(details)s. Vérifiez auprès de la famille, "
                "puis refusez la démarche ou faites la modification à la main."
            )
            % {"details": details},
            code="conflict",
        )


def _split(changes: dict, now_ok: set[str]) -> tuple[dict, dict]:
    return (
        {k: v for k, v in changes.items() if k in now_ok},
        {k: v for k, v in changes.items() if k not in now_ok},
    )


@transaction.atomic
def coordinates_submit(
    *, family: Family, family_data: dict, guardians_data: dict[int, dict], by
) -> list[ChangeRequest]:
    """A parent changes the coordonnées: fields the town allows apply at once (kept as a démarche « prise en
    compte »), the others wait in a pending démarche for staff approval. Returns the démarches created."""
    now_ok = immediate_fields()
    immediate: dict = {"family": {}, "guardians": {}}
    review: dict = {"family": {}, "guardians": {}}
    immediate["family"], review["family"] = _split(_diff(family, family_data, FAMILY_FIELDS), now_ok)
    guardians = {g.pk: g for g in Guardian.objects.filter(family=family)}
    for guardian_id, data in guardians_data.items():
        guardian = guardians.get(int(guardian_id))
        if guardian is None:
            raise ValidationError(_("Responsable légal inconnu dans ce dossier."))
        now, later = _split(_diff(guardian, data, GUARDIAN_FIELDS), now_ok)
        if now:
            immediate["guardians"][str(guardian.pk)] = now
        if later:
            review["guardians"][str(guardian.pk)] = later
    created = []
    if immediate["family"] or immediate["guardians"]:
        cr = ChangeRequest.objects.create(
            family=family, kind=ChangeRequest.Kind.COORDINATES, payload=immediate, created_by=by
        )
        _apply_coordinates(cr)
        cr.status = ChangeRequest.Status.APPLIED
        cr.decided_at = timezone.now()
        cr.save()
        created.append(cr)
    if review["family"] or review["guardians"]:
        cr = _pending_or_new(
            family=family,
            kind=ChangeRequest.Kind.COORDINATES,
            payload=review,
            by=by,
            previous=_values_before(family=family, guardians=guardians, payload=review),
        )
        created.append(cr)
    return created


def _pending_or_new(
    *, family: Family, kind: str, payload: dict, by, previous: dict | None = None
) -> ChangeRequest:
    """The same démarche sent twice (double click, resubmitted form) stays one démarche: the pending one is
    returned. The family row is locked so simultaneous submissions see each other."""
    Family.objects.select_for_update().filter(pk=family.pk).first()
    for pending in ChangeRequest.objects.filter(
        family=family, kind=kind, status=ChangeRequest.Status.PENDING
    ):
        if pending.payload == payload:
            return pending
    cr = ChangeRequest.objects.create(
        family=family, kind=kind, payload=payload, previous=previous or {}, created_by=by
    )
    _alert_staff(cr)
    return cr


def _values_before(*, family: Family, guardians: dict[int, Guardian], payload: dict) -> dict:
    """The values a démarche replaces, as the family saw them when asking (checked again on approval)."""
    return {
        "family": {field: getattr(family, field) or "" for field in payload["family"]},
        "guardians": {
            guardian_id: {field: getattr(guardians[int(guardian_id)], field) or "" for field in changes}
            for guardian_id, changes in payload["guardians"].items()
        },
    }


@transaction.atomic
def child_add_request(*, family: Family, data: dict, by) -> ChangeRequest:
    """Declaring a new child is a démarche: the child joins the dossier when staff approve."""
    payload = {f: data.get(f) for f in CHILD_FIELDS}
    for key in ("school", "class_level"):
        value = payload.get(key)
        payload[key] = getattr(value, "pk", value)
    if isinstance(payload["birth_date"], date):
        payload["birth_date"] = payload["birth_date"].isoformat()
    return _pending_or_new(family=family, kind=ChangeRequest.Kind.NEW_CHILD, payload=payload, by=by)


def _check_still_current(cr: ChangeRequest, family: Family, guardians: dict[str, Guardian]) -> None:
    """Refuse to apply a démarche over a value that changed since it was asked (another démarche, an agent)."""
    expected = cr.previous or {}  # démarches made before values were recorded are not checked
    conflicts = []
    for field, value in (cr.payload.get("family") or {}).items():
        before = (expected.get("family") or {}).get(field)
        now = getattr(family, field) or ""
        if before is not None and now not in (before, value):
            conflicts.append((str(Family._meta.get_field(field).verbose_name), now, before))
    for guardian_id, changes in (cr.payload.get("guardians") or {}).items():
        guardian = guardians[guardian_id]
        for field, value in changes.items():
            before = ((expected.get("guardians") or {}).get(guardian_id) or {}).get(field)
            now = getattr(guardian, field) or ""
            if before is not None and now not in (before, value):
                label = f"{guardian.full_name} — {Guardian._meta.get_field(field).verbose_name}"
                conflicts.append((label, now, before))
    if conflicts:
        raise ChangeRequestConflict(conflicts)


def _apply_coordinates(cr: ChangeRequest, *, check: bool = False) -> None:
    previous: dict = {"family": {}, "guardians": {}}
    family = Family.objects.select_for_update().get(pk=cr.family_id)
    guardians = {
        str(g.pk): g
        for g in Guardian.objects.select_for_update().filter(
            family=family, pk__in=[int(k) for k in cr.payload.get("guardians") or {}]
        )
    }
    if len(guardians) != len(cr.payload.get("guardians") or {}):
        raise ValidationError(_("Un responsable légal de cette démarche n'est plus dans le dossier."))
    if check:
        _check_still_current(cr, family, guardians)
    if cr.payload.get("family"):
        for field, value in cr.payload["family"].items():
            previous["family"][field] = getattr(family, field)
            setattr(family, field, value)
        family.full_clean()
        family._change_reason = _("Démarche n° %(n)s") % {"n": cr.pk}
        family.save()
    for guardian_id, changes in (cr.payload.get("guardians") or {}).items():
        guardian = guardians[guardian_id]
        previous["guardians"][guardian_id] = {}
        for field, value in changes.items():
            previous["guardians"][guardian_id][field] = getattr(guardian, field)
            setattr(guardian, field, value)
        guardian.full_clean()
        guardian._change_reason = _("Démarche n° %(n)s") % {"n": cr.pk}
        guardian.save()
    cr.previous = previous


def _apply_new_child(cr: ChangeRequest) -> Child:
    data = cr.payload
    child = Child(
        family_id=cr.family_id,
        first_name=data["first_name"],
        last_name=data["last_name"],
        sex=data.get("sex") or "",
        birth_date=date.fromisoformat(data["birth_date"]),
        school=School.objects.filter(pk=data.get("school")).first() if data.get("school") else None,
        class_level=ClassLevel.objects.filter(pk=data.get("class_level")).first()
        if data.get("class_level")
        else None,
    )
    child.full_clean()
    child._change_reason = _("Démarche n° %(n)s") % {"n": cr.pk}
    child.save()
    return child


@transaction.atomic
def change_request_approve(*, request: ChangeRequest, by) -> ChangeRequest:
    """Staff approve a démarche: its changes are applied (with history) and the family is told. A démarche whose
    « valeur avant » is no longer the dossier's value raises ChangeRequestConflict (a ValidationError)."""
    cr = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if cr.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("Cette démarche a déjà été traitée."), code="already_decided")
    if cr.kind == ChangeRequest.Kind.COORDINATES:
        _apply_coordinates(cr, check=True)
    elif cr.kind == ChangeRequest.Kind.NEW_CHILD:
        _apply_new_child(cr)
    cr.status = ChangeRequest.Status.APPROVED
    cr.decided_by = by
    cr.decided_at = timezone.now()
    cr.save()
    _notify_family(cr)
    return cr


@transaction.atomic
def change_request_refuse(*, request: ChangeRequest, by, reason: str) -> ChangeRequest:
    """Staff refuse a démarche, always with a reason the family will read."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : la famille le lira.")}, code="reason_required"
        )
    cr = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if cr.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("Cette démarche a déjà été traitée."), code="already_decided")
    cr.status = ChangeRequest.Status.REFUSED
    cr.reason = reason.strip()
    cr.decided_by = by
    cr.decided_at = timezone.now()
    cr.save()
    _notify_family(cr)
    return cr


def _notify_family(cr: ChangeRequest) -> None:
    emails = [
        g.user.email
        for g in Guardian.objects.filter(family_id=cr.family_id, user__isnull=False).select_related("user")
    ]
    email_send(to=emails, template="change_request_decided", context={"cr": cr})


def _alert_staff(cr: ChangeRequest) -> None:
    email_send(
        to=settings.PORTAIL_CONTACT_EMAIL,
        template="staff_alert",
        context={
            "title": _("Nouvelle démarche à traiter"),
            "body": _("%(kind)s — famille %(code)s")
            % {"kind": cr.get_kind_display(), "code": cr.family.code},
        },
    )


def change_request_lines(
    cr: ChangeRequest,
    *,
    guardians: dict[str, Guardian] | None = None,
    schools: dict | None = None,
    levels: dict | None = None,
) -> list[tuple[str, str, str, str]]:
    """(who/what, field label, value before, value asked) for display in the portal and the back-office.

    Pages listing many démarches pass the lookups (guardians by id, schools, levels) so no row queries."""
    lines = []
    if cr.kind == ChangeRequest.Kind.NEW_CHILD:
        for field in CHILD_FIELDS:
            value = cr.payload.get(field)
            if field == "school" and value:
                found = schools.get(value) if schools is not None else School.objects.filter(pk=value).first()
                value = str(found or value)
            elif field == "class_level" and value:
                found = (
                    levels.get(value) if levels is not None else ClassLevel.objects.filter(pk=value).first()
                )
                value = str(found or value)
            elif field == "sex" and value:  # « Fille », not the stored code « f »
                value = str(dict(Child.Sex.choices).get(value, value))
            elif field == "birth_date" and value:
                try:
                    value = date.fromisoformat(value).strftime("%d/%m/%Y")
                except (TypeError, ValueError):
                    pass
            lines.append((_("Enfant"), str(Child._meta.get_field(field).verbose_name), "", value or "—"))
        return lines
    decided = cr.status != ChangeRequest.Status.PENDING
    previous = cr.previous or {}
    family = cr.family
    for field, value in (cr.payload.get("family") or {}).items():
        before = (previous.get("family") or {}).get(field, "") if decided else getattr(family, field)
        lines.append(
            (_("Foyer"), str(Family._meta.get_field(field).verbose_name), before or "—", value or "—")
        )
    guardians_payload = cr.payload.get("guardians") or {}
    if guardians is None:
        guardians = {
            str(g.pk): g for g in Guardian.objects.filter(pk__in=[int(k) for k in guardians_payload])
        }
    for guardian_id, changes in guardians_payload.items():
        guardian = guardians.get(guardian_id)
        for field, value in changes.items():
            if decided:
                before = ((previous.get("guardians") or {}).get(guardian_id) or {}).get(field, "")
            else:
                before = getattr(guardian, field, "") if guardian else ""
            lines.append(
                (
                    guardian.full_name if guardian else "?",
                    str(Guardian._meta.get_field(field).verbose_name),
                    before or "—",
                    value or "—",
                )
            )
    return lines
