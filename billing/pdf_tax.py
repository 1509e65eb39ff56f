"""The attestation fiscale de frais de garde as a PDF (reportlab), in the town's document layout (billing.pdf)."""

from __future__ import annotations

import io
import re
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from billing.money import euros
from billing.pdf import BLUE, GRID, LIGHT, _document, _styles, long_date, regie
from families.services.emails import town_context


def _euros(value) -> str:
    # The standard PDF fonts have no narrow no-break space (U+202F): a plain no-break space prints everywhere.
    return euros(value).replace("\u202f", "\xa0")


def _place(town_name: str) -> str:
    """« Ville de Bessancourt » → « Bessancourt »: the place of « Fait à … »."""
    return (
        re.sub(r"^(ville|mairie|commune)\s+d(e\s+|')", "", town_name.strip(), flags=re.IGNORECASE)
        or town_name
    )


def _family_address(family) -> str:
    lines = [family.address_line1, family.address_line2, f"{family.postcode} {family.commune}"]
    return "\n".join(line for line in lines if line and line.strip())


def _opening(certificate, *, info, town: str, period: str) -> str:
    signatory_name = getattr(settings, "PORTAIL_SIGNATORY_NAME", "")
    signatory_title = getattr(settings, "PORTAIL_SIGNATORY_TITLE", "") or _("Le régisseur")
    values = {
        "signatory": signatory_name,
        "title": signatory_title[0].lower() + signatory_title[1:],
        "regie": info["name"][0].lower() + info["name"][1:],
        "town": town,
        "payer": certificate.payer_name,
        "period": period,
        "amount": _euros(certificate.amount),
    }
    if signatory_name:
        text = _(
            "Je soussigné(e), %(signatory)s, %(title)s (%(regie)s de %(town)s), atteste que <b>%(payer)s</b> a "
            "réglé, %(period)s, pour la garde de l'enfant désigné ci-dessous, la somme de <b>%(amount)s</b>."
        )
    else:
        text = _(
            "La %(regie)s de %(town)s atteste que <b>%(payer)s</b> a réglé, %(period)s, pour la garde de "
            "l'enfant désigné ci-dessous, la somme de <b>%(amount)s</b>."
        )
    return text % values


def tax_certificate_pdf(*, certificate, today: date) -> bytes:
    """Town header and logo, title and legal basis, the payer, the child, the amount paid over the year (meals
    excluded), the régie, place, date and signature block."""
    s = _styles()
    buffer = io.BytesIO()
    identity = town_context()
    info = regie()
    year = certificate.year
    child = certificate.child
    family = certificate.family
    title = _("Attestation de frais de garde — année %(year)s") % {"year": year}
    doc, on_page = _document(buffer, title=title)
    start, end = date(year, 1, 1), date(year, 12, 31)
    period = _("du %(start)s au %(end)s") % {"start": long_date(start), "end": long_date(end)}
    signatory_name = getattr(settings, "PORTAIL_SIGNATORY_NAME", "")
    signatory_title = getattr(settings, "PORTAIL_SIGNATORY_TITLE", "") or _("Le régisseur")

    left = [
        Paragraph(
            _(
                "Frais de garde des enfants de moins de 6 ans — article 200 quater B du Code général des impôts"
            ),
            s["body"],
        ),
        Paragraph(
            _("Famille : %(name)s — code %(code)s") % {"name": family.name, "code": family.code}, s["body"]
        ),
        Paragraph(_("Année civile %(period)s") % {"period": period}, s["body"]),
    ]
    address = "<br/>".join([f"<b>{certificate.payer_name}</b>", *_family_address(family).splitlines()])
    parties = Table([[left, [Paragraph(address, s["body"])]]], colWidths=[95 * mm, 79 * mm])
    parties.setStyle(
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
    story = [
        Paragraph(title, s["title"]),
        Spacer(1, 4 * mm),
        parties,
        Spacer(1, 9 * mm),
        Paragraph(
            _opening(certificate, info=info, town=_place(identity["town_name"]), period=period), s["body"]
        ),
        Spacer(1, 5 * mm),
    ]
    table = Table(
        [
            [_("Enfant"), _("Date de naissance"), _("Période"), _("Montant payé")],
            [
                Paragraph(f"<b>{child.full_name}</b>", s["cell"]),
                long_date(child.birth_date),
                Paragraph(period, s["cell"]),
                _euros(certificate.amount),
            ],
        ],
        colWidths=[46 * mm, 32 * mm, 66 * mm, 30 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (-1, 1), (-1, 1), "Helvetica-Bold", 11),
                ("TEXTCOLOR", (-1, 1), (-1, 1), BLUE),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 5 * mm),
        Paragraph(
            _(
                "Ce montant correspond aux sommes effectivement payées au cours de l'année %(year)s pour la garde "
                "de l'enfant, âgé de moins de 6 ans au 1er janvier %(year)s, dans les accueils du service enfance. "
                "Les frais de repas (restauration scolaire et part repas des journées d'accueil) en sont exclus."
            )
            % {"year": year},
            s["body"],
        ),
        Spacer(1, 2 * mm),
        Paragraph(
            _(
                "Pour votre déclaration de revenus, diminuez ce montant des aides perçues pour la garde de cet "
                "enfant (complément de libre choix du mode de garde, aide de votre employeur…). Conservez cette "
                "attestation : l'administration fiscale peut vous la demander."
            ),
            s["small"],
        ),
        Spacer(1, 10 * mm),
    ]
    signature = Table(
        [
            [
                Paragraph(
                    _("Fait à %(place)s, le %(date)s")
                    % {"place": _place(identity["town_name"]), "date": long_date(today)},
                    s["body"],
                ),
                [
                    Paragraph(f"<b>{signatory_title}</b>", s["body"]),
                    Paragraph(signatory_name, s["body"]),
                    Spacer(1, 16 * mm),
                    Paragraph(_("Signature et cachet de la régie"), s["small"]),
                ],
            ]
        ],
        colWidths=[94 * mm, 80 * mm],
    )
    signature.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (1, 0), (1, 0), 0.6, GRID),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
                ("TOPPADDING", (1, 0), (1, 0), 6),
            ]
        )
    )
    regie_line = info["name"] + (f" — {info['reference']}" if info["reference"] else "")
    story += [
        KeepTogether([signature]),
        Spacer(1, 8 * mm),
        Paragraph(
            f"{regie_line} — {identity['service_name']}, {identity['contact_address']} — "
            f"{identity['contact_phone']} — {identity['contact_email']}",
            s["small"],
        ),
    ]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
