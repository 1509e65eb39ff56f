"""Benchmark of an annulation groupée: one day of 2,000 canteen bookings cancelled as « fermeture » in one
transaction (bulk update with history, one email per family).

Run with `make bench` (`pytest tests/benchmarks --benchmark-only`); skipped in the normal run (--benchmark-skip).
"""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone

from families.models import Booking, Child, Family, Guardian, School
from families.services.closures import closure_apply, closure_revert
from tests.factories import ActivityFactory, UnitFactory

pytestmark = [pytest.mark.benchmark_town, pytest.mark.django_db]

BOOKINGS = int(os.environ.get("PORTAIL_BENCH_BOOKINGS", "2000"))


@pytest.fixture
def busy_day(db):
    school = School.objects.create(name="École du Centre")
    unit = UnitFactory(activity=ActivityFactory(period_end=date(2099, 7, 3)), code="repas-classique")
    families = Family.objects.bulk_create(
        [
            Family(
                code=f"F-9{i:05d}",
                name=f"FAMILLE {i}",
                address_line1="1 rue",
                postcode="95550",
                commune="Bessancourt",
            )
            for i in range(BOOKINGS // 2)
        ]
    )
    Guardian.objects.bulk_create(
        [
            Guardian(family=f, civility="mme", first_name="A", last_name=f.name, email=f"p{f.pk}@exemple.fr")
            for f in families
        ]
    )
    children = Child.objects.bulk_create(
        [
            Child(
                family=families[i // 2],
                first_name=f"Enfant{i}",
                last_name="X",
                birth_date=date(2018, 1, 1),
                school=school,
            )
            for i in range(BOOKINGS)
        ]
    )
    day = timezone.localdate() + timedelta(days=10)
    Booking.objects.bulk_create([Booking(child=c, unit=unit, date=day) for c in children])
    return {"school": school, "day": day}


def test_bulk_cancel_of_2000_bookings(benchmark, busy_day, django_user_model, monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: None)
    agent = django_user_model.objects.create(email="agent.bench@mairie.exemple.fr", is_staff=True)

    def run():
        result = closure_apply(
            start_date=busy_day["day"], reason="Grève", by=agent, school=busy_day["school"]
        )
        return result

    def setup():
        from families.models import Closure

        for closure in Closure.objects.all():
            closure_revert(closure=closure, by=agent)
        return (), {}

    result = benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)
    assert result.bookings == BOOKINGS and result.families == BOOKINGS // 2
    assert Booking.objects.filter(state=Booking.State.CLOSURE).count() == BOOKINGS
