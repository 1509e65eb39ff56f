"""The kitchen sheet (feuille des effectifs, reportlab, A4): meals per school and day, totals, allergy notes, the
town's identity and the printed-on date, to pin up in the kitchen."""

from __future__ import annotations

import io
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backoffice.town import town_identity
from families.selectors_staff import KitchenCounts

BLUE = colors.HexColor("#1d4f91")
LIGHT = colors.HexColor("#e8eef7")
GRID = colors.HexColor("#b0b7c3")


def _day(day: date) -> str:
    text = formats.date_format(day, "D j/m")
    return text[:1].upper() + text[1:]


def _long(day: date) -> str:
    text = formats.date_format(day, "l j F Y")
    return text.replace(" 1 ", " 1er ") if day.day == 1 else text


def kitchen_sheet(*, counts: KitchenCounts, printed_on: date) -> bytes:
    """One table per school (a line per day: classique, végétarien, sans porc, total, allergies), a grand total."""
    base = getSampleStyleSheet()
    styles = {
        "title": ParagraphStyle("t", parent=base["Title"], textColor=BLUE, fontSize=17, spaceAfter=2),
        "period": ParagraphStyle("p", parent=base["BodyText"], fontSize=10.5, alignment=1, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], textColor=BLUE, fontSize=12, spaceBefore=8, spaceAfter=3
        ),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=8, leading=9.5),
        "note": ParagraphStyle("n", parent=base["BodyText"], fontSize=8, leading=10, textColor=colors.grey),
    }
    identity = town_identity()
    buffer = io.BytesIO()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(BLUE)
        canvas.rect(0, A4[1] - 20 * mm, A4[0], 20 * mm, fill=1, stroke=0)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawString(15 * mm, A4[1] - 11 * mm, identity["town_name"])
        canvas.setFont("Helvetica", 9)
        canvas.drawString(15 * mm, A4[1] - 16 * mm, identity["service_name"])
        canvas.drawRightString(A4[0] - 15 * mm, A4[1] - 11 * mm, identity["contact_phone"])
        canvas.drawRightString(A4[0] - 15 * mm, A4[1] - 16 * mm, identity["contact_email"])
        canvas.setFillColor(colors.grey)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(15 * mm, 9 * mm, _("Imprimé le %(day)s") % {"day": _long(printed_on)})
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=27 * mm,
        bottomMargin=16 * mm,
        title=_("Effectifs de la restauration scolaire"),
        author=identity["town_name"],
    )
    story = [
        Paragraph(_("Effectifs de la restauration scolaire"), styles["title"]),
        Paragraph(
            _("Du %(start)s au %(end)s") % {"start": _long(counts.start), "end": _long(counts.end)},
            styles["period"],
        ),
    ]
    header = [_("Jour"), _("Classique"), _("Végétarien"), _("Sans porc"), _("Total"), _("Allergies et PAI")]
    widths = [32 * mm, 20 * mm, 21 * mm, 20 * mm, 16 * mm, 71 * mm]
    numbers = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
            ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 9),
            ("BACKGROUND", (0, -1), (-1, -1), LIGHT),
            ("ALIGN", (1, 0), (4, -1), "RIGHT"),
            ("FONT", (4, 1), (4, -1), "Helvetica-Bold", 9),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    for school in counts.schools:
        rows = [header]
        for cell in school.days:
            label = _day(cell.day) + (" *" if cell.from_attendance else "")
            rows.append(
                [
                    label,
                    *cell.meal_list,
                    cell.total_meals,
                    Paragraph(cell.allergy_text or "—", styles["cell"]),
                ]
            )
        rows.append([_("Total"), *school.totals, school.total_meals, ""])
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(numbers)
        story.append(KeepTogether([Paragraph(school.school.name, styles["h2"]), table]))
    story.append(Spacer(1, 6 * mm))
    grand = Table(
        [
            [_("Toutes écoles"), _("Classique"), _("Végétarien"), _("Sans porc"), _("Total"), ""],
            [_("Total de la période"), *counts.totals, sum(counts.totals), ""],
        ],
        colWidths=widths,
    )
    grand.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (-1, 1), "Helvetica-Bold", 9.5),
                ("BACKGROUND", (0, 0), (4, 0), LIGHT),
                ("BACKGROUND", (0, 1), (4, 1), BLUE),
                ("TEXTCOLOR", (0, 1), (-1, 1), colors.white),
                ("ALIGN", (1, 0), (4, -1), "RIGHT"),
                ("GRID", (0, 0), (4, -1), 0.4, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(grand)
    story.append(Spacer(1, 3 * mm))
    notes = [_("Jours à venir : repas réservés. * Jours passés : enfants pointés présents.")]
    if counts.with_health:
        notes.append(
            _(
                "Allergies : nombre d'enfants concernés par allergène ; PAI : projet d'accueil individualisé, "
                "suivre le protocole de l'enfant."
            )
        )
    else:
        notes.append(_("Allergies non affichées : réservé aux personnes habilitées aux données de santé."))
    for note in notes:
        story.append(Paragraph(note, styles["note"]))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
