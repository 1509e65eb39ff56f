"""Benchmark: every child of a town books a month of canteen through the service the portal uses, at N and 10×N
families. Reports seconds and queries for both; asserts only that they grow linearly (ratio ≤ 12 for 10× the data).

Run with `make bench` (skipped in the normal run). `PORTAIL_BENCH_BOOKING_FAMILIES=200` sets N (default 200).
"""

import os
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from families.management import demo_town
from families.models import Activity, ActivityKind, Booking, Child, Enrolment, Family, Guardian, Unit
from families.services.bookings import Change, bookings_apply
from families.services.opening import activity_open_days

pytestmark = [pytest.mark.benchmark_town, pytest.mark.django_db]

FAMILIES = int(os.environ.get("PORTAIL_BENCH_BOOKING_FAMILIES", "200"))
MONTH = (date(2027, 1, 1), date(2027, 1, 31))
# Parents book well before the délai (3 jours ouvrés avant 10h) of the month's first day.
NOW = datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
MAX_RATIO = 12


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _town(families: int) -> tuple[list[Child], list[Unit], object]:
    """A bulk-built town whose children all have an accepted canteen inscription and a confirmed fiche sanitaire."""
    Booking.history.all().delete()
    Booking.objects.all().delete()
    Enrolment.objects.all().delete()
    Guardian.objects.all().delete()
    Child.objects.all().delete()
    Family.objects.all().delete()
    schools = demo_town.ensure_schools()
    demo_town.ensure_catalogue("C")
    demo_town.bulk_build_families(families, schools, with_guardians=False)
    Child.objects.update(health_form_confirmed_on=date(2026, 8, 28))
    canteen = Activity.objects.get(kind=ActivityKind.RESTAURATION)
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                child_id=pk,
                activity=canteen,
                status=Enrolment.Status.ACCEPTED,
                start_date=canteen.period_start,
            )
            for pk in Child.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    units = list(canteen.units.order_by("code"))  # repas-classique, repas-vegetarien
    parent = get_user_model().objects.create_user(email=f"bench-{families}@example.org", password="x")
    return list(Child.objects.order_by("pk")), units, parent


def _book_month(children, units, parent) -> dict:
    """One `bookings_apply` per child, as the parent's planning page sends it: every open day of the month."""
    canteen = units[0].activity
    days = activity_open_days(activity=canteen, start=MONTH[0], end=MONTH[1])
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for i, child in enumerate(children):
            unit = units[i % 7 == 0]  # one child in seven eats vegetarian
            result = bookings_apply(
                child_changes=[Change(child=child, unit=unit, day=day) for day in days],
                by=parent,
                as_staff=False,
                now=NOW,
            )
            assert result.ok, result.refused[:1]
    seconds = time.perf_counter() - started
    return {
        "children": len(children),
        "days": len(days),
        "bookings": Booking.objects.count(),
        "seconds": seconds,
        "queries": counter.count,
    }


def test_booking_a_month_grows_linearly(benchmark, capsys):
    small = _book_month(*_town(FAMILIES))
    large_town = _town(10 * FAMILIES)
    large = {}

    def run():
        large.update(_book_month(*large_town))

    benchmark.pedantic(run, rounds=1, iterations=1)
    seconds_ratio = large["seconds"] / small["seconds"]
    queries_ratio = large["queries"] / small["queries"]
    per_child = {n: r["queries"] / r["children"] for n, r in (("small", small), ("large", large))}
    benchmark.extra_info.update(
        {
            "small": {k: round(v, 2) if isinstance(v, float) else v for k, v in small.items()},
            "large": {k: round(v, 2) if isinstance(v, float) else v for k, v in large.items()},
            "seconds_ratio": round(seconds_ratio, 2),
            "queries_ratio": round(queries_ratio, 2),
        }
    )
    with capsys.disabled():
        for label, n, r in (("petite", FAMILIES, small), ("grande", 10 * FAMILIES, large)):
            print(
                f"\n[bench] un mois de cantine, ville {label} ({n} familles, {r['children']} enfants, "
                f"{r['days']} jours) : {r['bookings']} réservations en {r['seconds']:.1f} s, {r['queries']} requêtes "
                f"({r['queries'] / r['children']:.1f} par enfant, {r['children'] / r['seconds']:.0f} enfants/s)"
            )
        print(f"[bench]   rapport ×10 : temps {seconds_ratio:.2f}, requêtes {queries_ratio:.2f}")
    assert large["bookings"] == large["children"] * large["days"]
    assert per_child["large"] == per_child["small"]  # the same queries per parent, whatever the town's size
    assert queries_ratio <= MAX_RATIO
    assert seconds_ratio <= MAX_RATIO
