"""PDF documents of the dossier (reportlab): the fiche famille a parent prints from Mes attestations."""

from __future__ import annotations

import io
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from families.models import Child, Contact, Family, Guardian, Vaccination
from families.services.emails import town_context

BLUE = colors.HexColor("#1d4f91")


def _long_date(day: date) -> str:
    return formats.date_format(day, "l j F Y")


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], textColor=BLUE, fontSize=18, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=BLUE, fontSize=12, spaceBefore=10,
                             spaceAfter=4),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=12),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10, textColor=colors.grey),
        "right": ParagraphStyle("r", parent=base["BodyText"], fontSize=9, alignment=TA_RIGHT),
    }


def _table(rows, widths, header=True):
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b7c3")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                  ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9)]
    table.setStyle(TableStyle(style))
    return table


def family_sheet(*, family: Family, today: date) -> bytes:
    """The fiche famille: foyer, responsables légaux, enfants with their fiche sanitaire, entourage."""
    s = _styles()
    buffer = io.BytesIO()
    identity = town_context()
    town = identity["town_name"]

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(BLUE)
        canvas.rect(0, A4[1] - 22 * mm, A4[0], 22 * mm, fill=1, stroke=0)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawString(18 * mm, A4[1] - 12 * mm, town)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(18 * mm, A4[1] - 17 * mm, f"{identity['service_name']} — {identity['contact_address']}")
        canvas.setFillColor(colors.grey)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(18 * mm, 10 * mm, f"{identity['service_name']} — {identity['contact_phone']} — "
                                            f"{identity['contact_email']}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=30 * mm,
                            bottomMargin=18 * mm, title=_("Fiche famille %(code)s") % {"code": family.code},
                            author=town)
    guardians = list(Guardian.objects.filter(family=family).order_by("pk"))
    children = list(Child.objects.filter(family=family).select_related("school", "class_level")
                    .prefetch_related("allergens").order_by("birth_date"))
    vaccinations: dict[int, list[Vaccination]] = {}
    for v in Vaccination.objects.filter(child__family=family).order_by("date"):
        vaccinations.setdefault(v.child_id, []).append(v)
    contacts = list(Contact.objects.filter(family=family).prefetch_related("children"))
    P = lambda text, style="body": Paragraph(str(text or "—").replace("\n", "<br/>"), s[style])  # noqa: E731

    story = [
        Paragraph(_("Édité le %(date)s") % {"date": _long_date(today)}, s["right"]),
        Paragraph(_("Fiche famille"), s["title"]),
        Paragraph(f"<b>{family.name}</b> — {_('dossier')} {family.code}", s["body"]),
        Paragraph(f"{family.address_line1}{', ' + family.address_line2 if family.address_line2 else ''}, "
                  f"{family.postcode} {family.commune}", s["body"]),
        Paragraph(f"{_('Régime')} : {family.get_allocataire_regime_display()}"
                  f"{' — n° ' + family.allocataire_number if family.allocataire_number else ''}", s["body"]),
        Paragraph(_("Responsables légaux"), s["h2"]),
    ]
    rows = [[_("Nom"), _("Lien"), _("Téléphones"), _("E-mail"), _("Employeur")]]
    for g in guardians:
        phones = "<br/>".join(p for p in (g.phone_mobile, g.phone_home, g.phone_work) if p)
        rows.append([P(str(g)), P(g.get_relationship_display()), P(phones), P(g.email), P(g.employer)])
    story.append(_table(rows, [42 * mm, 22 * mm, 32 * mm, 45 * mm, 33 * mm]))
    story.append(Paragraph(_("Enfants"), s["h2"]))
    for child in children:
        allergies = ", ".join(a.label for a in child.allergens.all())
        if child.allergies_other:
            allergies = f"{allergies}, {child.allergies_other}" if allergies else child.allergies_other
        vacc = ", ".join(f"{v.get_vaccine_display()} ({v.date:%d/%m/%Y})" for v in vaccinations.get(child.pk, []))
        yes, no = _("oui"), _("non")
        rows = [
            [P(f"<b>{child.first_name} {child.last_name.upper()}</b>"),
             P(_("né(e) le %(date)s") % {"date": formats.date_format(child.birth_date, "j F Y")})],
            [P(_("École / classe")), P(f"{child.school or '—'}{' — ' + child.class_level.label if child.class_level else ''}")],
            [P(_("Régime alimentaire")), P(child.get_diet_display())],
            [P(_("Allergies")), P(allergies or _("aucune signalée"))],
            [P(_("PAI")), P(child.pai_details if child.has_pai else no)],
            [P(_("Médecin traitant")), P(f"{child.doctor_name} {child.doctor_phone}".strip())],
            [P(_("Vaccinations")), P(vacc or "—")],
            [P(_("Droit à l'image")), P(yes if child.image_rights else no)],
            [P(_("Autorisé(e) à partir seul(e)")), P(yes if child.may_leave_alone else no)],
            [P(_("Fiche sanitaire confirmée le")),
             P(_long_date(child.health_form_confirmed_on) if child.health_form_confirmed_on else _("non confirmée"))],
        ]
        story += [KeepTogether(_table(rows, [50 * mm, 124 * mm], header=False)), Spacer(1, 4 * mm)]
    if not children:
        story.append(P(_("Aucun enfant.")))
    story.append(Paragraph(_("Entourage"), s["h2"]))
    rows = [[_("Nom"), _("Lien"), _("Téléphone"), _("Récupère"), _("Urgence"), _("Enfants")]]
    for c in contacts:
        kids = ", ".join(ch.first_name for ch in c.children.all()) or _("tous")
        rows.append([P(f"{c.first_name} {c.last_name.upper()}"), P(c.relationship), P(c.phone),
                     P(_("oui") if c.may_pick_up else _("non")), P(_("oui") if c.is_emergency else _("non")),
                     P(kids)])
    story.append(_table(rows, [40 * mm, 28 * mm, 30 * mm, 20 * mm, 20 * mm, 36 * mm]))
    story += [Spacer(1, 8 * mm), Paragraph(
        _("Document établi à partir des informations du dossier famille. Toute modification se signale au "
          "service enfance depuis le portail famille."), s["small"])]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
