"""The OpenAPI schema validates without warnings and only describes /api/."""

from django.core.management import call_command


def test_schema_validates(tmp_path, db):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/families/" in text
    assert "/cms/" not in text


def test_api_docs_are_served_without_a_cdn(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr" not in page
