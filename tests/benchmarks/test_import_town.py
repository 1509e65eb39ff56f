"""Benchmarks of a town-sized import: 20,000 families + ~40,000 children from CSV, via resources vs bulk_create.

Run with `make bench` (`pytest tests/benchmarks --benchmark-only`); skipped in the normal run (--benchmark-skip).
`PORTAIL_BENCH_FAMILIES=2000` scales the town down for a quick check.
"""

import csv
import io
import os
import time

import pytest
import tablib

from backoffice.crud import registry
from families.management import demo_town
from families.models import Child, ClassLevel, Family, School

pytestmark = [pytest.mark.benchmark_town, pytest.mark.django_db]

FAMILIES = int(os.environ.get("PORTAIL_BENCH_FAMILIES", "20000"))


def _csv(rows, fields) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def town_files(db):
    """The two CSV files staff would upload: families, then children naming their family by its code."""
    schools = demo_town.ensure_schools()
    families = list(demo_town.family_rows(FAMILIES))
    children = list(demo_town.child_rows(families, schools))
    return {
        "families": _csv(families, demo_town.FAMILY_FIELDS),
        "children": _csv(children, demo_town.CHILD_FIELDS),
        "family_rows": len(families),
        "child_rows": len(children),
    }


def _report(benchmark, capsys, label: str, files: dict, seconds: float) -> None:
    rows = files["family_rows"] + files["child_rows"]
    benchmark.extra_info.update({
        "families": files["family_rows"], "children": files["child_rows"], "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
    })
    with capsys.disabled():
        print(
            f"\n[bench] {label}: {files['family_rows']} familles + {files['child_rows']} enfants "
            f"en {seconds:.1f} s ({rows / seconds:,.0f} lignes/s)"
        )


def _reset():
    Child.objects.all().delete()
    Family.objects.all().delete()


def test_import_through_generated_resources(benchmark, town_files, capsys):
    """What staff get from the back-office import: validation, natural keys, history, one transaction per file."""
    timings = {}

    def run():
        started = time.perf_counter()
        for model, key in ((Family, "families"), (Child, "children")):
            resource = registry.get(model).resource_class()
            dataset = tablib.Dataset().load(town_files[key], format="csv")
            result = resource.import_data(dataset, dry_run=False, use_transactions=True)
            assert not result.has_errors() and not result.has_validation_errors(), (
                result.invalid_rows[:3], [e.error for row in result.row_errors()[:3] for e in row[1]]
            )
            timings[key] = time.perf_counter() - started
        timings["total"] = time.perf_counter() - started

    benchmark.pedantic(run, setup=_reset, rounds=1, iterations=1)
    assert Family.objects.count() == town_files["family_rows"]
    assert Child.objects.count() == town_files["child_rows"]
    assert Family.history.count() == town_files["family_rows"]
    benchmark.extra_info["families_seconds"] = round(timings["families"], 2)
    benchmark.extra_info["children_seconds"] = round(timings["total"] - timings["families"], 2)
    _report(benchmark, capsys, "import par les ressources", town_files, timings["total"])
    with capsys.disabled():
        print(f"[bench]   dont familles {timings['families']:.1f} s, "
              f"enfants {timings['total'] - timings['families']:.1f} s")


def test_bulk_create_floor(benchmark, town_files, capsys):
    """The same rows parsed from the same CSV and written with bulk_create: no validation, no history."""
    timings = {}

    def run():
        started = time.perf_counter()
        families = [
            Family(**{**row, "paperless_invoices": row["paperless_invoices"] == "True",
                      "is_active": row["is_active"] == "True"})
            for row in csv.DictReader(io.StringIO(town_files["families"]))
        ]
        Family.objects.bulk_create(families, batch_size=2000)
        by_code = dict(Family.objects.values_list("code", "pk"))
        schools = dict(School.objects.values_list("name", "pk"))
        levels = dict(ClassLevel.objects.values_list("code", "pk"))
        children = []
        for row in csv.DictReader(io.StringIO(town_files["children"])):
            row.pop("allergens")
            for flag in ("has_pai", "image_rights", "may_leave_alone"):
                row[flag] = row[flag] == "True"
            children.append(Child(
                **{k: v for k, v in row.items() if k not in ("family", "school", "class_level")},
                family_id=by_code[row["family"]], school_id=schools[row["school"]],
                class_level_id=levels[row["class_level"]],
            ))
        Child.objects.bulk_create(children, batch_size=2000)
        timings["total"] = time.perf_counter() - started

    benchmark.pedantic(run, setup=_reset, rounds=1, iterations=1)
    assert Family.objects.count() == town_files["family_rows"]
    assert Child.objects.count() == town_files["child_rows"]
    _report(benchmark, capsys, "plancher bulk_create", town_files, timings["total"])
