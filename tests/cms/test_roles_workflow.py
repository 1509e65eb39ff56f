"""Communication works in /cms/ only; news are published through the moderation workflow; documents are checked."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import NewsPage, ServicePage


def _news_form(action: str, title: str = "Fermeture exceptionnelle le 11 décembre") -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": "fermeture-11-decembre",
            "date": "2026-11-23",
            "summary": "Les accueils seront fermés le vendredi 11 décembre.",
            "image_alt": "",
            "body": streamfield([("text", rich_text("<p>Merci de votre compréhension.</p>"))]),
        }
    )
    data[action] = "1"
    return data


@pytest.mark.django_db
def test_communication_reaches_the_cms_but_not_the_backoffice(client, communication):
    client.force_login(communication)
    assert client.get("/cms/").status_code == 200
    response = client.get("/gestion/")
    assert response.status_code == 302 and response["Location"] == "/gestion/login/?next=/gestion/"


@pytest.mark.django_db
def test_agents_do_not_reach_the_cms(client, agent):
    client.force_login(agent)
    response = client.get("/cms/")
    assert response.status_code == 302 and "/cms/login/" in response["Location"]


@pytest.mark.django_db
def test_communication_edits_and_publishes_service_pages_directly(client, communication, demo_site):
    client.force_login(communication)
    service = ServicePage.objects.get(slug="mercredis")
    response = client.get(f"/cms/pages/{service.pk}/edit/")
    assert response.status_code == 200
    assert 'name="action-publish"' in response.content.decode()


@pytest.mark.django_db
def test_a_news_item_goes_through_the_workflow(client, communication, town_admin, demo_site):
    index = demo_site["news_index"]
    client.force_login(communication)
    add_url = f"/cms/pages/add/cms/newspage/{index.pk}/"
    form = client.get(add_url).content.decode()
    assert 'name="action-publish"' not in form
    assert 'name="action-submit"' in form

    # Publishing directly is refused, even by a hand-made request.
    client.post(add_url, _news_form("action-publish"))
    assert not NewsPage.objects.filter(slug="fermeture-11-decembre").exists()

    # Submitting to the workflow creates a draft waiting for approval.
    response = client.post(add_url, _news_form("action-submit"))
    assert response.status_code == 302
    news = NewsPage.objects.get(slug="fermeture-11-decembre")
    assert not news.live
    state = news.current_workflow_state
    assert state is not None and state.workflow.name == "Validation des actualités"
    assert "Fermeture exceptionnelle" not in Client().get(news.get_parent().url).content.decode()

    # An administrator approves: the news is published.
    client.force_login(town_admin)
    task_state = state.current_task_state
    approve = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(news.pk, "approve", task_state.pk)),
        {"comment": "OK"},
    )
    assert approve.status_code == 302 and approve["Location"] == f"/cms/pages/{news.pk}/edit/"
    news.refresh_from_db()
    assert news.live
    assert "Fermeture exceptionnelle le 11 décembre" in Client().get("/actualites/").content.decode()


@pytest.mark.django_db
def test_document_of_a_disallowed_type_is_refused(client, communication):
    client.force_login(communication)
    response = client.post(
        "/cms/documents/add/",
        {
            "title": "Programme",
            "collection": 1,
            "file": SimpleUploadedFile(
                "programme.exe", b"MZ\x90\x00", content_type="application/octet-stream"
            ),
        },
    )
    assert response.status_code == 200
    assert not Document.objects.filter(title="Programme").exists()
    assert "extension" in response.content.decode().lower()


@pytest.mark.django_db
def test_documents_page_groups_files_with_type_and_size_and_serves_pdf(client, demo_site):
    html = client.get("/documents/").content.decode()
    for heading in ("Règlements intérieurs", "Dossiers d&#x27;inscription", "Tarifs", "Menus"):
        assert heading in html
    assert re.search(r'<span class="doc-meta">PDF, \d+,\d\sKio</span>', html)
    document = Document.objects.get(title="Tarifs 2026-2027")
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_demo_is_complete_and_idempotent(demo_site, today):
    from cms.demo import seed_cms_demo
    from cms.models import MenuWeek, ProgrammePage

    counts = (Page.objects.count(), Document.objects.count(), MenuWeek.objects.count())
    seed_cms_demo(today=today)
    assert (Page.objects.count(), Document.objects.count(), MenuWeek.objects.count()) == counts
    assert NewsPage.objects.live().count() == 12
    assert ServicePage.objects.live().count() == 5
    assert ProgrammePage.objects.live().count() == 2
    assert MenuWeek.objects.count() == 8
    assert all(week.dishes.count() == 30 for week in MenuWeek.objects.all())


@pytest.mark.django_db
def test_communication_opens_the_editor_of_every_page(client, communication, demo_site):
    client.force_login(communication)
    for page in Page.objects.filter(depth__gte=2):
        assert client.get(f"/cms/pages/{page.pk}/edit/").status_code == 200, page.url_path
    for url in (
        "/cms/snippets/cms/menulabel/",
        "/cms/snippets/cms/newscategory/",
        "/cms/documents/",
        "/cms/images/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_news_approver_from_communication_publishes_by_approving(client, communication, demo_site):
    from django.contrib.auth.models import Group

    from tests.factories import StaffUserFactory

    lead = StaffUserFactory(email="responsable.communication@mairie.exemple.fr", is_staff=False)
    lead.groups.add(
        Group.objects.get(name="Communication"), Group.objects.get(name="Validation des actualités")
    )
    index = demo_site["news_index"]
    client.force_login(communication)
    client.post(f"/cms/pages/add/cms/newspage/{index.pk}/", _news_form("action-submit"))
    news = NewsPage.objects.get(slug="fermeture-11-decembre")
    client.force_login(lead)
    assert client.get("/cms/").status_code == 200
    task_state = news.current_workflow_state.current_task_state
    client.post(reverse("wagtailadmin_pages:workflow_action", args=(news.pk, "approve", task_state.pk)), {})
    news.refresh_from_db()
    assert news.live
