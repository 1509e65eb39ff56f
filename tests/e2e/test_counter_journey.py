"""Issue 12 « Règlements au guichet », in real Chromium: the régisseur records a cheque across two invoices of the
Martin family (the page spreads it oldest first and shows the credit left), downloads the receipt, reads the day's
cash-up and the aged balance; the parent reads « Historique de mon compte » on a phone and gets the receipt.

Screenshots and PDFs land in tests/e2e/artifacts/ (look at them: `pdftoppm -png -r 60`)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Payment
from tests.billing.counter_builders import issued_invoice
from tests.conftest import PASSWORD

from .conftest import ARTIFACTS, _close, _open_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_invoices(small_town):
    martin, lea = small_town["martin"], small_town["lea"]
    september = issued_invoice(martin, lea, month=9, amounts=["3.35", "3.35", "3.35"])  # 10,05 €
    october = issued_invoice(martin, lea, month=10, amounts=["3.35", "3.35", "3.35", "3.35"])  # 13,40 €
    return {"september": september, "october": october}


def test_regisseur_records_a_cheque_across_two_invoices_and_downloads_the_receipt(
    page, browser, live_server, regisseur, small_town, two_invoices
):
    ARTIFACTS.mkdir(exist_ok=True)
    today = timezone.localdate()
    page.goto(f"{page.base_url}/gestion/")
    page.get_by_label("Adresse e-mail").fill(regisseur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{page.base_url}/gestion/facturation/")
    page.get_by_role("link", name="Enregistrer un règlement").first.click()
    page.get_by_label("Code ou nom de la famille").fill("martin")
    page.get_by_role("button", name="Rechercher").click()
    page.locator("#family-results").get_by_role("link", name="Choisir").click()

    expect(page.get_by_text("MARTIN Claire et Julien")).to_be_visible()
    page.get_by_label("Chèque").check()
    page.get_by_label("Montant (€)").fill("25,00")
    september = page.get_by_label(f"Montant affecté à la facture {two_invoices['september'].number}")
    october = page.get_by_label(f"Montant affecté à la facture {two_invoices['october'].number}")
    expect(september).to_have_value("10,05")
    expect(october).to_have_value("13,40")
    expect(page.locator("#credit-left")).to_have_text(
        "1,55 € resteront en crédit sur le compte de la famille."
    )

    # Beyond the balance of September: refused in French, nothing lost.
    september.fill("12,00")
    page.get_by_label("Référence").fill("0001234")
    page.get_by_label("Banque / émetteur").fill("Crédit Mutuel")
    page.get_by_role("button", name="Enregistrer le règlement").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"12,00 € dépasse le reste à payer de la facture {two_invoices['september'].number} (10,05 €)."
    )
    expect(page.get_by_label("Référence")).to_have_value("0001234")
    expect(page.get_by_label("Montant (€)")).to_have_value("25,00")
    page.screenshot(path=str(ARTIFACTS / "counter-form-error-1280.png"), full_page=True)

    september.fill("10,05")
    page.get_by_role("button", name="Enregistrer le règlement").click()
    expect(page.locator("li.success")).to_contain_text(
        "1,55 € restent en crédit sur le compte de la famille."
    )
    expect(page.locator("#allocations tbody tr")).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "counter-detail-1280.png"), full_page=True)

    payment = Payment.objects.get()
    assert sorted(str(a.amount) for a in payment.allocations.all()) == ["10.05", "13.40"]

    receipt = page.context.request.get(
        page.base_url + page.get_by_role("link", name="Reçu (PDF)").get_attribute("href")
    )
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    (ARTIFACTS / "counter-receipt.pdf").write_bytes(receipt.body())

    page.goto(f"{page.base_url}/gestion/facturation/reglements/caisse/?jour={today.isoformat()}")
    expect(page.locator("#cashup-totals tfoot")).to_contain_text("25,00 €")
    page.screenshot(path=str(ARTIFACTS / "counter-cashup-1280.png"), full_page=True)
    cashup = page.context.request.get(
        page.base_url + page.get_by_role("link", name="Journal de caisse (PDF)").get_attribute("href")
    )
    assert cashup.headers["content-type"] == "application/pdf"
    (ARTIFACTS / "counter-cashup.pdf").write_bytes(cashup.body())

    page.goto(f"{page.base_url}/gestion/facturation/balance-agee/")
    page.screenshot(path=str(ARTIFACTS / "counter-aged-balance-1280.png"), full_page=True)

    # The parent, on a phone: the history with the payment and its receipt.
    context, phone = _open_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        phone.goto(f"{phone.base_url}/portail/connexion/")
        phone.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(small_town["martin_parent"].user.email)
        phone.get_by_label("Mot de passe").fill(PASSWORD)
        phone.get_by_role("button", name="Se connecter").click()
        phone.goto(f"{phone.base_url}/portail/factures/historique/")
        expect(phone.locator("#history-credit")).to_have_text("1,55 €")
        link = phone.get_by_role("link", name=f"Reçu {payment.number} (PDF)")
        expect(link).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "counter-history-390.png"), full_page=True)
        parent_receipt = phone.context.request.get(phone.base_url + link.get_attribute("href"))
        assert parent_receipt.status == 200
        assert parent_receipt.headers["content-type"] == "application/pdf"
    finally:
        _close(context, phone)
