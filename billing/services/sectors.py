"""School-sector finder (« Trouver mon école de secteur »): tolerant street matching and the answer to give."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from billing.models import SchoolSector

# Abbreviations people type, mapped to the word of the official street list.
_ABBREVIATIONS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "pl": "place",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "all": "allee",
    "rte": "route",
    "sq": "square",
    "st": "saint",
    "ste": "sainte",
    "pte": "porte",
    "res": "residence",
}
_STREET_TYPES = {
    "rue",
    "avenue",
    "boulevard",
    "place",
    "chemin",
    "impasse",
    "allee",
    "route",
    "square",
    "sentier",
    "residence",
    "cours",
    "quai",
    "passage",
    "voie",
    "ruelle",
    "sente",
    "cite",
    "hameau",
    "clos",
}
_FILLERS = {"de", "du", "des", "la", "le", "les", "l", "d"}
_NUMBER = re.compile(r"^\s*(\d{1,5})\s*(bis|ter|quater|[a-d])?\b[\s,]*", re.IGNORECASE)


def street_normalize(text: str) -> str:
    """« Av. Saint-Exupéry » → "avenue saint exupery": no accents, no case, no punctuation, abbreviations expanded."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def street_core(key: str) -> str:
    """The distinctive part of a normalized street: "rue de la gare" → "gare" (people often omit the type)."""
    words = key.split()
    if words and words[0] in _STREET_TYPES:
        words = words[1:]
    while words and words[0] in _FILLERS:
        words = words[1:]
    return " ".join(words)


def address_parse(address: str) -> tuple[int | None, str]:
    match = _NUMBER.match(address or "")
    if match:
        return int(match.group(1)), street_normalize(address[match.end() :])
    return None, street_normalize(address)


class SectorStatus(StrEnum):
    FOUND = "found"
    NEED_NUMBER = "need_number"
    NUMBER_NOT_COVERED = "number_not_covered"
    UNKNOWN = "unknown"
    EMPTY = "empty"


@dataclass
class SectorAnswer:
    status: SectorStatus
    message: str
    street: str = ""
    school: object | None = None
    sectors: list[SchoolSector] = field(default_factory=list)


def _matching_rows(key: str, commune: str | None) -> list[SchoolSector]:
    rows = SchoolSector.objects.select_related("school")
    if commune:
        rows = rows.filter(commune__iexact=commune.strip())
    exact = list(rows.filter(street_key=key))
    if exact:
        return exact
    core = street_core(key)
    if not core:
        return []
    # "Jean Jaurès" or "r. Jean-Jaurès" for "Rue Jean Jaurès": same distinctive part, one street only.
    candidates = [
        row for row in rows.filter(street_key__endswith=core) if street_core(row.street_key) == core
    ]
    return candidates if len({row.street_key for row in candidates}) == 1 else []


def school_sector_find(*, address: str, commune: str | None = None) -> SectorAnswer:
    """The school of the sector of an address; asks for the number when the street is split between schools."""
    number, key = address_parse(address)
    if not key:
        return SectorAnswer(SectorStatus.EMPTY, _("Indiquez votre adresse (numéro et nom de la voie)."))
    rows = _matching_rows(key, commune)
    if not rows:
        return SectorAnswer(SectorStatus.UNKNOWN, _("Adresse inconnue : contactez le service enfance."))
    street = rows[0].street_name
    schools = {row.school_id for row in rows}
    if len(schools) == 1 and (number is None or any(row.covers(number) for row in rows)):
        school = rows[0].school
        return SectorAnswer(
            SectorStatus.FOUND,
            _("Votre école de secteur : %(school)s.") % {"school": school},
            street=street,
            school=school,
            sectors=rows,
        )
    if number is None:
        return SectorAnswer(
            SectorStatus.NEED_NUMBER,
            _("La voie « %(street)s » est partagée entre plusieurs écoles : indiquez votre numéro.")
            % {"street": street},
            street=street,
            sectors=sorted(rows, key=lambda r: (r.number_from or 0, r.parity)),
        )
    covering = [row for row in rows if row.covers(number)]
    if covering:
        school = covering[0].school
        return SectorAnswer(
            SectorStatus.FOUND,
            _("Votre école de secteur : %(school)s.") % {"school": school},
            street=street,
            school=school,
            sectors=covering,
        )
    return SectorAnswer(
        SectorStatus.NUMBER_NOT_COVERED,
        _("Le n° %(number)s, %(street)s, n’est pas dans la carte scolaire : contactez le service enfance.")
        % {"number": number, "street": street},
        street=street,
        sectors=rows,
    )


def streets_suggest(*, q: str, limit: int = 10) -> list[dict[str, str]]:
    """Street names matching what the public is typing (accents, case and abbreviations ignored)."""
    _number, key = address_parse(q)
    if len(key) < 2:
        return []
    rows = (
        SchoolSector.objects.filter(street_key__contains=key)
        .values_list("street_name", "commune", "street_key")
        .order_by("street_key", "commune")
        .distinct()
    )
    seen, results = set(), []
    for name, commune, street_key in rows[: limit * 5]:
        if (street_key, commune) in seen:
            continue
        seen.add((street_key, commune))
        results.append({"street": name, "commune": commune})
        if len(results) >= limit:
            break
    return results
