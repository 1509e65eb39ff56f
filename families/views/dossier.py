"""Mon dossier: coordonnées (as démarches), children and their fiche sanitaire, entourage."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from families.forms import ChildHealthForm, ContactForm, CoordinatesForm, NewChildForm, VaccinationFormSet
from families.models import ChangeRequest, Child, ClassLevel, Contact, School
from families.selectors import family_change_requests, family_children, family_contacts, family_guardians
from families.services import change_requests as cr_services
from families.services import contacts as contact_services
from families.services.health import child_health_form_confirm, child_health_form_is_current

from .common import family_required


@family_required
def dossier(request):
    family = request.family
    today = timezone.localdate()
    children = list(family_children(family=family))
    for child in children:
        child.health_ok = child_health_form_is_current(child=child, day=today)
    return render(request, "portal/dossier.html", {
        "family": family,
        "guardians": list(family_guardians(family=family)),
        "children": children,
        "contacts": list(family_contacts(family=family)),
        "pending": list(family_change_requests(family=family).filter(status=ChangeRequest.Status.PENDING)),
    })


@family_required
@require_http_methods(["GET", "POST"])
def coordinates_edit(request):
    family = request.family
    guardians = list(family_guardians(family=family))
    form = CoordinatesForm(request.POST or None, family=family, guardians=guardians)
    if request.method == "POST" and form.is_valid():
        try:
            created = cr_services.coordinates_submit(
                family=family, family_data=form.family_data(), guardians_data=form.guardians_data(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not created:
                messages.info(request, _("Aucune modification n'a été faite."))
            for cr in created:
                if cr.status == ChangeRequest.Status.APPLIED:
                    messages.success(request, _("Vos modifications sont enregistrées."))
                else:
                    messages.success(request, _("Votre demande de modification est transmise au service enfance. "
                                                "Elle sera prise en compte après vérification."))
            return redirect("portal:dossier")
    return render(request, "portal/coordinates_form.html", {"form": form})


@family_required
def demarches(request):
    family = request.family
    requests_ = list(family_change_requests(family=family)[:100])
    lookups = {
        "guardians": {str(g.pk): g for g in family_guardians(family=family)},
        "schools": {s.pk: s for s in School.objects.all()},
        "levels": {level.pk: level for level in ClassLevel.objects.all()},
    }
    for cr in requests_:
        cr.family = family
    rows = [(cr, cr_services.change_request_lines(cr, **lookups)) for cr in requests_]
    return render(request, "portal/demarches.html", {"rows": rows})


@family_required
@require_http_methods(["GET", "POST"])
def child_health(request, child_id: int):
    child = get_object_or_404(Child.objects.prefetch_related("allergens"), pk=child_id, family=request.family)
    form = ChildHealthForm(request.POST or None, instance=child)
    formset = VaccinationFormSet(request.POST or None, instance=child, prefix="vaccins")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            child = form.save()
            formset.save()
            child_health_form_confirm(child=child, today=timezone.localdate(), by=request.user)
        messages.success(request, _("La fiche sanitaire de %(name)s est confirmée pour cette année scolaire.")
                         % {"name": child.first_name})
        return redirect("portal:dossier")
    return render(request, "portal/child_health.html", {
        "child": child, "form": form, "formset": formset,
        "health_ok": child_health_form_is_current(child=child, day=timezone.localdate()),
    })


@family_required
@require_http_methods(["GET", "POST"])
def child_add(request):
    form = NewChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cr_services.child_add_request(family=request.family, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Votre déclaration est transmise au service enfance, qui l'ajoutera à votre "
                                    "dossier."))
        return redirect("portal:dossier")
    return render(request, "portal/child_add.html", {"form": form})


@family_required
def contacts(request):
    return render(request, "portal/contacts.html", {"contacts": list(family_contacts(family=request.family))})


@family_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, contact_id: int | None = None):
    family = request.family
    contact = get_object_or_404(Contact, pk=contact_id, family=family) if contact_id else Contact(family=family)
    children = list(family_children(family=family))
    form = ContactForm(request.POST or None, instance=contact, family=family, children=children)
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.contact_save(family=family, contact=form.save(commit=False),
                                          children=list(form.cleaned_data["children"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le contact est enregistré."))
            return redirect("portal:contacts")
    return render(request, "portal/contact_form.html", {"form": form, "contact": contact})


@family_required
@require_POST
def contact_delete(request, contact_id: int):
    contact = get_object_or_404(Contact, pk=contact_id, family=request.family)
    contact_services.contact_delete(family=request.family, contact=contact)
    messages.success(request, _("Le contact est supprimé."))
    return redirect("portal:contacts")
