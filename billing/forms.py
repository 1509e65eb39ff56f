"""Forms of the public simulators (GET forms that work without JavaScript, French errors, labelled fields)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CHILDREN = 20


def _amount(label, maximum, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_value=maximum,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        localize=True,
        error_messages={
            "required": _("Ce champ est obligatoire."),
            "invalid": _("Saisissez un montant en euros, par exemple 1250,50."),
            "min_value": _("Le montant ne peut pas être négatif."),
            "max_value": _("Le montant est trop élevé."),
            "max_digits": _("Le montant est trop élevé."),
            "max_whole_digits": _("Le montant est trop élevé."),
            "max_decimal_places": _("Indiquez au plus 2 chiffres après la virgule."),
        },
    )


def _count(label, *, minimum=0, initial=None):
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=MAX_CHILDREN,
        initial=initial,
        error_messages={
            "required": _("Ce champ est obligatoire."),
            "invalid": _("Saisissez un nombre entier."),
            "min_value": _("Le nombre doit être au moins %(limit_value)s."),
            "max_value": _("Le nombre est trop élevé (maximum %(limit_value)s)."),
        },
    )


class QuotientSimulationForm(forms.Form):
    annual_income = _amount(
        _("Revenus annuels imposables du foyer (€)"),
        Decimal("10000000"),
        help_text=_("Revenu fiscal de référence de votre dernier avis d'imposition."),
    )
    monthly_benefits = _amount(
        _("Prestations familiales mensuelles (€)"),
        Decimal("100000"),
        help_text=_("Allocations familiales, complément familial… Indiquez 0 si vous n'en recevez pas."),
    )
    children = _count(_("Nombre d'enfants à charge"), initial=1)
    disabled_children = _count(_("Dont enfants bénéficiaires de l'AEEH"), initial=0)

    def clean(self):
        data = super().clean()
        if (
            data.get("children") is not None
            and data.get("disabled_children") is not None
            and data["disabled_children"] > data["children"]
        ):
            self.add_error(
                "disabled_children",
                _("Il ne peut pas y avoir plus d'enfants bénéficiaires de l'AEEH que d'enfants."),
            )
        return data


class TariffSimulationForm(forms.Form):
    quotient = _amount(
        _("Quotient familial (€)"),
        Decimal("100000"),
        required=False,
        help_text=_(
            "Laissez vide si vous ne le connaissez pas : vous verrez le tarif sans quotient familial."
        ),
    )
    resident = forms.TypedChoiceField(
        label=_("Vous habitez la commune"),
        choices=[("1", _("Oui")), ("0", _("Non"))],
        initial="1",
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choisissez oui ou non."),
            "required": _("Choisissez oui ou non."),
        },
    )
    children = _count(_("Nombre d'enfants inscrits"), minimum=1, initial=1)


class SchoolSectorForm(forms.Form):
    address = forms.CharField(
        label=_("Votre adresse (numéro et voie)"),
        max_length=200,
        help_text=_("Par exemple : 12 rue Jean Jaurès"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "data-street-suggest": "true"}),
        error_messages={
            "required": _("Indiquez votre adresse (numéro et nom de la voie)."),
            "max_length": _("L'adresse est trop longue (200 caractères au plus)."),
        },
    )
