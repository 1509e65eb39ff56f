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
