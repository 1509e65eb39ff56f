"""Portal fixtures: logged-in parents of the small town, sample files, a busy family for query counts."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from families.models import Conversation, Message
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

BACKEND = "backoffice.auth.EmailBackend"

# Smallest valid files of each accepted kind, by content.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def pdf_file(name="avis.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_file(name="photo.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def exe_file(name="facture.pdf"):
    return SimpleUploadedFile(name, EXE_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def emails_sent_at_once(monkeypatch):
    """Unit tests run inside a transaction that never commits: send portal emails at once."""
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())


@pytest.fixture(autouse=True)
def fresh_cache():
    """The key-attempt counter lives in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def martin_client(client, small_town):
    client.force_login(small_town["martin_parent"].user, backend=BACKEND)
    return client


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent, backend=BACKEND)
    return client


@pytest.fixture
def busy_family(db, agent):
    """A family with 4 children and 200 messages in 10 conversations, half of them from the service."""
    family = FamilyFactory(name="NOMBREUSE Famille")
    parent = GuardianFactory(family=family, user=UserFactory(email="nombreuse@exemple.fr"))
    for i, first in enumerate(["Anna", "Basile", "Céleste", "Dorian"]):
        ChildFactory(family=family, first_name=first, birth_date=date(2015 + i, 1, 10))
    for c in range(10):
        conversation = Conversation.objects.create(family=family, subject=f"Sujet {c}", created_by=agent)
        Message.objects.bulk_create(
            [
                Message(
                    conversation=conversation,
                    author=agent if i % 2 else parent.user,
                    from_staff=bool(i % 2),
                    body=f"Message {i}",
                )
                for i in range(20)
            ]
        )
    return {"family": family, "parent": parent}


def read_link(body: str, marker: str) -> str:
    """The first URL in an email body containing `marker`."""
    for word in io.StringIO(body).read().split():
        if marker in word and word.startswith("http"):
            return word
    raise AssertionError(f"pas de lien {marker} dans : {body}")
