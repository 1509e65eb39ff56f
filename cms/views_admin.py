"""Wagtail admin screen: import a caterer's menu week from CSV/XLSX, with a preview before anything is saved."""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.menu_import import COLUMNS, menu_import_template_csv, menu_week_import

MAX_BYTES = 2 * 1024 * 1024


class MenuImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier du prestataire (CSV ou XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Seuls les fichiers CSV et XLSX sont acceptés."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mo."))
        return upload


def _check_permission(user):
    if not (user.has_perm("cms.add_menuweek") and user.has_perm("cms.add_menudish")):
        raise PermissionDenied


def menu_import_view(request):
    _check_permission(request.user)
    context = {"columns": COLUMNS, "form": MenuImportForm()}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        filename = request.POST.get("filename", "")
        report = menu_week_import(content=content, filename=filename, dry_run=False, user=request.user)
        if report.ok:
            weeks = ", ".join(str(w) for w in report.weeks)
            messages.success(request, _("Menu importé : %(weeks)s (%(count)s plats).") % {
                "weeks": weeks, "count": len(report.rows)})
            return redirect("wagtailsnippets_cms_menuweek:list")
        context.update(report=report, filename=filename)
    elif request.method == "POST":
        form = MenuImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            report = menu_week_import(content=content, filename=upload.name, dry_run=True, user=request.user)
            context.update(report=report, filename=upload.name)
            if report.ok:
                context["content"] = base64.b64encode(content).decode()
    return render(request, "cms/admin/menu_import.html", context)


def menu_import_template(request):
    _check_permission(request.user)
    response = HttpResponse(menu_import_template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-menu-semaine.csv"'
    return response
