"""What the parent portal adds to the dossier: family keys, account requests, démarches, documents and messages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dossier import Child, Family


def private_storage():
    return storages["private"]


def _document_path(instance, filename: str) -> str:
    # The parent's filename is never used on disk: a random name, the extension of the detected type.
    return f"documents/{instance.family_id}/{uuid.uuid4().hex}{_ext(filename)}"


def _attachment_path(instance, filename: str) -> str:
    return f"messages/{instance.conversation.family_id}/{uuid.uuid4().hex}{_ext(filename)}"


def _ext(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot != -1 and len(filename) - dot <= 6 else ""


class FamilyAccessKey(models.Model):
    """A clé famille given by the town: lets one portal account attach itself to the dossier, once."""

    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="access_keys"
    )
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("fin de la clé"), max_length=4, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé famille")
        verbose_name_plural = _("clés famille")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.family.code} …{self.hint}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None


class AccountRequest(models.Model):
    """« Inscrivez-vous » : a family not yet known to the service asks for a dossier and an account."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À traiter")
        DONE = "done", _("Traitée")
        REJECTED = "rejected", _("Refusée")

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    children = models.TextField(_("enfants (prénom, date de naissance, école)"), blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    staff_notes = models.TextField(_("notes du service"), blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande de compte")
        verbose_name_plural = _("demandes de compte")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()} <{self.email}>"


class ChangeRequest(models.Model):
    """A démarche: a change the family asks for, kept as a payload and applied only when staff approve it."""

    class Kind(models.TextChoices):
        COORDINATES = "coordinates", _("Changement de coordonnées")
        NEW_CHILD = "new_child", _("Déclaration d'un nouvel enfant")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")
        APPLIED = "applied", _("Prise en compte")  # applied immediately (town setting), no review needed

    # PROTECT: a démarche is the record of why the dossier changed; it outlives no family but blocks its deletion.
    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("type de démarche"), max_length=16, choices=Kind.choices)
    payload = models.JSONField(_("modifications demandées"), default=dict)
    previous = models.JSONField(_("valeurs précédentes"), default=dict, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("motif de la décision"), blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.family.code}"


class DocumentKind(models.TextChoices):
    TAX_NOTICE = "avis_imposition", _("Avis d'imposition")
    CAF = "attestation_caf", _("Attestation CAF")
    ADDRESS_PROOF = "justificatif_domicile", _("Justificatif de domicile")
    MEDICAL_CERTIFICATE = "certificat_medical", _("Certificat médical")
    PAI = "pai", _("PAI (projet d'accueil individualisé)")
    INSURANCE = "assurance", _("Attestation d'assurance")
    VACCINATION_BOOK = "carnet_vaccination", _("Carnet de vaccination")
    OTHER = "autre", _("Autre justificatif")
    INVOICE = "facture", _("Facture")
    CERTIFICATE = "attestation", _("Attestation")


# What a parent may upload; invoices and attestations are issued by the town.
PARENT_DOCUMENT_KINDS = [
    c for c in DocumentKind.choices if c[0] not in (DocumentKind.INVOICE, DocumentKind.CERTIFICATE)
]


class FamilyDocument(models.Model):
    """A pièce justificative uploaded by the family (reviewed by staff) or a document issued by the town."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En cours de vérification")
        ACCEPTED = "accepted", _("Acceptée")
        REJECTED = "rejected", _("Refusée")
        ISSUED = "issued", _("Émis par le service")

    # PROTECT: pièces justificatives back decisions (quotient familial, justified absences) and issued invoices;
    # a cascade would also leave their files orphaned on disk.
    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="documents"
    )
    child = models.ForeignKey(
        Child,
        verbose_name=_("enfant concerné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("type de document"), max_length=24, choices=DocumentKind.choices)
    title = models.CharField(_("titre"), max_length=150, blank=True)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("nom d'origine"), max_length=150, blank=True)
    content_type = models.CharField(_("type de fichier"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("document de la famille")
        verbose_name_plural = _("documents des familles")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self):
        return self.title or self.get_kind_display()

    def clean(self):
        super().clean()
        self.check_child_in_family()

    def check_child_in_family(self) -> None:
        """A document about a child belongs to that child's family, whoever files it (parent, agent, API)."""
        if self.child_id is not None and self.family_id is not None and self.child.family_id != self.family_id:
            raise ValidationError({"child": _("Cet enfant n'appartient pas à cette famille.")})

    @property
    def is_pending(self) -> bool:
        """Still being checked by the service (the family may withdraw it)."""
        return self.status == self.Status.PENDING

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class Conversation(models.Model):
    """A messagerie thread between one family and the service enfance."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Fermée")

    # PROTECT: the correspondence with the service is part of the family's history.
    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="conversations"
    )
    subject = models.CharField(_("objet"), max_length=150)
    status = models.CharField(_("statut"), max_length=8, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suivie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_message_at = models.DateTimeField(_("dernier message"), null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("messagerie")
        ordering = ["-last_message_at", "-created_at"]

    def __str__(self):
        return self.subject

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Message(models.Model):
    """One message of a conversation; each side has its own read state."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_staff = models.BooleanField(_("envoyé par le service"), default=False)
    body = models.TextField(_("message"))
    attachment = models.FileField(
        _("pièce jointe"), storage=private_storage, upload_to=_attachment_path, max_length=200, blank=True
    )
    attachment_name = models.CharField(_("nom de la pièce jointe"), max_length=150, blank=True)
    attachment_type = models.CharField(_("type de la pièce jointe"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)
    read_by_family_at = models.DateTimeField(_("lu par la famille le"), null=True, blank=True)
    read_by_staff_at = models.DateTimeField(_("lu par le service le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.conversation} — {self.created_at:%d/%m/%Y %H:%M}"


class GuichetActionQuerySet(models.QuerySet):
    def delete(self):
        raise GuichetAction.undeletable(list(self[:50]))


class GuichetAction(models.Model):
    """Journal of what an agent did in a family's portal on their behalf (mode guichet). Append-only: no one,
    not even an administrator, deletes an entry, and neither the family nor the agent can be deleted under it."""

    family = models.ForeignKey(Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=250)
    path = models.CharField(_("page"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    objects = GuichetActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action au guichet")
        verbose_name_plural = _("actions au guichet")
        ordering = ["-created_at"]
        # No delete permission exists to be granted to a role.
        default_permissions = ("add", "change", "view")

    def __str__(self):
        return self.action

    def delete(self, *args, **kwargs):
        raise self.undeletable([self])

    @staticmethod
    def undeletable(objects) -> ProtectedError:
        return ProtectedError(gettext("Le journal du guichet ne peut pas être supprimé."), objects)
