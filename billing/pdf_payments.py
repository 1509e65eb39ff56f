"""PDF documents of the régie's counter (reportlab): the payment receipt (reçu) and the day's cash-up (journal de
caisse). They share the town header and helpers of `billing.pdf`."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from billing.models import Payment
from billing.pdf import (
    BLUE,
    GRID,
    LIGHT,
    _document,
    _parties,
    _styles,
    _totals_table,
    euros,
    long_date,
    regie,
)


def _grid(rows, widths, *, right_from: int):
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
            ]
        )
    )
    return table


def _recorder(payment) -> str:
    user = payment.created_by
    if user is None:
        return _("Automatique")
    return user.get_full_name() or user.email


def _signature(s, *, day: date):
    name = getattr(settings, "PORTAIL_SIGNATORY_NAME", "")
    title = getattr(settings, "PORTAIL_SIGNATORY_TITLE", "") or _("Le régisseur")
    lines = [
        Paragraph(
            _("Fait le %(date)s") % {"date": long_date(day)},
            s["body"],
        ),
        Spacer(1, 2 * mm),
        Paragraph(f"<b>{title}</b>", s["body"]),
    ]
    if name:
        lines.append(Paragraph(name, s["body"]))
    block = Table([["", lines]], colWidths=[95 * mm, 79 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 8 * mm), block])


def receipt_pdf(*, payment: Payment) -> bytes:
    """« Reçu de règlement RC-2026-000042 »: who paid what, how, which invoices it settled, the credit left."""
    s = _styles()
    buffer = io.BytesIO()
    info = regie()
    title = _("Reçu de règlement %(number)s") % {"number": payment.number}
    doc, on_page = _document(buffer, title=title)
    family = payment.family
    allocations = list(payment.allocations.select_related("invoice").order_by("invoice__issued_on", "pk"))
    spread = sum((a.amount for a in allocations), payment.amount * 0)
    left = [
        _("Famille : %(name)s — code %(code)s") % {"name": escape(family.name), "code": family.code},
        _("Reçu le %(date)s") % {"date": long_date(payment.received_on)},
        _("Moyen de paiement : %(means)s") % {"means": payment.get_means_display()},
    ]
    if payment.reference:
        left.append(_("Référence : %(reference)s") % {"reference": escape(payment.reference)})
    if payment.bank:
        left.append(_("Banque / émetteur : %(bank)s") % {"bank": escape(payment.bank)})
    payer = escape(payment.payer_name or family.name)
    address = escape(
        "\n".join(
            x
            for x in (family.address_line1, family.address_line2, f"{family.postcode} {family.commune}")
            if x.strip()
        )
    )
    story = [
        _parties(s, left_title=title, left=left, payer_name=payer, payer_address=address),
        Spacer(1, 6 * mm),
    ]
    if payment.status == Payment.Status.REJECTED:
        story += [
            Paragraph(
                _("<b>Règlement rejeté le %(date)s</b> : %(reason)s")
                % {
                    "date": long_date(payment.rejected_on or payment.received_on),
                    "reason": escape(payment.reject_reason),
                },
                s["h2"],
            ),
            Spacer(1, 3 * mm),
        ]
    story += [
        Paragraph(
            _("La régie a reçu la somme de <b>%(amount)s</b>.") % {"amount": euros(payment.amount)}, s["body"]
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Factures réglées"), s["h2"]),
    ]
    if allocations:
        rows = [[_("Facture"), _("Émise le"), _("Montant affecté")]]
        for allocation in allocations:
            invoice = allocation.invoice
            rows.append(
                [
                    _("Facture %(number)s") % {"number": invoice.number},
                    invoice.issued_on.strftime("%d/%m/%Y") if invoice.issued_on else "",
                    euros(allocation.amount),
                ]
            )
        story.append(_grid(rows, [100 * mm, 34 * mm, 40 * mm], right_from=2))
    else:
        story.append(Paragraph(_("Aucune facture : le montant reste en crédit sur le compte."), s["body"]))
    story += [
        Spacer(1, 4 * mm),
        _totals_table(
            [
                [_("Montant reçu"), euros(payment.amount)],
                [_("Affecté aux factures"), euros(spread)],
                [_("Crédit restant sur le compte de la famille"), euros(payment.amount - spread)],
            ]
        ),
        _signature(s, day=payment.received_on),
        Spacer(1, 6 * mm),
        Paragraph(info["name"] + (f" — {info['reference']}" if info["reference"] else ""), s["small"]),
    ]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def cashup_pdf(*, cashup) -> bytes:
    """« Journal de caisse » of a day: totals by means, then every payment with its reference and who recorded it."""
    s = _styles()
    buffer = io.BytesIO()
    title = _("Journal de caisse du %(date)s") % {"date": long_date(cashup.day)}
    doc, on_page = _document(buffer, title=title)
    info = regie()
    story = [
        Paragraph(title, s["title"]),
        Paragraph(info["name"] + (f" — {info['reference']}" if info["reference"] else ""), s["body"]),
        Spacer(1, 5 * mm),
        Paragraph(_("Totaux par moyen de paiement"), s["h2"]),
    ]
    rows = [[_("Moyen de paiement"), _("Nombre"), _("Montant")]]
    rows += [[t.label, str(t.count), euros(t.amount)] for t in cashup.totals]
    rows.append([_("Total"), str(cashup.count), euros(cashup.total)])
    totals = _grid(rows, [100 * mm, 30 * mm, 44 * mm], right_from=1)
    totals.setStyle(
        TableStyle([("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 9), ("TEXTCOLOR", (0, -1), (-1, -1), BLUE)])
    )
    story += [totals, Spacer(1, 5 * mm), Paragraph(_("Règlements du jour"), s["h2"])]
    if cashup.payments:
        rows = [[_("Reçu"), _("Famille"), _("Moyen"), _("Référence"), _("Enregistré par"), _("Montant")]]
        for p in cashup.payments:
            rows.append(
                [
                    p.number,
                    Paragraph(escape(f"{p.family.code} — {p.family.name}"), s["cell"]),
                    p.get_means_display(),
                    Paragraph(escape(" ".join(x for x in (p.reference, p.bank) if x)), s["cell"]),
                    Paragraph(escape(_recorder(p)), s["cell"]),
                    euros(p.amount),
                ]
            )
        story.append(_grid(rows, [27 * mm, 45 * mm, 22 * mm, 30 * mm, 30 * mm, 20 * mm], right_from=5))
    else:
        story.append(Paragraph(_("Aucun règlement ce jour."), s["body"]))
    if cashup.rejected:
        story += [Spacer(1, 4 * mm), Paragraph(_("Règlements rejetés depuis (non comptés)"), s["h2"])]
        rows = [[_("Reçu"), _("Famille"), _("Motif"), _("Montant")]]
        rows += [
            [
                p.number,
                Paragraph(escape(p.family.name), s["cell"]),
                Paragraph(escape(p.reject_reason), s["cell"]),
                euros(p.amount),
            ]
            for p in cashup.rejected
        ]
        story.append(_grid(rows, [27 * mm, 60 * mm, 67 * mm, 20 * mm], right_from=3))
    story.append(_signature(s, day=cashup.day))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
