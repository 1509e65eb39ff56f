"""The régisseur's counter under /gestion/facturation/reglements/: record a cheque, cash, CESU or a transfer and
spread it over the family's invoices, list and reject payments, receipts, the day's cash-up, the accounting exports
and the aged balance with its relances. Every write goes through `billing.services.payments`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from backoffice.admin import site
from billing.models import COUNTER_MEANS, Payment, PaymentMeans
from billing.money import euros
from billing.services.payments import (
    allocation_plan,
    family_credit,
    invoice_due,
    money,
    open_invoices,
    payment_record,
    payment_reject,
)
from families.models import Activity, Family, Guardian

ZERO = Decimal("0.00")
PAGE_SIZE = 50


def _require(request, codename: str):
    if not request.user.has_perm(f"billing.{codename}"):
        raise PermissionDenied


def _context(request, **extra):
    return {**site.each_context(request), **extra}


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _parse_day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


# --- Saisie d'un règlement ----------------------------------------------------------------------------------------


class CounterPaymentForm(forms.Form):
    means = forms.ChoiceField(
        label=_l("Moyen de paiement"),
        choices=[(m.value, m.label) for m in COUNTER_MEANS],
        widget=forms.RadioSelect,
    )
    amount = forms.CharField(
        label=_l("Montant (€)"), widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    )
    received_on = forms.DateField(
        label=_l("Reçu le"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_l("Référence"),
        required=False,
        max_length=100,
        help_text=_l("N° de chèque, de CESU, du virement…"),
    )
    bank = forms.CharField(label=_l("Banque / émetteur"), required=False, max_length=100)
    payer = forms.ModelChoiceField(label=_l("Payeur"), queryset=Guardian.objects.none(), required=False)
    note = forms.CharField(label=_l("Observation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, family: Family, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.invoices = invoices
        self.fields["payer"].queryset = Guardian.objects.filter(family=family).order_by(
            "last_name", "first_name"
        )
        self.fields["payer"].empty_label = _("— la famille —")
        for invoice in invoices:
            self.fields[f"alloc_{invoice.pk}"] = forms.CharField(
                label=invoice.number,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8}),
            )

    def clean_amount(self):
        try:
            return money(self.cleaned_data["amount"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["amount"]) from exc

    def clean(self):
        cleaned = super().clean()
        allocations, bad, typed = [], False, False
        for invoice in self.invoices:
            name = f"alloc_{invoice.pk}"
            text = (self.data.get(self.add_prefix(name)) or "").strip()
            if not text:
                continue
            typed = True
            try:
                value = Decimal(text.replace(",", ".").replace("€", "").strip())
            except InvalidOperation:
                self.add_error(name, _("Saisissez un montant en euros, par exemple 12,50."))
                bad = True
                continue
            if value == 0:
                continue
            allocations.append((invoice.pk, text))
        # Nothing typed: oldest first. Typed amounts (zeros included) are the régisseur's own spread.
        cleaned["allocations"] = allocations if typed and not bad else None
        return cleaned

    def allocation_rows(self):
        return [
            {"invoice": invoice, "due": invoice_due(invoice), "field": self[f"alloc_{invoice.pk}"]}
            for invoice in self.invoices
        ]

    def credit_left(self) -> Decimal | None:
        """What would stay as a credit with the amounts typed (None while they cannot be read)."""
        try:
            amount = money(self.data.get("amount", ""))
            spread = sum(
                (
                    Decimal(
                        (self.data.get(f"alloc_{i.pk}") or "0").replace(",", ".").replace("€", "").strip()
                        or "0"
                    )
                    for i in self.invoices
                ),
                ZERO,
            )
        except (ValidationError, InvalidOperation):
            return None
        return amount - spread if amount > spread else None


def _family_search(q: str):
    q = q.strip()
    if not q:
        return []
    return list(
        Family.objects.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(guardians__last_name__icontains=q)
        )
        .distinct()
        .order_by("name")[:20]
    )


def payment_new(request):
    """The counter: pick the family, then means, amount, date, references and the spread over its open invoices."""
    _require(request, "add_payment")
    family_pk = request.POST.get("family") or request.GET.get("family")
    family = Family.objects.filter(pk=family_pk).first() if (family_pk or "").isdigit() else None
    if family is None:
        q = request.GET.get("q", "")
        return TemplateResponse(
            request,
            "billing/staff/payment_family.html",
            _context(
                request,
                title=_("Enregistrer un règlement"),
                q=q,
                families=_family_search(q),
                searched=bool(q.strip()),
            ),
        )
    invoices = open_invoices(family=family)
    if request.method == "POST":
        form = CounterPaymentForm(request.POST, family=family, invoices=invoices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = payment_record(
                    family=family,
                    means=data["means"],
                    amount=data["amount"],
                    received_on=data["received_on"],
                    reference=data["reference"],
                    bank=data["bank"],
                    note=data["note"],
                    payer=data["payer"],
                    allocations=data["allocations"],
                    by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in ("amount", "means", "payer") else None, errors)
            else:
                left = payment.amount - (payment.allocations.aggregate(s=Sum("amount"))["s"] or ZERO)
                text = _("Règlement %(number)s de %(amount)s enregistré.") % {
                    "number": payment.number,
                    "amount": euros(payment.amount),
                }
                if left > 0:
                    text += " " + _("%(left)s restent en crédit sur le compte de la famille.") % {
                        "left": euros(left)
                    }
                messages.success(request, text)
                return redirect("billing_staff:payment", pk=payment.pk)
    else:
        initial = {"received_on": timezone.localdate(), "means": PaymentMeans.CHEQUE}
        amount_text = request.GET.get("amount", "")
        try:
            amount = money(amount_text) if amount_text else sum((invoice_due(i) for i in invoices), ZERO)
        except ValidationError:
            amount = ZERO
        if amount > 0:
            initial["amount"] = f"{amount:.2f}".replace(".", ",")
            for allocation in allocation_plan(invoices=invoices, amount=amount):
                initial[f"alloc_{allocation.invoice.pk}"] = f"{allocation.amount:.2f}".replace(".", ",")
        form = CounterPaymentForm(initial=initial, family=family, invoices=invoices)
    return TemplateResponse(
        request,
        "billing/staff/payment_form.html",
        _context(
            request,
            title=_("Enregistrer un règlement"),
            family=family,
            form=form,
            rows=form.allocation_rows(),
            total_due=sum((invoice_due(i) for i in invoices), ZERO),
            credit=family_credit(family=family),
            credit_left=form.credit_left() if form.is_bound else None,
        ),
    )


# --- Liste, détail, rejet, reçu -------------------------------------------------------------------------------------


class PaymentFilter(forms.Form):
    q = forms.CharField(label=_l("Famille, reçu ou référence"), required=False)
    means = forms.ChoiceField(
        label=_l("Moyen"), required=False, choices=[("", _l("Tous"))] + PaymentMeans.choices
    )
    status = forms.ChoiceField(
        label=_l("État"), required=False, choices=[("", _l("Tous"))] + Payment.Status.choices
    )
    start = forms.DateField(
        label=_l("Du"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_l("Au"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


def payment_list(request):
    _require(request, "view_payment")
    form = PaymentFilter(request.GET or None)
    payments = Payment.objects.select_related("family", "created_by").order_by("-received_on", "-number")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            payments = payments.filter(
                Q(number__icontains=q)
                | Q(reference__icontains=q)
                | Q(family__code__icontains=q)
                | Q(family__name__icontains=q)
            )
        if data["means"]:
            payments = payments.filter(means=data["means"])
        if data["status"]:
            payments = payments.filter(status=data["status"])
        if data["start"]:
            payments = payments.filter(received_on__gte=data["start"])
        if data["end"]:
            payments = payments.filter(received_on__lte=data["end"])
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "billing/staff/payment_list.html",
        _context(
            request,
            title=_("Règlements"),
            form=form,
            page=page,
            total=payments.aggregate(s=Sum("amount"))["s"] or ZERO,
            query=query.urlencode(),
            can_add=request.user.has_perm("billing.add_payment"),
        ),
    )


class RejectForm(forms.Form):
    on = forms.DateField(
        label=_l("Rejeté le"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=_l("Motif du rejet"), max_length=200)


def payment_detail(request, pk):
    _require(request, "view_payment")
    payment = get_object_or_404(Payment.objects.select_related("family", "payer", "created_by"), pk=pk)
    allocations = list(payment.allocations.select_related("invoice").order_by("invoice__issued_on", "pk"))
    spread = sum((a.amount for a in allocations), ZERO)
    return TemplateResponse(
        request,
        "billing/staff/payment_detail.html",
        _context(
            request,
            title=_("Règlement %(number)s") % {"number": payment.number},
            payment=payment,
            allocations=allocations,
            spread=spread,
            left=payment.amount - spread,
            can_reject=payment.status == Payment.Status.VALID
            and request.user.has_perm("billing.change_payment"),
            reject_form=RejectForm(initial={"on": timezone.localdate()}),
        ),
    )


@require_POST
def payment_reject_view(request, pk):
    _require(request, "change_payment")
    payment = get_object_or_404(Payment, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("billing_staff:payment", pk=payment.pk)
    try:
        payment_reject(
            payment=payment, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Le règlement %(number)s est rejeté : ses factures sont de nouveau à payer.")
            % {"number": payment.number},
        )
    return redirect("billing_staff:payment", pk=payment.pk)


def payment_receipt(request, pk):
    _require(request, "view_payment")
    from billing.pdf_payments import receipt_pdf

    payment = get_object_or_404(Payment.objects.select_related("family"), pk=pk)
    return _pdf(receipt_pdf(payment=payment), f"recu-{payment.number}.pdf")


# --- Journal de caisse ------------------------------------------------------------------------------------------------


def cashup(request):
    _require(request, "view_payment")
    from billing.services.counter import cashup_day

    day = _parse_day(request.GET.get("jour"), timezone.localdate())
    return TemplateResponse(
        request,
        "billing/staff/payment_cashup.html",
        _context(
            request,
            title=_("Journal de caisse"),
            cashup=cashup_day(day=day),
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
        ),
    )


def cashup_pdf_view(request):
    _require(request, "view_payment")
    from billing.pdf_payments import cashup_pdf
    from billing.services.counter import cashup_day

    day = _parse_day(request.GET.get("jour"), timezone.localdate())
    return _pdf(cashup_pdf(cashup=cashup_day(day=day)), f"journal-de-caisse-{day.isoformat()}.pdf")


# --- Exports comptables -------------------------------------------------------------------------------------------


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Données"), choices=())
    start = forms.DateField(label=_l("Du"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label=_l("Au"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    activity = forms.ModelChoiceField(
        label=_l("Activité"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_l("Toutes les activités"),
    )
    format = forms.ChoiceField(
        label=_l("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)")], initial="csv"
    )

    def __init__(self, *args, **kwargs):
        from billing.services.exports import ExportKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ExportKind.choices
        self.fields["activity"].queryset = Activity.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("La fin de la période est avant son début."))
        return cleaned


def exports(request):
    _require(request, "view_payment")
    from billing.services.exports import export_file

    today = timezone.localdate()
    first = today.replace(day=1)
    form = ExportForm(request.GET or None, initial={"start": first, "end": today, "format": "csv"})
    if request.GET and form.is_valid():
        data = form.cleaned_data
        content, content_type, filename = export_file(
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            activity=data["activity"],
            fmt=data["format"],
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return TemplateResponse(
        request,
        "billing/staff/payment_exports.html",
        _context(request, title=_("Exports comptables"), form=form),
    )


# --- Balance âgée et relances ---------------------------------------------------------------------------------------


def aged_balance_view(request):
    _require(request, "view_invoice")
    from billing.services.reminders import aged_balance, recent_reminders

    today = _parse_day(request.GET.get("au"), timezone.localdate())
    balance = aged_balance(today=today)
    return TemplateResponse(
        request,
        "billing/staff/payment_aged_balance.html",
        _context(
            request, title=_("Balance âgée"), balance=balance, reminders=recent_reminders(), today=today
        ),
    )
