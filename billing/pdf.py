"""PDF documents of billing (reportlab): the invoice, the credit note and the family's account statement."""

from __future__ import annotations

import io
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from billing.money import euros  # noqa: F401  (re-exported: the PDFs' helper)
from families.services.emails import town_context

BLUE = colors.HexColor("#1d4f91")
LIGHT = colors.HexColor("#e8eef7")
GRID = colors.HexColor("#b0b7c3")


def long_date(day: date) -> str:
    """« 1er janvier 2027 », « 2 décembre 2026 »."""
    text = formats.date_format(day, "j F Y")
    return f"1er{text[1:]}" if day.day == 1 else text


def month_label(day: date) -> str:
    """« novembre 2026 »: French months take no capital inside a sentence (« Prestations de novembre 2026 »)."""
    return formats.date_format(day, "F Y")


def regie() -> dict[str, str]:
    return {
        "name": getattr(settings, "PORTAIL_REGIE_NAME", "") or _("Régie de recettes du service enfance"),
        "reference": getattr(settings, "PORTAIL_REGIE_REFERENCE", ""),
        "payment_means": getattr(settings, "PORTAIL_PAYMENT_MEANS", "")
        or _(
            "En ligne sur le portail famille (carte bancaire), par prélèvement automatique, par chèque à l'ordre "
            "du Trésor public, en espèces ou CESU auprès de la régie."
        ),
    }


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "t", parent=base["Title"], textColor=BLUE, fontSize=17, spaceAfter=2, alignment=0
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], textColor=BLUE, fontSize=11, spaceBefore=8, spaceAfter=3
        ),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=12),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=8.5, leading=10),
        "rule": ParagraphStyle(
            "r", parent=base["BodyText"], fontSize=7.5, leading=9, textColor=colors.HexColor("#555")
        ),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10, textColor=colors.grey),
        "right": ParagraphStyle("ri", parent=base["BodyText"], fontSize=9.5, alignment=TA_RIGHT),
    }


def _logo_path(identity: dict) -> str | None:
    """The town's logo as the communication staff set it (a file under MEDIA_ROOT), else the portal's icon."""
    url = unquote(identity.get("logo_url") or "")
    if url.startswith(settings.MEDIA_URL):
        path = Path(settings.MEDIA_ROOT) / url[len(settings.MEDIA_URL) :]
        if path.is_file():
            return str(path)
    return finders.find("apple-touch-icon.png")


def _document(buffer, *, title: str):
    identity = town_context()
    logo = _logo_path(identity)
    info = regie()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(BLUE)
        canvas.rect(0, A4[1] - 24 * mm, A4[0], 24 * mm, fill=1, stroke=0)
        x = 18 * mm
        if logo:
            canvas.drawImage(
                logo, x, A4[1] - 20 * mm, 16 * mm, 16 * mm, mask="auto", preserveAspectRatio=True, anchor="c"
            )
            x += 20 * mm
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawString(x, A4[1] - 11 * mm, identity["town_name"])
        canvas.setFont("Helvetica", 9)
        canvas.drawString(x, A4[1] - 16 * mm, f"{identity['service_name']} — {identity['contact_address']}")
        canvas.drawString(x, A4[1] - 20.5 * mm, f"{identity['contact_phone']} — {identity['contact_email']}")
        canvas.setFillColor(colors.grey)
        canvas.setFont("Helvetica", 7.5)
        footer = info["name"] + (f" — {info['reference']}" if info["reference"] else "")
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=32 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=identity["town_name"],
    )
    return doc, on_page


def _build(doc, story, on_page) -> None:
    """Build with binary (Flate) streams rather than ASCII85 text: the same PDF, 15 % smaller and a quarter faster
    to write (reportlab's ASCII85 encoder is pure Python here, and the logo is encoded again in every PDF)."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    finally:
        rl_config.useA85 = saved


def _parties(s, *, left_title: str, left: list[str], payer_name: str, payer_address: str):
    left_cell = [Paragraph(f"<b>{left_title}</b>", s["title"])] + [
        Paragraph(text, s["body"]) for text in left
    ]
    address = "<br/>".join([f"<b>{payer_name}</b>", *payer_address.splitlines()])
    right_cell = [Paragraph(address, s["body"])]
    table = Table([[left_cell, right_cell]], colWidths=[95 * mm, 79 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (1, 0), (1, 0), 0.6, GRID),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
                ("TOPPADDING", (1, 0), (1, 0), 6),
                ("BOTTOMPADDING", (1, 0), (1, 0), 8),
            ]
        )
    )
    return table


def _lines_table(s, lines):
    header = [_("Jours"), _("Prestation et règle appliquée"), _("Qté"), _("Prix unit."), _("Montant")]
    rows = [header]
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
    ]
    groups: OrderedDict[tuple, list] = OrderedDict()
    for line in lines:
        groups.setdefault((line.child_name, line.activity_name), []).append(line)
    for (child, activity), group in groups.items():
        rows.append([Paragraph(f"<b>{child}</b> — {activity}", s["cell"]), "", "", "", ""])
        style += [
            ("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
            ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f5f7fb")),
        ]
        for line in group:
            rows.append(
                [
                    Paragraph(line.dates or "", s["rule"]),
                    [Paragraph(line.label, s["cell"]), Paragraph(line.rule, s["rule"])],
                    formats.number_format(
                        line.quantity.normalize()
                        if line.quantity == line.quantity.to_integral_value()
                        else line.quantity
                    ),
                    euros(line.unit_price),
                    euros(line.amount),
                ]
            )
    table = Table(rows, colWidths=[42 * mm, 76 * mm, 12 * mm, 21 * mm, 23 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _totals_table(rows):
    table = Table(rows, colWidths=[130 * mm, 44 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9.5),
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 11),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, BLUE),
                ("TEXTCOLOR", (0, -1), (-1, -1), BLUE),
            ]
        )
    )
    return table


def invoice_pdf(*, invoice) -> bytes:
    """The invoice as a town sends it: header, family and payer, lines by child and activity, totals, due date,
    payment means and the régie's references."""
    s = _styles()
    buffer = io.BytesIO()
    info = regie()
    title = _("Facture %(number)s") % {"number": invoice.number or _("(brouillon)")}
    doc, on_page = _document(buffer, title=title)
    lines = list(invoice.lines.order_by("position", "pk"))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    left = [
        _("Prestations de %(month)s") % {"month": month_label(invoice.period)},
        _("Famille : %(name)s — code %(code)s") % {"name": invoice.family.name, "code": invoice.family.code},
    ]
    if invoice.issued_on:
        left.append(_("Émise le %(date)s") % {"date": long_date(invoice.issued_on)})
    story = [
        _parties(
            s, left_title=title, left=left, payer_name=invoice.payer_name, payer_address=invoice.payer_address
        ),
        Spacer(1, 8 * mm),
        _lines_table(s, lines),
        Spacer(1, 4 * mm),
        _totals_table([[_("Total à payer"), euros(total)]]),
        Spacer(1, 6 * mm),
    ]
    payment = []
    if invoice.due_on:
        payment.append(
            Paragraph(
                _("<b>À régler avant le %(date)s</b> en rappelant le numéro %(number)s.")
                % {"date": long_date(invoice.due_on), "number": invoice.number},
                s["body"],
            )
        )
    from xml.sax.saxutils import escape

    from billing.services.sepa import prenotice_text, sepa_prenotice

    notice = sepa_prenotice(invoice=invoice)
    if notice is not None:  # the SEPA pre-notification: debit date, account and mandate
        payment.append(Paragraph(f"<b>{escape(prenotice_text(notice))}</b>", s["body"]))
    payment += [
        Paragraph(_("Moyens de paiement : %(means)s") % {"means": info["payment_means"]}, s["body"]),
        Paragraph(
            info["name"] + (f" — {info['reference']}" if info["reference"] else ""),
            s["small"],
        ),
    ]
    story.append(KeepTogether(payment))
    _build(doc, story, on_page)
    return buffer.getvalue()


def credit_note_pdf(*, note) -> bytes:
    """The avoir: which invoice it corrects, why, and the amount credited."""
    s = _styles()
    buffer = io.BytesIO()
    invoice = note.invoice
    title = _("Avoir %(number)s") % {"number": note.number}
    doc, on_page = _document(buffer, title=title)
    left = [
        _("Sur la facture %(number)s du %(date)s")
        % {"number": invoice.number, "date": long_date(invoice.issued_on)},
        _("Famille : %(name)s — code %(code)s") % {"name": invoice.family.name, "code": invoice.family.code},
        _("Émis le %(date)s") % {"date": long_date(note.issued_on)},
    ]
    story = [
        _parties(
            s, left_title=title, left=left, payer_name=invoice.payer_name, payer_address=invoice.payer_address
        ),
        Spacer(1, 8 * mm),
        Paragraph(_("Motif : %(reason)s") % {"reason": note.reason}, s["body"]),
        Spacer(1, 4 * mm),
        _totals_table([[_("Montant de l'avoir"), euros(note.amount)]]),
        Spacer(1, 4 * mm),
        Paragraph(_("Ce montant est déduit de la facture corrigée ou vous sera remboursé."), s["small"]),
    ]
    _build(doc, story, on_page)
    return buffer.getvalue()


def statement_pdf(*, family, invoices, today: date) -> bytes:
    """The family's account statement (relevé de compte): invoices, credit notes, payments and the balance."""
    s = _styles()
    buffer = io.BytesIO()
    title = _("Relevé de compte")
    doc, on_page = _document(buffer, title=title)
    # Invoices, credit notes, payments and rejects in date order (see billing.services.counter).
    from xml.sax.saxutils import escape

    from billing.services.counter import family_account_history

    history = family_account_history(family=family)
    rows = [[_("Date"), _("Pièce"), _("Débit"), _("Crédit")]]
    for entry in history.entries:
        rows.append(
            [
                entry.day.strftime("%d/%m/%Y"),
                Paragraph(escape(entry.label), s["cell"]),
                euros(entry.debit) if entry.debit else "",
                euros(entry.credit) if entry.credit else "",
            ]
        )
    table = Table(rows, colWidths=[28 * mm, 86 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
            ]
        )
    )
    story = [
        _parties(
            s,
            left_title=title,
            left=[
                _("Famille : %(name)s — code %(code)s") % {"name": family.name, "code": family.code},
                _("Au %(date)s") % {"date": long_date(today)},
            ],
            payer_name=family.name,
            payer_address="\n".join(
                x
                for x in (family.address_line1, family.address_line2, f"{family.postcode} {family.commune}")
                if x
            ),
        ),
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 4 * mm),
        _totals_table(
            [
                [_("Total facturé"), euros(history.billed)],
                [_("Avoirs"), euros(history.credited)],
                [_("Règlements"), euros(history.paid)],
                [_("Solde restant dû"), euros(history.balance)],
            ]
        ),
    ]
    _build(doc, story, on_page)
    return buffer.getvalue()
