"""Printable PDF of a week's canteen menu (reportlab)."""

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def menu_week_pdf(*, menu) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=1 * cm, rightMargin=1 * cm, topMargin=1 * cm, bottomMargin=1 * cm,
        title=str(menu), author=_("Service enfance"), lang="fr",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10.5)
    days = menu.days()
    header = [Paragraph(f"<font color='white'><b>{escape(date_format(d['date'], 'l j F').capitalize())}</b></font>", small) for d in days]
    cells = []
    for d in days:
        parts = []
        if d["closed"]:
            parts.append(f"<i>{escape(_('Pas de service'))}</i>")
        for course in d["courses"]:
            for dish in course["dishes"]:
                text = escape(dish.name)
                if dish.is_vegetarian_alternative:
                    text = f"<i>{escape(_('Végé'))} : {text}</i>"
                tags = [label.short or label.label for label in dish.labels.all()]
                if tags:
                    text += f" <font color='#18753c'>[{escape(', '.join(tags))}]</font>"
                allergens = [a.label for a in dish.allergens.all()]
                if allergens:
                    text += f"<br/><font size='7' color='#555555'>{escape(_('Allergènes'))} : " \
                            f"{escape(', '.join(allergens))}</font>"
                parts.append(f"<b>{escape(course['label'])}</b> : {text}")
        cells.append(Paragraph("<br/>".join(parts), small))
    table = Table([header, cells], colWidths=[5.5 * cm] * 5)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1d4f91")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story = [Paragraph(escape(str(menu)), styles["Title"])]
    if menu.note:
        story.append(Paragraph(escape(menu.note), styles["BodyText"]))
    story += [Spacer(1, 0.3 * cm), table]
    doc.build(story)
    return buffer.getvalue()
