"""« Justifier une absence »: the parent's form and list, the certificate download, and the back-office review
screen of absences (the certificate opens only for staff with the health permission)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from families.forms import DATE_WIDGET
from families.health import can_view_health
from families.models import Absence, Child, Family
from families.services import absences as absence_services

from .common import family_required
from .documents import private_file_response


class AbsenceForm(forms.Form):
    child = forms.ModelChoiceField(label=_l("Enfant"), queryset=Child.objects.none(), empty_label=None)
    start = forms.DateField(label=_l("Absent(e) du"), widget=DATE_WIDGET)
    end = forms.DateField(label=_l("au (inclus)"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(label=_l("Motif"), choices=Absence.Reason.choices)
    comment = forms.CharField(
        label=_l("Précisions (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    certificate = forms.FileField(
        label=_l("Certificat médical"),
        required=False,
        help_text=_l(
            "En cas de maladie : photo ou PDF du certificat (PDF, JPEG, PNG ou HEIC, 10 Mo maximum)."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.heic,application/pdf,image/*"}
        ),
    )

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.filter(family=family).order_by("birth_date")


def family_absences(*, family: Family):
    """The family's declared absences, newest first, with their child (one query)."""
    return Absence.objects.filter(child__family=family).select_related("child").order_by("-start_date", "-pk")


@family_required
@require_http_methods(["GET", "POST"])
def absences(request):
    family = request.family
    today = timezone.localdate()
    initial = {"start": today, "end": today, "reason": Absence.Reason.ILLNESS}
    if request.GET.get("enfant", "").isdigit():
        initial["child"] = int(request.GET["enfant"])
    form = AbsenceForm(request.POST or None, request.FILES or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            absence = absence_services.absence_declare(
                child=data["child"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                certificate=data["certificate"],
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _declared_message(absence))
            return redirect("portal:absences")
    return render(
        request,
        "portal/absences.html",
        {
            "form": form,
            "absences": list(family_absences(family=family)[:50]),
        },
        status=400 if form.errors else 200,
    )


def _declared_message(absence: Absence) -> str:
    if absence.status == Absence.Status.CANCELLED:
        return _("Absence enregistrée : les jours réservés sont annulés et ne seront pas facturés.")
    if absence.status == Absence.Status.PENDING:
        return _("Absence enregistrée. Le service enfance va vérifier le certificat médical.")
    return _(
        "Absence enregistrée. Le délai d'annulation étant passé, les jours restent facturés sauf certificat "
        "médical : vous pouvez l'envoyer depuis la messagerie."
    )


@family_required
def absence_certificate(request, absence_id: int):
    absence = get_object_or_404(Absence, pk=absence_id, child__family=request.family)
    if not absence.certificate:
        raise Http404(_("Aucun certificat pour cette absence."))
    if request.guichet and not can_view_health(request.user):
        raise Http404  # at the guichet, a certificat médical stays with staff who hold the health permission
    return private_file_response(
        file=absence.certificate,
        filename=absence.certificate_name or "certificat",
        content_type=absence.certificate_type,
    )


# --- Back-office ------------------------------------------------------------------------------------------------


class AbsenceAdminMixin:
    """Reviewing an absence: accept/reject are the engine's named actions; the certificat médical opens only for
    staff with the health permission (`families.health.can_view_health`)."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("child__family", "created_by", "reviewed_by")

    def get_fields(self, request, obj=None):
        return [
            "child",
            "start_date",
            "end_date",
            "reason",
            "comment",
            "certificate_link",
            "status",
            "cancelled_days",
            "absent_days",
            "rejection_reason",
            "created_at",
            "created_by",
            "reviewed_at",
            "reviewed_by",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_l("Certificat médical"))
    def certificate_link(self, obj):
        # The link is the same for everyone (an admin instance serves every request); the view checks the right.
        if not obj.pk or not obj.certificate:
            return _("Aucun")
        url = reverse("admin:families_absence_certificate", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> <span class="help">{}</span>',
            url,
            _("Ouvrir le certificat"),
            _("réservé aux personnes habilitées aux données de santé"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/certificat/",
                self.admin_site.admin_view(self.certificate_view),
                name="families_absence_certificate",
            ),
            *super().get_urls(),
        ]

    def certificate_view(self, request, pk):
        absence = get_object_or_404(Absence, pk=pk)
        if not self.has_view_permission(request, absence) or not can_view_health(request.user):
            raise PermissionDenied
        if not absence.certificate:
            raise Http404(_("Aucun certificat pour cette absence."))
        return private_file_response(
            file=absence.certificate,
            filename=absence.certificate_name or "certificat",
            content_type=absence.certificate_type,
        )
