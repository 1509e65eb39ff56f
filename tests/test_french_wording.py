"""French as a town writes it: no « les messagerie sélectionnés », « sexe : f », « 15.0 Mo », « 'banane' »,
« Du 1 septembre » or « Ville de Bessancourt s'engage »."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from families.models import Child
from families.services.change_requests import change_request_lines, child_add_request
from families.services.uploads import upload_check


@pytest.mark.django_db
def test_the_bulk_delete_action_agrees_with_every_noun(client, town_admin):
    client.force_login(town_admin)
    # Only reference data can be deleted in bulk; workflow models (messagerie, démarches) cannot be deleted at all.
    for model in ("family", "contact", "school"):
        page = client.get(reverse(f"admin:families_{model}_changelist")).content.decode()
        assert '<option value="delete_selected">Supprimer la sélection</option>' in page, model
        assert "sélectionnés</option>" not in page, model
    for model in ("conversation", "changerequest"):
        page = client.get(reverse(f"admin:families_{model}_changelist")).content.decode()
        assert 'value="delete_selected"' not in page, model
        assert "sélectionnés</option>" not in page, model


@pytest.mark.django_db
def test_a_new_child_demarche_reads_fille_and_a_french_birth_date(small_town):
    family = small_town["martin"]
    cr = child_add_request(
        family=family,
        by=None,
        data={
            "first_name": "Inès",
            "last_name": "Martin",
            "sex": Child.Sex.F,
            "birth_date": date(2023, 5, 1),
        },
    )
    lines = {label: asked for _who, label, _before, asked in change_request_lines(cr)}
    assert lines["sexe"] == "Fille"
    assert lines["date de naissance"] == "01/05/2023"


def test_a_too_large_file_gives_its_size_with_a_decimal_comma(settings):
    settings.PORTAIL_UPLOAD_MAX_BYTES = 10 * 2**20
    with pytest.raises(ValidationError) as error:
        upload_check(file=SimpleNamespace(size=15 * 2**20, name="scan.pdf"))
    assert error.value.messages == ["Le fichier est trop volumineux (15,0 Mo) : 10 Mo maximum."]


def test_an_unknown_choice_is_quoted_once():
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        Child._meta.get_field("diet").validate("banane", None)
    assert error.value.messages == ["« banane » n'est pas un choix valide."]


def test_the_first_of_the_month_is_written_1er():
    template = Template('{% load french %}Du {{ start|date_fr:"l j F" }} au {{ end|date_fr:"j F Y" }}')
    with translation.override("fr"):
        text = template.render(Context({"start": date(2026, 9, 1), "end": date(2027, 7, 3)}))
    assert text == "Du mardi 1er septembre au 3 juillet 2027"


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("Ville de Bessancourt", "La ville de Bessancourt"),
        ("Commune de Frépillon", "La commune de Frépillon"),
        ("Taverny", "Taverny"),
    ],
)
def test_the_town_name_takes_an_article_in_a_sentence(name, sentence):
    assert Template("{% load french %}{{ name|with_article }}").render(Context({"name": name})) == sentence
