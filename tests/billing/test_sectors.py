"""« Trouver mon école de secteur »: tolerant street matching and a clear answer for split or unknown streets."""

import pytest

from billing.services.sectors import SectorStatus, school_sector_find, street_normalize, streets_suggest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "Rue Jean Jaurès",
        "rue jean jaures",
        "R. Jean-Jaurès",
        "r jean jaurès",
        "12 rue Jean Jaurès",
        "JEAN JAURES",
    ],
)
def test_street_is_found_whatever_the_accents_case_and_abbreviations(sectors, typed):
    answer = school_sector_find(address=typed)
    assert answer.status == SectorStatus.FOUND
    assert answer.school == sectors["jaures"]


def test_saint_and_st_are_the_same_street(sectors):
    assert school_sector_find(address="3 r. St Exupery").school == sectors["pasteur"]


def test_avenue_abbreviation(sectors):
    assert school_sector_find(address="15 av. de la Gare").school == sectors["jaures"]


def test_split_street_asks_for_the_number(sectors):
    answer = school_sector_find(address="Avenue de la Gare")
    assert answer.status == SectorStatus.NEED_NUMBER
    assert (
        answer.message
        == "La voie « Avenue de la Gare » est partagée entre plusieurs écoles : indiquez votre numéro."
    )
    assert len(answer.sectors) == 3


@pytest.mark.parametrize(
    ("address", "school"),
    [
        ("15 avenue de la Gare", "jaures"),
        ("16 avenue de la Gare", "pasteur"),
        ("61 avenue de la Gare", "pasteur"),
    ],
)
def test_split_street_with_a_number_gives_the_side_and_range(sectors, address, school):
    assert school_sector_find(address=address).school == sectors[school]


def test_number_outside_every_range(sectors):
    answer = school_sector_find(address="82 avenue de la Gare")
    assert answer.status == SectorStatus.NUMBER_NOT_COVERED
    assert "contactez le service enfance" in answer.message


def test_unknown_street(sectors):
    answer = school_sector_find(address="5 impasse des Lilas")
    assert answer.status == SectorStatus.UNKNOWN
    assert answer.message == "Adresse inconnue : contactez le service enfance."


def test_normalization():
    assert street_normalize("Av. Saint-Exupéry") == "avenue saint exupery"
    assert street_normalize("Bd  de l'Égalité") == "boulevard de l egalite"


def test_suggestions_while_typing(sectors):
    assert streets_suggest(q="gare") == [{"street": "Avenue de la Gare", "commune": "Bessancourt"}]
    assert streets_suggest(q="av. de la g") == [{"street": "Avenue de la Gare", "commune": "Bessancourt"}]
    assert streets_suggest(q="j") == []
