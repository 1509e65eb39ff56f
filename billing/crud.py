"""Back-office declarations of the billing reference data: tariffs and their QF brackets, QF history, school sectors."""

from django.forms.models import BaseInlineFormSet

from backoffice.crud import FULL_CRUD, inline, register
from backoffice.crud.engine import CREATE, UPDATE

from .models import ActivityBillingRule, FamilyQuotient, SchoolSector, Tariff, TariffBracket
from .services.tariffs import tariff_brackets_validate


class TariffBracketFormSet(BaseInlineFormSet):
    """The brackets of a tariff are checked as a whole (no gap, no overlap), not one row against the saved ones."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.checked_with_siblings = True
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        bounds = [
            (form.cleaned_data["qf_min"], form.cleaned_data.get("qf_max"))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("qf_min") is not None
        ]
        tariff_brackets_validate(brackets=bounds)


register(
    Tariff,
    api_name="tariffs",
    writes=FULL_CRUD,
    list_display=("unit", "mode", "valid_from", "valid_until", "price", "effort_ceiling"),
    list_filter=("mode", "unit__activity"),
    search_fields=("unit__label", "unit__activity__name"),
    autocomplete_fields=("unit",),
    list_select_related=("unit__activity",),
    inlines=[
        inline(
            TariffBracket,
            formset=TariffBracketFormSet,
            fields=("qf_min", "qf_max", "price"),
            show_change_link=False,
        )
    ],
    importable=True,  # reference data: rows by id, unit by id; clean() and constraints refuse bad rows
    import_id_fields=("id",),
    api_select_related=("unit",),
    filterset_fields={"unit": ["exact"], "mode": ["exact"], "valid_from": ["gte", "lte"]},
)

register(
    TariffBracket,
    api_name="tariff-brackets",
    writes=FULL_CRUD,
    list_display=("tariff", "qf_min", "qf_max", "price"),
    list_select_related=("tariff__unit__activity",),
    autocomplete_fields=("tariff",),
    importable=True,
    import_id_fields=("id",),
    api_select_related=("tariff",),
    filterset_fields={"tariff": ["exact"]},
)

register(
    ActivityBillingRule,
    api_name="activity-billing-rules",
    writes=FULL_CRUD,
    list_display=(
        "activity",
        "bill_reserved_present",
        "bill_reserved_absent_unjustified",
        "bill_present_unreserved",
    ),
    autocomplete_fields=("activity",),
    importable=False,
)


def _quotient_fields(data: dict, instance) -> dict:
    """The service's arguments from a form's or a serializer's cleaned data (missing keys keep the instance's)."""
    names = ("family", "value", "valid_from", "valid_until", "source", "proof")
    if instance is None:  # a new QF: what was not sent takes the service's defaults (source CAF…)
        return {name: data[name] for name in names if name in data}
    return {name: data[name] if name in data else getattr(instance, name) for name in names}


class FamilyQuotientAdminMixin:
    """The admin saves a QF through `family_quotient_set`: the previous QF ends the day before, signed by staff."""

    def save_model(self, request, obj, form, change):
        from .services.quotients import family_quotient_set

        saved = family_quotient_set(
            **_quotient_fields(form.cleaned_data, obj), by=request.user, quotient=obj if change else None
        )
        obj.pk, obj.set_by, obj.set_at = saved.pk, saved.set_by, saved.set_at


class FamilyQuotientViewSetMixin:
    """The API records and corrects a QF through `family_quotient_set` too (400 with its French messages)."""

    def _save_through_service(self, serializer, quotient=None):
        from django.core.exceptions import ValidationError as DjangoValidationError
        from rest_framework.exceptions import ValidationError

        from .services.quotients import family_quotient_set

        try:
            serializer.instance = family_quotient_set(
                **_quotient_fields(serializer.validated_data, quotient),
                by=self.request.user,
                quotient=quotient,
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc

    def perform_create(self, serializer):
        self._save_through_service(serializer)

    def perform_update(self, serializer):
        self._save_through_service(serializer, quotient=serializer.instance)


register(
    FamilyQuotient,
    admin_mixins=[FamilyQuotientAdminMixin],
    viewset_mixins=[FamilyQuotientViewSetMixin],
    api_name="family-quotients",
    # Staff record and correct the QF; never deleted (invoices were priced with it).
    writes={CREATE, UPDATE},
    list_display=("family", "value", "valid_from", "valid_until", "source", "set_by"),
    list_filter=("source",),
    search_fields=("family__code", "family__name"),
    autocomplete_fields=("family",),
    list_select_related=("family", "set_by"),
    readonly_fields=("set_by", "set_at"),
    importable=False,
    api_read_only_fields=("set_by", "set_at"),
    filterset_fields={"family": ["exact"], "source": ["exact"], "valid_from": ["gte", "lte"]},
)

register(
    SchoolSector,
    api_name="school-sectors",
    writes=FULL_CRUD,
    list_display=("street_name", "number_from", "number_to", "parity", "school", "commune"),
    list_filter=("school", "parity", "commune"),
    search_fields=("street_name", "street_key", "commune"),
    list_select_related=("school",),
    importable=True,  # the carte scolaire comes as a spreadsheet (CSV/XLSX)
    natural_keys={"school": "name"},
    import_id_fields=("street_name", "number_from", "number_to", "parity", "commune"),
    import_fields=("street_name", "number_from", "number_to", "parity", "school", "commune"),
    api_select_related=("school",),
    filterset_fields={"school": ["exact"], "commune": ["exact"], "street_key": ["exact", "icontains"]},
)


# --- Invoicing (money: read-only, plus named actions that call their service) -------------------------------------

from django.utils.translation import gettext_lazy as _  # noqa: E402

from backoffice.crud.engine import CrudAction  # noqa: E402

from .models import CreditNote, Invoice, InvoiceRun  # noqa: E402
from .services import credit_notes as credit_note_services  # noqa: E402
from .services import invoicing as invoicing_services  # noqa: E402

register(
    InvoiceRun,
    api_name="invoice-runs",
    list_display=("period", "status", "done_steps", "total_steps", "created_by", "created_at", "issued_at"),
    list_filter=("status",),
    list_select_related=("created_by",),
    api_select_related=("created_by",),
    api_prefetch_related=("activities",),
    filterset_fields={"period": ["exact", "gte", "lte"], "status": ["exact"]},
    actions=[
        CrudAction(
            name="issue",
            label=_("Émettre les factures de la facturation"),
            run=lambda obj, by: invoicing_services.invoice_run_start_issue(run=obj, by=by),
            description=_(
                "Émet les brouillons d'une facturation prête : numéros, PDF, e-mails aux familles (en arrière-plan)."
            ),
        ),
    ],
)

register(
    Invoice,
    api_name="invoices",
    list_display=("number", "family", "period", "status", "issued_on", "due_on", "paperless"),
    list_filter=("status", "paperless", "period"),
    search_fields=("number", "family__code", "family__name"),
    list_select_related=("family", "payer", "run"),
    api_select_related=("family", "payer", "run"),
    filterset_fields={"family": ["exact"], "status": ["exact"], "period": ["exact", "gte", "lte"]},
    actions=[
        CrudAction(
            name="cancel",
            label=_("Annuler par un avoir total"),
            reason=True,
            run=lambda obj, by, reason: credit_note_services.invoice_cancel(
                invoice=obj, reason=reason, by=by
            ),
            description=_(
                "Annule une facture émise par un avoir de tout son reste ; motif (`reason`) obligatoire."
            ),
        ),
    ],
)

register(
    CreditNote,
    api_name="credit-notes",
    list_display=("number", "invoice", "amount", "reason", "issued_on", "created_by"),
    search_fields=("number", "invoice__number", "invoice__family__code"),
    list_select_related=("invoice", "created_by"),
    api_select_related=("invoice", "created_by"),
    filterset_fields={"invoice": ["exact"], "issued_on": ["gte", "lte"]},
)


# --- Payments (money: read-only; recorded through the counter screen or the services) ------------------------------

from django.utils import timezone  # noqa: E402

from .models import Payment, PaymentAllocation  # noqa: E402
from .services import payments as payment_services  # noqa: E402

register(
    Payment,
    api_name="payments",
    list_display=("number", "family", "means", "amount", "received_on", "reference", "status", "created_by"),
    list_filter=("means", "status", "received_on"),
    search_fields=("number", "reference", "family__code", "family__name", "payer_name"),
    list_select_related=("family", "created_by"),
    api_select_related=("family", "payer", "created_by"),
    filterset_fields={
        "family": ["exact"],
        "means": ["exact"],
        "status": ["exact"],
        "received_on": ["exact", "gte", "lte"],
    },
    actions=[
        CrudAction(
            name="reject",
            label=_("Rejeter (chèque impayé, prélèvement rejeté)"),
            reason=True,
            run=lambda obj, by, reason: payment_services.payment_reject(
                payment=obj, on=timezone.localdate(), reason=reason, by=by
            ),
            description=_(
                "Le règlement ne compte plus : ses factures redeviennent à payer ; motif (`reason`) obligatoire."
            ),
        ),
    ],
)

register(
    PaymentAllocation,
    api_name="payment-allocations",
    list_display=("payment", "invoice", "amount", "created_at"),
    search_fields=("payment__number", "invoice__number"),
    list_select_related=("payment", "invoice"),
    api_select_related=("payment", "invoice"),
    filterset_fields={"payment": ["exact"], "invoice": ["exact"]},
)

# The QF campaign's reminders (one per family and year), read-only: written by `manage.py qf_campaign` only.
from .models import QuotientCampaignReminder  # noqa: E402

register(
    QuotientCampaignReminder,
    api_name="quotient-campaign-reminders",
    list_display=("family", "year", "deadline", "sent_at", "recipients"),
    list_filter=("year",),
    search_fields=("family__code", "family__name"),
    list_select_related=("family",),
    api_select_related=("family",),
    filterset_fields={"family": ["exact"], "year": ["exact"]},
)

from .models import TaxCertificate  # noqa: E402

register(
    TaxCertificate,
    api_name="tax-certificates",
    list_display=("year", "family", "child", "payer_name", "amount", "generated_at"),
    list_filter=("year",),
    search_fields=("family__code", "family__name", "child__last_name", "child__first_name", "payer_name"),
    list_select_related=("family", "child"),
    api_select_related=("family", "payer", "child"),
    filterset_fields={"family": ["exact"], "child": ["exact"], "year": ["exact"]},
)

# --- Shared custody (garde alternée): staff record a split; the service validates and saves it -----------------------

from django import forms  # noqa: E402
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: E402
from rest_framework import serializers  # noqa: E402

from backoffice.crud.engine import CREATE as CUSTODY_CREATE  # noqa: E402

from .models import CustodySplit  # noqa: E402
from .services import custody as custody_services  # noqa: E402

CUSTODY_FIELDS = (
    "payer_a",
    "payer_b",
    "mode",
    "valid_from",
    "valid_until",
    "percent_a",
    "week_basis",
    "reference_monday",
    "payer_a_address",
    "payer_b_address",
)


def _custody_arguments(data) -> dict:
    arguments = {name: data.get(name) for name in CUSTODY_FIELDS}
    arguments["week_basis"] = arguments["week_basis"] or ""
    arguments["payer_a_address"] = arguments["payer_a_address"] or ""
    arguments["payer_b_address"] = arguments["payer_b_address"] or ""
    arguments["payer_b_activities"] = list(data.get("payer_b_activities") or [])
    return arguments


class CustodySplitAdminForm(forms.ModelForm):
    """The admin form checks the split with the service's own rules (French messages next to each field)."""

    def clean(self):
        data = super().clean()
        if data.get("child") is None:
            return data
        try:
            custody_services.custody_split_validate(
                child=data["child"],
                **{k: v for k, v in _custody_arguments(data).items() if not k.endswith("_address")},
                exclude_pk=self.instance.pk,
            )
        except DjangoValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data


class CustodySplitAdminMixin:
    def save_model(self, request, obj, form, change):
        saved = custody_services.custody_split_set(
            child=form.cleaned_data["child"], **_custody_arguments(form.cleaned_data), by=request.user
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The service already set payer B's activities (only for a per-activity split)."""


class CustodySplitViewSetMixin:
    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = custody_services.custody_split_set(
                child=data["child"], **_custody_arguments(data), by=self.request.user
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


register(
    CustodySplit,
    api_name="custody-splits",
    # Created through custody_split_set only (admin form and API); never edited, ended by the named action.
    writes={CUSTODY_CREATE},
    admin_mixins=[CustodySplitAdminMixin],
    admin_attrs={"form": CustodySplitAdminForm},
    viewset_mixins=[CustodySplitViewSetMixin],
    list_display=("child", "mode", "payer_a", "payer_b", "percent_a", "valid_from", "valid_until"),
    list_filter=("mode",),
    search_fields=("child__first_name", "child__last_name", "child__family__code", "child__family__name"),
    autocomplete_fields=("child", "payer_a", "payer_b"),
    filter_horizontal=("payer_b_activities",),
    list_select_related=("child", "payer_a", "payer_b"),
    readonly_fields=("created_by", "created_at"),
    api_read_only_fields=("created_by", "created_at"),
    api_select_related=("child", "payer_a", "payer_b", "created_by"),
    api_prefetch_related=("payer_b_activities",),
    filterset_fields={"child": ["exact"], "mode": ["exact"], "valid_from": ["gte", "lte"]},
    actions=[
        CrudAction(
            name="end",
            label=_("Terminer la garde alternée (dernier jour partagé : aujourd'hui)"),
            run=lambda obj, by, on=None: custody_services.custody_split_end(
                split=obj, on=on or timezone.localdate(), by=by
            ),
            api_fields={
                "on": serializers.DateField(
                    required=False, help_text=_("Dernier jour partagé (défaut : aujourd'hui).")
                )
            },
            description=_(
                "Termine la répartition : à partir du lendemain, l'enfant est facturé au payeur de la famille."
            ),
        ),
    ],
)

# --- Online payment transactions (PayFiP): read-only, for the régisseur's audit (billing/services/online.py) -------

from .models import PaymentTransaction  # noqa: E402

register(
    PaymentTransaction,
    api_name="payment-transactions",
    list_display=(
        "order_id",
        "family",
        "invoice",
        "amount",
        "state",
        "backend",
        "provider_reference",
        "payment",
        "created_at",
        "paid_at",
    ),
    list_filter=("state", "backend", "created_at"),
    search_fields=("order_id", "provider_reference", "invoice__number", "family__code", "family__name"),
    list_select_related=("family", "invoice", "payment"),
    api_select_related=("family", "invoice", "payment", "created_by"),
    filterset_fields={
        "family": ["exact"],
        "invoice": ["exact"],
        "state": ["exact"],
        "created_at": ["gte", "lte"],
    },
)


# --- Prélèvement SEPA (money: read-only, plus named actions that call the SEPA services) ----------------------------

from rest_framework import serializers  # noqa: E402

from families.models import FamilyDocument  # noqa: E402

from .models import DirectDebitBatch, DirectDebitItem, SepaMandate  # noqa: E402
from .services import sepa as sepa_services  # noqa: E402

register(
    SepaMandate,
    api_name="sepa-mandates",
    list_display=(
        "rum",
        "family",
        "holder",
        "iban_masked",
        "status",
        "signed_on",
        "last_debit_on",
        "reject_count",
    ),
    list_filter=("status",),
    search_fields=("rum", "holder", "family__code", "family__name"),
    list_select_related=("family",),
    # The full IBAN only on the régisseur's mandate screen (/gestion/facturation/prelevements/mandats/<id>/).
    admin_attrs={"exclude": ("iban",)},
    readonly_fields=("iban_masked",),
    api_exclude=("iban",),
    api_select_related=("family", "payer", "document", "requested_by", "decided_by"),
    filterset_fields={"family": ["exact"], "status": ["exact"], "rum": ["exact"]},
    actions=[
        CrudAction(
            name="activate",
            label=_("Valider le mandat"),
            admin=False,  # needs the signature date and the signed document: the mandate screen asks for them
            run=lambda obj, by, signed_on=None, document=None: sepa_services.sepa_mandate_activate(
                mandate=obj,
                signed_on=signed_on,
                document=FamilyDocument.objects.filter(pk=document, family_id=obj.family_id).first()
                if document
                else None,
                by=by,
            ),
            api_fields={
                "signed_on": serializers.DateField(
                    required=False, help_text=_("Date de signature du mandat.")
                ),
                "document": serializers.IntegerField(
                    required=False, help_text=_("Identifiant du document de la famille : le mandat signé.")
                ),
            },
            description=_(
                "Active un mandat demandé ou suspendu : date de signature (`signed_on`) et mandat signé "
                "(`document`, un document de la famille) obligatoires."
            ),
        ),
        CrudAction(
            name="refuse",
            label=_("Refuser le mandat"),
            reason=True,
            run=lambda obj, by, reason: sepa_services.sepa_mandate_refuse(mandate=obj, reason=reason, by=by),
            description=_("Refuse un mandat en attente ; motif (`reason`) obligatoire, la famille le lit."),
        ),
        CrudAction(
            name="revoke",
            label=_("Révoquer le mandat"),
            reason=True,
            run=lambda obj, by, reason: sepa_services.sepa_mandate_revoke(mandate=obj, reason=reason, by=by),
            description=_("Met fin au mandat : plus aucun prélèvement ; motif (`reason`) obligatoire."),
        ),
    ],
)

register(
    DirectDebitBatch,
    api_name="direct-debit-batches",
    list_display=("period", "status", "message_id", "created_by", "generated_at"),
    list_filter=("status",),
    list_select_related=("created_by",),
    api_select_related=("created_by",),
    filterset_fields={"period": ["exact", "gte", "lte"], "status": ["exact"]},
    actions=[
        CrudAction(
            name="generate",
            label=_("Générer le fichier de prélèvement (pain.008)"),
            run=lambda obj, by: sepa_services.sepa_batch_generate(batch=obj, by=by),
            description=_(
                "Prélève les factures émises du mois payées par un mandat actif : un règlement chacune, le fichier "
                "pain.008 ; les mandats sans date de signature ou à l'IBAN invalide sont écartés (anomalies)."
            ),
        ),
    ],
)

register(
    DirectDebitItem,
    api_name="direct-debit-items",
    list_display=(
        "end_to_end_id",
        "batch",
        "mandate",
        "amount",
        "sequence",
        "collection_on",
        "status",
        "reject_code",
    ),
    list_filter=("status", "sequence", "reject_code"),
    search_fields=("end_to_end_id", "mandate__rum", "invoice__family__code"),
    list_select_related=("batch", "mandate", "invoice"),
    api_select_related=("batch", "mandate", "invoice", "payment"),
    filterset_fields={"batch": ["exact"], "status": ["exact"], "invoice": ["exact"]},
    actions=[
        CrudAction(
            name="reject",
            label=_("Enregistrer un rejet de prélèvement"),
            admin=False,
            run=lambda obj, by, code: sepa_services.sepa_reject_record(
                item=obj, code=code, on=timezone.localdate(), by=by
            ),
            api_fields={
                "code": serializers.ChoiceField(
                    choices=sepa_services.RejectReason.choices,
                    help_text=_("Code motif ISO (AM04, MD06, AC04…)."),
                )
            },
            description=_(
                "Le prélèvement est revenu impayé : la facture redevient à payer, la famille est prévenue ; "
                "deux rejets suspendent le mandat."
            ),
        ),
    ],
)

# --- Relances (billing.services.reminders): read-only, written by `send_billing_reminders` only. -------------------

from .models import BillingReminder  # noqa: E402

register(
    BillingReminder,
    api_name="billing-reminders",
    list_display=("invoice", "sent_on", "amount_due", "sent_to"),
    list_filter=("sent_on",),
    search_fields=("invoice__number", "invoice__family__code", "invoice__family__name", "sent_to"),
    list_select_related=("invoice",),
    api_select_related=("invoice",),
    filterset_fields={"invoice": ["exact"], "sent_on": ["exact", "gte", "lte"]},
)
