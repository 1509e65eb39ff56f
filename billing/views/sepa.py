"""Mes prélèvements (/portail/prelevements/): the family's SEPA mandates, the next debits, a new mandate request."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from billing.models import SepaMandate
from billing.services.sepa import (
    LIVE_STATUSES,
    family_debits_upcoming,
    mandate_lapses_on,
    sepa_mandate_request,
)
from families.models import Guardian
from families.views.common import family_required

# The portal's existing status colours (portal.css): waiting, fine, stopped.
STATUS_CSS = {
    SepaMandate.Status.REQUESTED: "pending",
    SepaMandate.Status.ACTIVE: "accepted",
    SepaMandate.Status.SUSPENDED: "rejected",
    SepaMandate.Status.LAPSED: "rejected",
    SepaMandate.Status.REVOKED: "rejected",
    SepaMandate.Status.REFUSED: "refused",
}


class MandateRequestForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_l("Payeur (responsable qui signe le mandat)"),
        queryset=Guardian.objects.none(),
        empty_label=None,
    )
    holder = forms.CharField(label=_l("Titulaire du compte"), max_length=70)
    iban = forms.CharField(
        label=_l("IBAN"),
        max_length=42,
        help_text=_l("27 caractères pour un compte français, par exemple FR76 3000 6000 0112 3456 7890 189."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
    )
    bic = forms.CharField(
        label=_l("BIC (facultatif)"),
        max_length=14,
        required=False,
        help_text=_l("Retrouvé d'après l'IBAN quand c'est possible."),
    )
    consent = forms.BooleanField(
        label=_l(
            "J'autorise la commune à envoyer des instructions à ma banque pour débiter mon compte du montant de mes "
            "factures, et ma banque à le débiter conformément à ces instructions. Je peux demander le remboursement "
            "d'un prélèvement dans les 8 semaines suivant le débit."
        )
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Guardian.objects.filter(family=family).order_by(
            "-is_billing_contact", "pk"
        )


def _mandate_rows(family):
    mandates = (
        SepaMandate.objects.filter(family=family).select_related("payer").order_by("-created_at", "-pk")
    )
    return [
        {
            "mandate": mandate,
            "css": STATUS_CSS[mandate.status],
            "iban": mandate.iban_masked.replace(" ", "\u00a0"),  # one line, even on a phone
            "lapses_on": mandate_lapses_on(mandate) if mandate.status == SepaMandate.Status.ACTIVE else None,
        }
        for mandate in mandates
    ]


@family_required
def sepa_mandates(request):
    family = request.family
    form = MandateRequestForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = sepa_mandate_request(
                family=family,
                payer=form.cleaned_data["payer"],
                holder=form.cleaned_data["holder"],
                iban=form.cleaned_data["iban"],
                bic=form.cleaned_data["bic"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Votre demande de prélèvement est enregistrée (mandat %(rum)s). Signez le mandat et déposez-le "
                    "dans « Mes documents » : le service l'activera à réception."
                )
                % {"rum": mandate.rum},
            )
            return redirect("billing:sepa")
    live_payers = set(
        SepaMandate.objects.filter(family=family, status__in=LIVE_STATUSES).values_list("payer_id", flat=True)
    )
    return render(
        request,
        "billing/sepa/mandates.html",
        {
            "form": form,
            "mandates": _mandate_rows(family),
            "debits": family_debits_upcoming(family=family, today=timezone.localdate()),
            "can_request": form.fields["payer"].queryset.exclude(pk__in=live_payers).exists(),
        },
    )


@family_required
def sepa_mandate_pdf(request, pk):
    """The mandate form to print and sign, pre-filled (the family's own mandates only: 404 otherwise)."""
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404

    from billing.sepa_pdf import mandate_pdf

    mandate = get_object_or_404(SepaMandate.objects.select_related("family"), pk=pk, family=request.family)
    response = HttpResponse(mandate_pdf(mandate=mandate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mandat-{mandate.rum}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
