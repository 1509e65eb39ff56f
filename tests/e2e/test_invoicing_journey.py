"""Issue 11 « Facturation », in real Chromium: the régisseur runs November from /gestion/facturation/, watches the
progress bar reach 100 %, checks the preview (totals, anomalies), issues the invoices and opens one; the parent
simulates a QF, opens « Mes factures », reads each line's rule and downloads the PDF.

The background task is played by the test itself (django-tasks' dummy backend keeps it queued), so the page really
polls its progress. While the test thread works in the database, the page's polls are held by a Playwright route
and served from the test thread only when it waits on the page: the live server and the test never use the shared
SQLite connection at the same time. "Now" is frozen on Wednesday 2 December 2026, 9 h (Paris)."""

import re
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import expect

from billing.demo import seed_billing_demo
from billing.models import FamilyQuotient, Invoice, InvoiceLine, InvoiceRun
from billing.services import invoicing
from billing.services.invoicing import invoice_run_create, invoice_run_issue, invoice_run_prepare
from families.models import Booking
from tests.conftest import PASSWORD
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory

from .conftest import ARTIFACTS, axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = date(2026, 11, 1)
UNCALLED = date(2026, 11, 30)  # the last Monday's roll call is still open


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 2, 9, 0, tzinfo=PARIS))


@pytest.fixture
def queued_tasks(settings):
    """Tasks stay queued (the test plays the worker), instead of running inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _school_days(month: date) -> list[date]:
    day, days = month, []
    while day.month == month.month:
        if day.weekday() in (0, 1, 3, 4):
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def november(small_town):
    """Four families ate at the canteen in November: the Martins (QF 742 €, tranche 3), the Bernards (no QF: top
    bracket) and two more; every day was called present except the last Monday."""
    seed_billing_demo(today=date(2026, 9, 1))
    FamilyQuotient.objects.create(
        family=small_town["martin"], value=Decimal("742"), valid_from=date(2026, 1, 1)
    )
    children = [small_town["lea"], small_town["hugo"], small_town["chloe"]]
    for name, qf in (("PETIT Nora", "450"), ("MOREAU Paul", "1350")):
        family = FamilyFactory(name=name)
        GuardianFactory(family=family, first_name=name.split()[1], last_name=name.split()[0].title())
        FamilyQuotient.objects.create(family=family, value=Decimal(qf), valid_from=date(2026, 1, 1))
        children.append(ChildFactory(family=family, first_name=name.split()[1], school=small_town["school"]))
    meal = small_town["canteen"].units.get(code="repas-classique")
    Booking.objects.bulk_create(
        Booking(
            child=child,
            unit=meal,
            date=day,
            attendance=Booking.Attendance.UNKNOWN if day == UNCALLED else Booking.Attendance.PRESENT,
        )
        for child in children
        for day in _school_days(NOVEMBER)
    )
    return small_town


def _shots(page, name: str) -> None:
    """The screen at 1280 px and 390 px (full page), for the team to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def _axe_clean(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{what} : {format_violations(violations)}"


def _pdf_text(content: bytes, name: str) -> str:
    """The PDF's text through poppler's pdftotext; the file and a 70 dpi image of it stay in the artifacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))],
        check=True,
    )
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _hold_polls(page) -> None:
    """Progress polls wait for the test thread and are served while it waits on the page (see the module doc)."""

    def serve(route):
        route.fulfill(response=route.fetch())

    page.route("**/progression.json", serve)


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


def test_regisseur_runs_checks_and_issues_november(
    page, november, regisseur, clock, queued_tasks, monkeypatch
):
    _hold_polls(page)
    page.goto(f"{page.base_url}/gestion/facturation/")
    page.get_by_label("Adresse e-mail").fill(regisseur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("heading", name="Facturation mensuelle", level=1).wait_for()
    page.get_by_label("Mois à facturer").fill("2026-11")
    page.get_by_label("Restauration scolaire 2026-2027").check()
    _shots(page, "invoicing-run-form")
    _axe_clean(page, "Lancer une facturation")
    page.get_by_role("button", name="Préparer les brouillons").click()

    page.get_by_role("heading", name="Facturation de novembre 2026").wait_for()
    bar = page.locator("#run-progress progress")
    expect(page.locator("#run-status")).to_have_text("En attente")
    expect(bar).to_have_js_property("value", 0)
    page.wait_for_load_state("networkidle")

    # The worker: two of the four families priced, the page shows it; then the rest.
    run = InvoiceRun.objects.get()
    monkeypatch.setattr(invoicing, "PROGRESS_EVERY", 1)
    priced = []
    price_bookings = invoicing.price_bookings

    def price_and_watch(**kwargs):
        if len(priced) == 2:
            expect(page.locator("#run-count")).to_have_text("2 / 4")
            expect(bar).to_have_js_property("value", 50)
            expect(page.locator("#run-status")).to_have_text("Préparation en cours")
            _shots(page, "invoicing-run-progress")
        priced.append(kwargs["family"])
        return price_bookings(**kwargs)

    monkeypatch.setattr(invoicing, "price_bookings", price_and_watch)
    invoice_run_prepare(run=run)
    assert len(priced) == 4

    # The page reloads by itself on the preview, the bar full.
    page.get_by_role("heading", name="Aperçu").wait_for()
    expect(bar).to_have_js_property("value", 100)
    expect(page.locator("#run-count")).to_have_text("4 / 4")
    expect(page.locator("#run-status")).to_have_text("Brouillons prêts")
    total = InvoiceLine.objects.aggregate(s=Sum("amount"))["s"]
    expect(page.get_by_text(f"4 factures, total {_euros(total)}")).to_be_visible()
    anomalies = page.locator("ul.anomalies")
    expect(anomalies).to_contain_text("BERNARD Sophie")
    expect(anomalies).to_contain_text("pas de quotient familial valide, tarif le plus haut")
    expect(anomalies).to_contain_text("30/11/2026 : appel non clôturé (5 réservation(s) non pointée(s)")
    _shots(page, "invoicing-run-preview")
    _axe_clean(page, "Aperçu de la facturation")

    page.get_by_role("button", name="Émettre les factures").click()
    expect(page.locator("#run-status")).to_have_text("Émission en cours")
    page.wait_for_load_state("networkidle")
    invoice_run_issue(run=InvoiceRun.objects.get())

    expect(page.locator("#run-status")).to_have_text("Émise")
    expect(bar).to_have_js_property("value", 100)
    martin = Invoice.objects.get(family=november["martin"])
    assert re.fullmatch(r"2026-\d{6}", martin.number)
    row = page.get_by_role("row").filter(has_text=martin.number)
    expect(row).to_contain_text(_euros(martin.lines_total()))
    expect(page.get_by_role("link", name="Liste des factures à imprimer")).to_be_visible()
    _shots(page, "invoicing-run-issued")

    pdf = page.request.get(page.base_url + row.get_by_role("link", name="Voir").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    text = _pdf_text(pdf.body(), "invoice-regisseur")
    assert f"Facture {martin.number}" in text
    assert "Tranche QF 3 (601–900 €)" in text
    assert _euros(martin.lines_total()).replace(" €", "") in text


@pytest.fixture
def martin_invoiced(november, regisseur, clock):
    run = invoice_run_create(period=NOVEMBER, activities=[november["canteen"]], by=regisseur, start=False)
    invoice_run_prepare(run=run)
    invoice_run_issue(run=run, notify=False)
    return Invoice.objects.get(family=november["martin"])


def test_parent_simulates_a_qf_reads_an_invoice_and_downloads_it(page, martin_invoiced):
    invoice = martin_invoiced
    page.goto(f"{page.base_url}/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill("claire.martin@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mon accueil").wait_for()

    page.goto(f"{page.base_url}/portail/simulation/")
    qf = page.locator("#simulateur-qf")
    qf.get_by_label("Revenus annuels imposables du foyer (€)").fill("36000")
    qf.get_by_label("Prestations familiales mensuelles (€)").fill("150")
    qf.get_by_label("Nombre d'enfants à charge").fill("3")
    qf.get_by_role("button", name="Calculer").click()
    result = page.locator("#simulateur-qf [role=status]")
    expect(result).to_contain_text("Nombre de parts : 4,0. Quotient familial estimé : 787,50 € par mois.")
    expect(result).to_contain_text("seul le service enfance peut calculer votre QF")
    _shots(page, "parent-simulation")
    _axe_clean(page, "Simulateurs")

    page.get_by_role("link", name="Mes factures").first.click()
    page.get_by_role("heading", name="Mes factures", level=1).wait_for()
    total = _euros(invoice.lines_total())
    row = page.get_by_role("row").filter(has_text=invoice.number)
    expect(row).to_contain_text("Novembre 2026")
    expect(row).to_contain_text("2 décembre 2026")
    expect(row).to_contain_text(total)
    expect(row).to_contain_text("À payer")
    _shots(page, "parent-invoices")
    _axe_clean(page, "Mes factures")

    row.get_by_role("link", name=invoice.number, exact=True).click()
    page.get_by_role("heading", name=f"Facture {invoice.number}").wait_for()
    lines = page.locator("tbody tr")
    expect(lines).to_have_count(invoice.lines.count())
    for line in invoice.lines.all():
        shown = lines.filter(has_text=line.child_name).filter(has_text=line.rule)
        expect(shown).to_have_count(1)
        expect(shown).to_contain_text(_euros(line.amount))
    expect(page.locator("tbody")).to_contain_text("Tranche QF 3 (601–900 €)")
    expect(page.locator("tfoot")).to_contain_text(total)
    _shots(page, "parent-invoice")
    _axe_clean(page, "Facture")

    link = page.get_by_role("link", name="Télécharger la facture (PDF)")
    pdf = page.request.get(page.base_url + link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    text = _pdf_text(pdf.body(), "invoice-parent")
    assert f"Facture {invoice.number}" in text
    assert "MARTIN Claire et Julien" in text
    assert "Léa MARTIN" in text and "Hugo MARTIN" in text
    assert "À régler avant le 1er janvier 2027" in text
