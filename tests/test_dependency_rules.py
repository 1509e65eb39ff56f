"""Dependencies point one way: the domain (families, billing) never imports the public site (cms, wagtail)."""

import ast
from pathlib import Path

import pytest

from backoffice import town

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ("families", "billing")
FORBIDDEN = ("cms", "wagtail", "api")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in (
                "import_module",
                "__import__",
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_domain_imports_nothing_from_the_public_site_or_the_api():
    offending = []
    for package in DOMAIN:
        for path in sorted((ROOT / package).rglob("*.py")):
            for lineno, module in _imports(path):
                if module.split(".")[0] in FORBIDDEN:
                    offending.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert offending == []


def test_the_checker_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from wagtail.models import Site\n    import cms.demo\n")
    assert _imports(source) == [(2, "wagtail.models"), (3, "cms.demo")]


@pytest.mark.django_db
def test_town_identity_without_any_editing_app_comes_from_django_settings(settings):
    settings.PORTAIL_TOWN_NAME = "Ville de Méry-sur-Oise"
    settings.PORTAIL_CONTACT_PHONE = "01 34 64 85 00"
    sources, town._sources[:] = list(town._sources), []
    try:
        identity = town.town_identity()
    finally:
        town._sources[:] = sources
    assert identity["town_name"] == "Ville de Méry-sur-Oise"
    assert identity["contact_phone"] == "01 34 64 85 00"
    assert identity["logo_url"] == ""
