"""Accounting exports (exports comptables) for the Trésor public and the town's finance software: invoices (lines
grouped by activity), credit notes, payments and balances of a period, as CSV or XLSX.

French headers, amounts with two decimals (a dot in CSV, numbers in XLSX), ISO dates; every text cell goes through
the CRUD engine's `safe_cell`, so a family named « =HYPERLINK(…) » is data, never a formula."""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.crud.resources import safe_cell
from billing.models import CreditNote, Invoice, InvoiceLine, Payment, PaymentAllocation
from billing.services.invoicing import invoice_totals
from billing.services.payments import invoice_due

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class ExportKind(models.TextChoices):
    INVOICES = "invoices", gettext_lazy("Factures (par activité)")
    CREDIT_NOTES = "credit_notes", gettext_lazy("Avoirs")
    PAYMENTS = "payments", gettext_lazy("Règlements")
    BALANCES = "balances", gettext_lazy("Soldes par famille")


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def invoice_rows(*, start: date, end: date, activity=None) -> tuple[list[str], list[list]]:
    """One row per invoice and activity (its lines summed): the titres de recettes of the period."""
    headers = [
        _("Numéro de facture"),
        _("Émise le"),
        _("À payer avant le"),
        _("Mois facturé"),
        _("Code famille"),
        _("Famille"),
        _("Payeur"),
        _("Activité"),
        _("Montant"),
        _("État"),
    ]
    lines = InvoiceLine.objects.filter(
        invoice__issued_on__range=(start, end),
        invoice__status__in=(Invoice.Status.ISSUED, Invoice.Status.CANCELLED),
    )
    if activity is not None:
        lines = lines.filter(unit__activity=activity)
    grouped = (
        lines.values(
            "invoice__number",
            "invoice__issued_on",
            "invoice__due_on",
            "invoice__period",
            "invoice__family__code",
            "invoice__family__name",
            "invoice__payer_name",
            "invoice__status",
            "activity_name",
        )
        .annotate(amount=Sum("amount"))
        .order_by("invoice__issued_on", "invoice__number", "activity_name")
    )
    status = dict(Invoice.Status.choices)
    rows = [
        [
            g["invoice__number"],
            g["invoice__issued_on"],
            g["invoice__due_on"],
            g["invoice__period"].strftime("%Y-%m"),
            g["invoice__family__code"],
            g["invoice__family__name"],
            g["invoice__payer_name"],
            g["activity_name"],
            _money(g["amount"]),
            str(status.get(g["invoice__status"], g["invoice__status"])),
        ]
        for g in grouped
    ]
    return headers, rows


def credit_note_rows(*, start: date, end: date, activity=None) -> tuple[list[str], list[list]]:
    headers = [
        _("Numéro d'avoir"),
        _("Émis le"),
        _("Facture corrigée"),
        _("Code famille"),
        _("Famille"),
        _("Motif"),
        _("Montant"),
    ]
    notes = CreditNote.objects.filter(issued_on__range=(start, end)).select_related("invoice__family")
    if activity is not None:
        notes = notes.filter(
            invoice__in=InvoiceLine.objects.filter(unit__activity=activity).values("invoice")
        )
    rows = [
        [
            n.number,
            n.issued_on,
            n.invoice.number,
            n.invoice.family.code,
            n.invoice.family.name,
            n.reason,
            _money(n.amount),
        ]
        for n in notes.order_by("issued_on", "number")
    ]
    return headers, rows


def payment_rows(*, start: date, end: date, activity=None) -> tuple[list[str], list[list]]:
    """Payments received in the period; with an activity, those spread over an invoice of that activity."""
    headers = [
        _("Numéro de reçu"),
        _("Reçu le"),
        _("Code famille"),
        _("Famille"),
        _("Payeur"),
        _("Moyen de paiement"),
        _("Référence"),
        _("Banque / émetteur"),
        _("Montant"),
        _("Affecté aux factures"),
        _("Crédit"),
        _("Factures"),
        _("État"),
        _("Rejeté le"),
        _("Motif du rejet"),
    ]
    spread = (
        PaymentAllocation.objects.filter(payment=OuterRef("pk"))
        .values("payment")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    payments = (
        Payment.objects.filter(received_on__range=(start, end))
        .select_related("family")
        .prefetch_related("allocations__invoice")
        .annotate(
            spread=Coalesce(
                Subquery(spread, output_field=models.DecimalField(max_digits=12, decimal_places=2)),
                ZERO,
                output_field=models.DecimalField(max_digits=12, decimal_places=2),
            )
        )
    )
    if activity is not None:
        payments = payments.filter(
            pk__in=PaymentAllocation.objects.filter(
                invoice__in=InvoiceLine.objects.filter(unit__activity=activity).values("invoice")
            ).values("payment")
        )
    rows = []
    for p in payments.order_by("received_on", "number"):
        rows.append(
            [
                p.number,
                p.received_on,
                p.family.code,
                p.family.name,
                p.payer_name,
                p.get_means_display(),
                p.reference,
                p.bank,
                _money(p.amount),
                _money(p.spread),
                _money(p.amount - p.spread),
                " ".join(a.invoice.number for a in p.allocations.all()),
                p.get_status_display(),
                p.rejected_on,
                p.reject_reason,
            ]
        )
    return headers, rows


def balance_rows(*, start: date, end: date, activity=None) -> tuple[list[str], list[list]]:
    """Per family, the invoices issued in the period: billed, credited, paid (valid payments to date), still due."""
    headers = [
        _("Code famille"),
        _("Famille"),
        _("Factures"),
        _("Facturé"),
        _("Avoirs"),
        _("Réglé"),
        _("Reste dû"),
    ]
    invoices = Invoice.objects.filter(
        issued_on__range=(start, end), status__in=(Invoice.Status.ISSUED, Invoice.Status.CANCELLED)
    ).select_related("family")
    if activity is not None:
        invoices = invoices.filter(
            pk__in=InvoiceLine.objects.filter(unit__activity=activity).values("invoice")
        )
    families: OrderedDict[int, list] = OrderedDict()
    for invoice in invoice_totals(invoices).order_by("family__name", "family__code", "issued_on"):
        row = families.setdefault(
            invoice.family_id, [invoice.family.code, invoice.family.name, 0, ZERO, ZERO, ZERO, ZERO]
        )
        row[2] += 1
        row[3] += invoice.total
        row[4] += invoice.credited
        row[5] += invoice.paid
        row[6] += invoice_due(invoice)
    rows = [[*row[:3], *(_money(v) for v in row[3:])] for row in families.values()]
    return headers, rows


BUILDERS = {
    ExportKind.INVOICES: invoice_rows,
    ExportKind.CREDIT_NOTES: credit_note_rows,
    ExportKind.PAYMENTS: payment_rows,
    ExportKind.BALANCES: balance_rows,
}


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(str(value))


def to_csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    # The BOM lets spreadsheet programs read the accents as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers, rows, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.00"
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, value=safe_cell("" if value is None else value))
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FILE_NAMES = {
    ExportKind.INVOICES: "factures",
    ExportKind.CREDIT_NOTES: "avoirs",
    ExportKind.PAYMENTS: "reglements",
    ExportKind.BALANCES: "soldes",
}


def export_file(
    *, kind: str, start: date, end: date, activity=None, fmt: str = "csv"
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an accounting export."""
    kind = ExportKind(kind)
    headers, rows = BUILDERS[kind](start=start, end=end, activity=activity)
    name = f"{FILE_NAMES[kind]}_{start.isoformat()}_{end.isoformat()}"
    if activity is not None:
        name += f"_activite-{activity.pk}"
    if fmt == "xlsx":
        return (
            to_xlsx(headers, rows, title=str(kind.label)),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    return to_csv(headers, rows), "text/csv; charset=utf-8", f"{name}.csv"
