"""French typography for templates: « 1er septembre » and « La ville de Bessancourt s'engage… ».

{% load french %}
{{ activity.period_start|date_fr:"l j F Y" }}   → « mardi 1er septembre 2026 » (Django's `date` gives « 1 »)
{{ town_name|with_article }}                     → « La ville de Bessancourt » for « Ville de Bessancourt »
"""

import re
from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()

# « Ville de X » is a name on a letterhead; in a sentence it takes an article and a lower-case noun.
_ARTICLES = {"ville": "La ville", "commune": "La commune", "mairie": "La mairie", "cité": "La cité"}


@register.filter(expects_localtime=True, is_safe=False)
def date_fr(value, arg=None):
    """Django's `date` filter, with the French ordinal on the first day of a month (« 1er »)."""
    if isinstance(value, date | datetime) and value.day == 1 and arg:
        # An unescaped `j` (day without leading zero) becomes the literal « 1er ».
        arg = re.sub(r"(?<!\\)j", r"1\\e\\r", arg)
    return date_filter(value, arg)


@register.filter
def with_article(name: str) -> str:
    """« Ville de Bessancourt » → « La ville de Bessancourt »; any other name is left as it is."""
    first, _sep, rest = (name or "").partition(" ")
    article = _ARTICLES.get(first.lower())
    return f"{article} {rest}" if article and rest else name
