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


class FamilyQuotientAdminMixin:
    """The QF is always signed by the staff member who saved it."""

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class FamilyQuotientViewSetMixin:
    def perform_create(self, serializer):
        serializer.save(set_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save(set_by=self.request.user)


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
