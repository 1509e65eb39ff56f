"""A new foyer gets its code famille (F-000123) in the same transaction as its creation, with no temporary value."""

import re

import pytest
from django.db import transaction

from families.models import Family
from families.models.dossier import FamilyCodeCounter

from .factories import FamilyFactory

pytestmark = pytest.mark.django_db


def test_the_first_history_row_already_shows_the_real_code():
    family = FamilyFactory(code="")
    first = family.history.order_by("history_id").first()
    assert re.fullmatch(r"F-\d{6}", family.code)
    assert first.code == family.code
    assert not Family.history.filter(code__startswith="TMP-").exists()


def test_codes_follow_each_other_in_creation_order():
    first, second = FamilyFactory(), FamilyFactory()
    assert int(second.code[2:]) == int(first.code[2:]) + 1


def test_a_code_typed_by_staff_is_kept_and_skipped_by_the_next_automatic_code():
    first = FamilyFactory()
    typed = FamilyFactory(code=Family.code_for(int(first.code[2:]) + 1))
    following = FamilyFactory()
    assert typed.code == Family.code_for(int(first.code[2:]) + 1)
    assert following.code == Family.code_for(int(first.code[2:]) + 2)


def test_codes_imported_in_bulk_are_jumped_over():
    Family.objects.bulk_create(
        [
            Family(
                code=Family.code_for(n),
                name=f"IMPORT {n}",
                address_line1="1 rue",
                postcode="95550",
                commune="Bessancourt",
            )
            for n in range(1, 301)
        ]
    )
    assert FamilyFactory().code == "F-000301"


def test_a_cancelled_creation_gives_its_number_back():
    first = FamilyFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        FamilyFactory()
        raise RuntimeError
    assert FamilyFactory().code == Family.code_for(int(first.code[2:]) + 1)


def test_the_counter_starts_after_the_highest_existing_code():
    FamilyCodeCounter.objects.all().delete()
    Family.objects.bulk_create(
        [
            Family(
                code="F-000120", name="ANCIEN", address_line1="1 rue", postcode="95550", commune="Bessancourt"
            )
        ]
    )
    assert FamilyFactory().code == "F-000121"
