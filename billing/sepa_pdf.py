"""The SEPA mandate form (mandat de prélèvement SEPA) the family prints, signs and hands back, pre-filled."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from billing.pdf import GRID, _document, _styles


def mandate_pdf(*, mandate) -> bytes:
    """Creditor (name, ICS), RUM, debtor (holder, account masked: the family writes nothing it did not type), the
    standard CORE authorisation text, place, date and signature boxes."""
    s = _styles()
    buffer = io.BytesIO()
    title = _("Mandat de prélèvement SEPA")
    doc, on_page = _document(buffer, title=title)
    creditor = settings.PORTAIL_SEPA_CREDITOR_NAME or settings.PORTAIL_TOWN_NAME
    rows = [
        [_("Référence unique du mandat (RUM)"), mandate.rum],
        [_("Créancier"), creditor],
        [_("Identifiant créancier SEPA (ICS)"), settings.PORTAIL_SEPA_CREDITOR_ID or "—"],
        [_("Type de paiement"), _("Récurrent (factures du service enfance)")],
        [_("Débiteur (titulaire du compte)"), mandate.holder],
        [_("IBAN"), mandate.iban_masked],
        [_("BIC"), mandate.bic or "—"],
        [_("Famille"), f"{mandate.family.name} — {mandate.family.code}"],
    ]
    table = Table(
        [
            [Paragraph(escape(str(a)), s["body"]), Paragraph(f"<b>{escape(str(b))}</b>", s["body"])]
            for a, b in rows
        ],
        colWidths=[70 * mm, 104 * mm],
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    authorisation = _(
        "En signant ce formulaire de mandat, vous autorisez %(creditor)s à envoyer des instructions à votre banque "
        "pour débiter votre compte, et votre banque à débiter votre compte conformément aux instructions de "
        "%(creditor)s. Vous bénéficiez du droit d'être remboursé par votre banque selon les conditions décrites "
        "dans la convention que vous avez passée avec elle. Une demande de remboursement doit être présentée dans "
        "les 8 semaines suivant la date de débit de votre compte pour un prélèvement autorisé."
    ) % {"creditor": escape(creditor)}
    signature = Table(
        [[_("Fait à :"), _("Le :")], [_("Signature :"), ""]],
        colWidths=[87 * mm, 87 * mm],
        rowHeights=[10 * mm, 28 * mm],
    )
    signature.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story = [
        Paragraph(title, s["title"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(authorisation, s["body"]),
        Spacer(1, 6 * mm),
        signature,
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "Renvoyez ce mandat signé en le déposant dans « Mes documents » sur le portail famille, ou remettez-le "
                "au service. Le prélèvement commence dès sa validation ; chaque facture indique la date du débit."
            ),
            s["small"],
        ),
    ]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
