"""A transactional test must not leave later tests without the data that migrations create."""

import pytest
from django.contrib.auth.models import Group

from families.models import Allergen, ClassLevel


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_reference_data_is_there_in_every_transactional_test(run):
    assert Allergen.objects.count() == 14
    assert ClassLevel.objects.filter(code="CM2").exists()
    assert Group.objects.filter(name="Agents service enfance").exists()
