"""Effectifs: meals per school and day for the kitchen and head counts per unit for the sites, on screen (with a
chart of the coming two weeks), in CSV / XLSX and as a printable PDF sheet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from families.health import can_view_health
from families.models import School
from families.pdf_kitchen import kitchen_sheet
from families.selectors_staff import KitchenCounts, kitchen_counts

from .common import admin_context, staff_view

PERMISSION = "families.view_booking"
MAX_DAYS = 62
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CountsForm(forms.Form):
    start = forms.DateField(label=_l("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_l("Au"), widget=forms.DateInput(attrs={"type": "date"}))
    school = forms.ModelChoiceField(
        label=_l("École"), queryset=School.objects.all(), required=False, empty_label=_l("Toutes les écoles")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période doit suivre son début."))
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choisissez une période de %(n)s jours au plus.") % {"n": MAX_DAYS})
        return data


def safe_cell(value):
    """A spreadsheet must not run a name like « =HYPERLINK(…) »: text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_rows(counts: KitchenCounts) -> list[list]:
    units = []
    for school in counts.schools:
        units += [u for u in school.units if u not in units]
    header = [
        _("École"),
        _("Jour"),
        _("Source"),
        _("Repas classique"),
        _("Repas végétarien"),
        _("Repas sans porc"),
        _("Total repas"),
    ]
    if counts.with_health:
        header.append(_("Allergies et PAI"))
    header += [f"{u.activity.name} — {u.label}" for u in units]
    rows = [header]
    for school in counts.schools:
        for cell in school.days:
            row = [
                school.school.name,
                cell.day.isoformat(),
                _("présences") if cell.from_attendance else _("réservations"),
                *cell.meal_list,
                cell.total_meals,
            ]
            if counts.with_health:
                row.append(cell.allergy_text)
            row += [cell.units.get(u.pk, 0) for u in units]
            rows.append([safe_cell(v) for v in row])
    return rows


def _csv(counts: KitchenCounts, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(export_rows(counts))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx(counts: KitchenCounts, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Effectifs")
    for row in export_rows(counts):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def chart_bars(counts: KitchenCounts, *, height: int = 120, bar: int = 28, gap: int = 10) -> dict:
    """Inline-SVG geometry of the meals per day (no JS library)."""
    values = counts.meals_by_day
    top = max([n for _d, n in values] + [1])
    bars = []
    for i, (day, n) in enumerate(values):
        h = round(n * height / top)
        bars.append(
            {
                "x": i * (bar + gap),
                "y": height - h + 16,
                "h": h,
                "n": n,
                "day": day,
                "label_x": i * (bar + gap) + bar / 2,
            }
        )
    return {
        "bars": bars,
        "width": max(len(values) * (bar + gap), 1),
        "height": height + 40,
        "bar": bar,
        "base": height + 16,
    }


@staff_view(PERMISSION)
def kitchen(request):
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else None
    form = CountsForm(data, initial={"start": today, "end": today + timedelta(days=13)})
    with_health = can_view_health(request.user)
    counts = None
    if data is None:
        counts = kitchen_counts(
            start=today, end=today + timedelta(days=13), with_health=with_health, today=today
        )
    elif form.is_valid():
        school = form.cleaned_data.get("school")
        counts = kitchen_counts(
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            with_health=with_health,
            schools=[school] if school else None,
            today=today,
        )
    export = request.GET.get("format")
    if counts is not None and export in ("csv", "xlsx", "pdf"):
        filename = f"effectifs-{counts.start:%Y%m%d}-{counts.end:%Y%m%d}"
        if export == "csv":
            return _csv(counts, filename)
        if export == "xlsx":
            return _xlsx(counts, filename)
        response = HttpResponse(
            kitchen_sheet(counts=counts, printed_on=today), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    coming = kitchen_counts(start=today, end=today + timedelta(days=13), with_health=False, today=today)
    return TemplateResponse(
        request,
        "backoffice/kitchen.html",
        admin_context(
            request,
            title=_("Effectifs : cuisine et sites"),
            form=form,
            counts=counts,
            chart=chart_bars(coming),
            query=request.GET.urlencode() if data else "",
        ),
    )
