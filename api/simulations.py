"""/api/v1/simulations/: anonymous, throttled simulators (QF, tariffs) and street suggestions of the carte scolaire."""

from decimal import Decimal

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from billing.services.quotients import quotient_compute
from billing.services.sectors import streets_suggest
from billing.services.simulations import tariff_simulation

MAX_ANNUAL_INCOME = Decimal("10000000")
MAX_MONTHLY_BENEFITS = Decimal("100000")
MAX_QUOTIENT = Decimal("100000")
MAX_CHILDREN = 20


class SimulationRateThrottle(SimpleRateThrottle):
    """Scoped like DRF's AnonRateThrottle, for every caller: the simulators are public and cost a few queries."""

    scope = "simulations"
    default_rate = "60/minute"

    def get_rate(self):
        return (api_settings.DEFAULT_THROTTLE_RATES or {}).get(self.scope) or self.default_rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _amount(label, maximum):
    return serializers.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=maximum,
        error_messages={
            "invalid": _("Saisissez un montant en euros, par exemple 1250.50."),
            "required": _("Ce champ est obligatoire."),
            "min_value": _("Le montant ne peut pas être négatif."),
            "max_value": _("Le montant est trop élevé (maximum {max_value} €)."),
            "max_digits": _("Le montant est trop élevé."),
            "max_whole_digits": _("Le montant est trop élevé."),
            "max_decimal_places": _("Indiquez au plus 2 chiffres après la virgule."),
            "max_string_length": _("Le montant est trop long."),
        },
    )


def _count(label, **kwargs):
    return serializers.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_CHILDREN,
        **kwargs,
        error_messages={
            "invalid": _("Saisissez un nombre entier."),
            "required": _("Ce champ est obligatoire."),
            "min_value": _("Le nombre ne peut pas être négatif."),
            "max_value": _("Le nombre est trop élevé (maximum {max_value})."),
            "max_string_length": _("Le nombre est trop long."),
        },
    )


class SimulationView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SimulationRateThrottle]


# --- Quotient familial -------------------------------------------------------------------------------------------


class QuotientQuerySerializer(serializers.Serializer):
    annual_income = _amount(_("revenus annuels imposables (€)"), MAX_ANNUAL_INCOME)
    monthly_benefits = _amount(_("prestations familiales mensuelles (€)"), MAX_MONTHLY_BENEFITS)
    children = _count(_("nombre d'enfants à charge"))
    disabled_children = _count(_("dont enfants bénéficiaires de l'AEEH"), default=0)

    def validate(self, attrs):
        if attrs["disabled_children"] > attrs["children"]:
            raise serializers.ValidationError(
                {
                    "disabled_children": [
                        _("Il ne peut pas y avoir plus d'enfants bénéficiaires de l'AEEH que d'enfants.")
                    ]
                }
            )
        return attrs


class QuotientResultSerializer(serializers.Serializer):
    parts = serializers.CharField(help_text=_("Nombre de parts, une décimale (ex. « 4.0 »)."))
    quotient = serializers.CharField(
        help_text=_("Quotient familial en euros, deux décimales (ex. « 787.50 »).")
    )


class QuotientSimulationView(SimulationView):
    @extend_schema(
        operation_id="simulations_quotient",
        summary=_("Simuler le quotient familial (méthode CAF)"),
        description=_(
            "Simulation indicative : seul le service enfance calcule le quotient familial officiel. "
            "QF = (revenus annuels / 12 + prestations mensuelles) / parts."
        ),
        parameters=[QuotientQuerySerializer],
        responses={
            200: QuotientResultSerializer,
            400: OpenApiResponse(description=_("Saisie invalide (erreurs par champ).")),
        },
        tags=["simulations"],
    )
    def get(self, request):
        query = QuotientQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        parts, quotient = quotient_compute(**query.validated_data)
        return Response({"parts": f"{parts:.1f}", "quotient": f"{quotient:.2f}"})


# --- Tariffs -----------------------------------------------------------------------------------------------------


class TariffQuerySerializer(serializers.Serializer):
    quotient = _amount(_("quotient familial (€)"), MAX_QUOTIENT)
    resident = serializers.BooleanField(
        label=_("résident de la commune"),
        default=True,
        error_messages={"invalid": _("Indiquez true (résident) ou false (extérieur).")},
    )
    children = serializers.IntegerField(
        label=_("nombre d'enfants"),
        min_value=1,
        max_value=MAX_CHILDREN,
        default=1,
        error_messages={
            "invalid": _("Saisissez un nombre entier."),
            "min_value": _("Indiquez au moins un enfant."),
            "max_value": _("Le nombre est trop élevé (maximum {max_value})."),
            "max_string_length": _("Le nombre est trop long."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No QF: the simulation shows what a family without a valid QF pays (top bracket, ceiling).
        self.fields["quotient"].required = False
        self.fields["quotient"].allow_null = True


class PriceSerializer(serializers.Serializer):
    price = serializers.CharField(help_text=_("Prix en euros, deux décimales."))
    rule = serializers.CharField(help_text=_("Explication du prix (tranche, taux d'effort, réductions…)."))


class UnitPriceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    price = serializers.CharField(help_text=_("Prix en euros, deux décimales (premier enfant)."))
    rule = serializers.CharField()
    sibling_price = serializers.CharField(
        allow_null=True, help_text=_("Prix pour un frère ou une sœur, s'il diffère.")
    )
    sibling_rule = serializers.CharField(allow_null=True)


class ActivityPricesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    units = UnitPriceSerializer(many=True)


class TariffResultSerializer(serializers.Serializer):
    quotient = serializers.CharField(allow_null=True)
    resident = serializers.BooleanField()
    children = serializers.IntegerField()
    activities = ActivityPricesSerializer(many=True)


def tariff_simulation_payload(*, quotient, resident, children, day) -> dict:
    activities = tariff_simulation(quotient=quotient, resident=resident, children=children, day=day)
    return {
        "quotient": None if quotient is None else f"{quotient:.2f}",
        "resident": resident,
        "children": children,
        "activities": [
            {
                "id": activity.activity_id,
                "name": activity.name,
                "kind": activity.kind_label,
                "units": [
                    {
                        "id": unit.unit_id,
                        "label": unit.label,
                        "price": f"{unit.price.amount:.2f}",
                        "rule": unit.price.rule,
                        "sibling_price": None
                        if unit.sibling_price is None
                        else f"{unit.sibling_price.amount:.2f}",
                        "sibling_rule": None if unit.sibling_price is None else unit.sibling_price.rule,
                    }
                    for unit in activity.units
                ],
            }
            for activity in activities
        ],
    }


class TariffSimulationView(SimulationView):
    @extend_schema(
        operation_id="simulations_tariffs",
        summary=_("Voir le tarif des activités pour un quotient familial"),
        description=_(
            "Tarifs en vigueur aujourd'hui, par activité et unité. Sans quotient : le prix payé sans quotient "
            "familial valide (tranche la plus haute ou plafond)."
        ),
        parameters=[TariffQuerySerializer],
        responses={
            200: TariffResultSerializer,
            400: OpenApiResponse(description=_("Saisie invalide (erreurs par champ).")),
        },
        tags=["simulations"],
    )
    def get(self, request):
        query = TariffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return Response(
            tariff_simulation_payload(
                quotient=data.get("quotient"),
                resident=data["resident"],
                children=data["children"],
                day=timezone.localdate(),
            )
        )


# --- Streets of the carte scolaire -------------------------------------------------------------------------------


class StreetQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        label=_("début du nom de la voie"),
        max_length=100,
        allow_blank=True,
        trim_whitespace=True,
        error_messages={
            "max_length": _("Saisissez au plus 100 caractères."),
            "required": _("Ce champ est obligatoire."),
        },
    )


class StreetSerializer(serializers.Serializer):
    street = serializers.CharField()
    commune = serializers.CharField()


class StreetsResultSerializer(serializers.Serializer):
    results = StreetSerializer(many=True)


class StreetSuggestionView(SimulationView):
    @extend_schema(
        operation_id="simulations_streets",
        summary=_("Suggestions de voies pour trouver l'école de secteur"),
        description=_(
            "Au moins deux caractères ; accents, majuscules et abréviations (r., av., st) ignorés."
        ),
        parameters=[StreetQuerySerializer],
        responses={200: StreetsResultSerializer, 400: OpenApiResponse(description=_("Saisie invalide."))},
        tags=["simulations"],
    )
    def get(self, request):
        query = StreetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response({"results": streets_suggest(q=query.validated_data["q"])})


urlpatterns = [
    path("quotient/", QuotientSimulationView.as_view(), name="simulations-quotient"),
    path("tariffs/", TariffSimulationView.as_view(), name="simulations-tariffs"),
    path("streets/", StreetSuggestionView.as_view(), name="simulations-streets"),
]
