"""`{% sepa_prenotice invoice %}`: the pre-notification of the invoice's direct debit, when a mandate pays it."""

from django import template

from billing.services.sepa import prenotice_text, sepa_prenotice

register = template.Library()


@register.inclusion_tag("billing/sepa/prenotice.html")
def sepa_prenotice_notice(invoice):
    notice = sepa_prenotice(invoice=invoice)
    return {"notice": notice, "text": prenotice_text(notice) if notice else ""}
