"""The family dossier: foyer, responsables légaux, enfants (fiche sanitaire), vaccinations and entourage."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length, Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from families.validators import validate_not_future, validate_phone, validate_postcode

from .catalogue import ClassLevel, School


class Family(models.Model):
    """A foyer: the unit that enrols, books and pays. Known to staff and parents by its code (F-000123)."""

    class Regime(models.TextChoices):
        CAF = "caf", _("CAF")
        MSA = "msa", _("MSA")
        OTHER = "autre", _("Autre régime")
        NONE = "aucun", _("Non allocataire")

    code = models.CharField(
        _("code famille"),
        max_length=12,
        unique=True,
        blank=True,
        help_text=_("Attribué automatiquement (F-000123) si laissé vide."),
    )
    name = models.CharField(
        _("nom du foyer"), max_length=150, help_text=_("Ex. « DUPONT Martin et Claire ».")
    )
    address_line1 = models.CharField(_("adresse"), max_length=200)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, validators=[validate_postcode])
    commune = models.CharField(_("commune"), max_length=100)
    allocataire_regime = models.CharField(
        _("régime d'allocations"), max_length=8, choices=Regime.choices, default=Regime.CAF
    )
    allocataire_number = models.CharField(_("numéro d'allocataire CAF/MSA"), max_length=20, blank=True)
    paperless_invoices = models.BooleanField(
        _("facture dématérialisée"), default=False, help_text=_("La famille reçoit ses factures par e-mail.")
    )
    notes = models.TextField(_("notes du service"), blank=True)
    is_active = models.BooleanField(_("dossier actif"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("famille")
        verbose_name_plural = _("familles")
        ordering = ["name", "code"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["commune"])]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if not self.code:
                # Taken before the first INSERT, in the same transaction: the first history row shows the real code.
                self.code = self.code_for(FamilyCodeCounter.take_next())
            super().save(*args, **kwargs)

    @staticmethod
    def code_for(number: int) -> str:
        return f"F-{number:06d}"

    @classmethod
    def highest_code_number(cls) -> int:
        """The largest number among codes shaped like F-000123 (typed by staff, imported or attributed)."""
        code = (
            cls.objects.filter(code__regex=r"^F-[0-9]+$")
            .order_by(Length("code").desc(), "-code")
            .values_list("code", flat=True)
            .first()
        )
        return int(code[2:]) if code else 0

    def natural_key(self):
        return (self.code,)


class FamilyCodeCounter(models.Model):
    """The last number given to a family code. One row, locked while a code is taken, so two agents creating
    families at the same moment never get the same code, and a rolled-back creation gives its number back."""

    KEY = "family"

    key = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur des codes famille")
        verbose_name_plural = _("compteurs des codes famille")
        default_permissions = ()

    def __str__(self):
        return f"{self.key}: {self.last}"

    @classmethod
    def take_next(cls) -> int:
        """The next free code number; call inside a transaction (the row stays locked until it ends)."""
        counter = cls.objects.select_for_update().filter(key=cls.KEY).first()
        if counter is None:
            try:
                with transaction.atomic():
                    cls.objects.create(key=cls.KEY, last=Family.highest_code_number())
            except IntegrityError:
                pass  # another transaction created it first: lock theirs
            counter = cls.objects.select_for_update().get(key=cls.KEY)
        number = counter.last + 1
        if Family.objects.filter(code=Family.code_for(number)).exists():
            # Codes typed or imported by staff (or bulk-created) went past the counter: jump over them once.
            number = max(number, Family.highest_code_number() + 1)
        counter.last = number
        counter.save(update_fields=["last"])
        return number


class Civility(models.TextChoices):
    MME = "mme", _("Madame")
    M = "m", _("Monsieur")


class Guardian(models.Model):
    """A responsable légal of the family; may be linked to a portal account."""

    class Relationship(models.TextChoices):
        MOTHER = "mere", _("Mère")
        FATHER = "pere", _("Père")
        TUTOR = "tuteur", _("Tuteur / tutrice")
        OTHER = "autre", _("Autre responsable légal")

    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="guardians"
    )
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    relationship = models.CharField(
        _("lien avec l'enfant"), max_length=8, choices=Relationship.choices, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone_mobile = models.CharField(
        _("téléphone portable"), max_length=20, blank=True, validators=[validate_phone]
    )
    phone_home = models.CharField(
        _("téléphone domicile"), max_length=20, blank=True, validators=[validate_phone]
    )
    phone_work = models.CharField(
        _("téléphone professionnel"), max_length=20, blank=True, validators=[validate_phone]
    )
    employer = models.CharField(_("employeur"), max_length=150, blank=True)
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    reminders_opt_out = models.BooleanField(
        _("ne pas recevoir les rappels de réservation"), default=False
    )
    is_billing_contact = models.BooleanField(_("payeur (destinataire des factures)"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte du portail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsable légal")
        verbose_name_plural = _("responsables légaux")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="guardian_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=_("Un responsable légal utilise déjà cette adresse e-mail."),
            ),
        ]

    def __str__(self):
        return f"{self.get_civility_display()} {self.first_name} {self.last_name.upper()}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"


class Diet(models.TextChoices):
    CLASSIQUE = "classique", _("Classique")
    VEGETARIEN = "vegetarien", _("Végétarien")
    SANS_PORC = "sans_porc", _("Sans porc")


class Allergen(models.Model):
    """One of the 14 allergens regulated by EU regulation 1169/2011 (annexe II), seeded by a data migration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=80)
    rank = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("allergène")
        verbose_name_plural = _("allergènes")
        ordering = ["rank", "label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.code,)


class Child(models.Model):
    """An enfant and the fiche sanitaire that staff who look after them need."""

    class Sex(models.TextChoices):
        F = "f", _("Fille")
        M = "m", _("Garçon")

    # PROTECT: a child with inscriptions (and soon bookings and invoices) is history; the family is archived
    # (is_active) rather than deleted.
    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="children"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date de naissance"), validators=[validate_not_future])
    school = models.ForeignKey(
        School,
        verbose_name=_("école"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    class_level = models.ForeignKey(
        ClassLevel,
        verbose_name=_("classe"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Fiche sanitaire
    diet = models.CharField(
        _("régime alimentaire"), max_length=12, choices=Diet.choices, default=Diet.CLASSIQUE
    )
    allergens = models.ManyToManyField(
        Allergen, verbose_name=_("allergies (14 allergènes réglementaires)"), blank=True
    )
    allergies_other = models.TextField(_("autres allergies ou intolérances"), blank=True)
    has_pai = models.BooleanField(_("PAI (projet d'accueil individualisé)"), default=False)
    pai_details = models.TextField(_("détails du PAI"), blank=True)
    health_notes = models.TextField(_("informations médicales utiles"), blank=True)
    doctor_name = models.CharField(_("médecin traitant"), max_length=150, blank=True)
    doctor_phone = models.CharField(
        _("téléphone du médecin"), max_length=20, blank=True, validators=[validate_phone]
    )
    image_rights = models.BooleanField(_("droit à l'image"), default=False)
    may_leave_alone = models.BooleanField(_("autorisé(e) à partir seul(e)"), default=False)
    health_form_confirmed_on = models.DateField(
        _("fiche sanitaire confirmée le"),
        null=True,
        blank=True,
        help_text=_("La fiche doit être relue et confirmée chaque année scolaire avant toute réservation."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[allergens])

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["family", "birth_date", "first_name"]
        # RGPD art. 9: the fiche sanitaire, vaccinations and medical documents (families/health.py).
        permissions = [("view_child_health", _("Voir les données de santé des enfants"))]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def full_name(self) -> str:
        return str(self)


class Vaccine(models.TextChoices):
    DTP = "dtp", _("Diphtérie, tétanos, poliomyélite (DTP)")
    COQUELUCHE = "coqueluche", _("Coqueluche")
    HIB = "hib", _("Haemophilus influenzae b")
    HEPATITE_B = "hepatite_b", _("Hépatite B")
    PNEUMOCOQUE = "pneumocoque", _("Pneumocoque")
    MENINGOCOQUE_C = "meningocoque_c", _("Méningocoque C")
    MENINGOCOQUE_B = "meningocoque_b", _("Méningocoque B")
    ROR = "ror", _("Rougeole, oreillons, rubéole (ROR)")
    BCG = "bcg", _("BCG (tuberculose)")
    OTHER = "autre", _("Autre vaccin")


class Vaccination(models.Model):
    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="vaccinations"
    )
    vaccine = models.CharField(_("vaccin"), max_length=20, choices=Vaccine.choices)
    date = models.DateField(_("date"), validators=[validate_not_future])
    notes = models.CharField(_("remarque"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccinations")
        ordering = ["child", "vaccine", "date"]

    def __str__(self):
        return f"{self.get_vaccine_display()} — {self.date:%d/%m/%Y}"


class Contact(models.Model):
    """Entourage: a person allowed to pick children up and/or to call in an emergency."""

    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    relationship = models.CharField(
        _("lien avec la famille"), max_length=60, help_text=_("Ex. grand-mère, voisin.")
    )
    phone = models.CharField(_("téléphone"), max_length=20, validators=[validate_phone])
    phone_other = models.CharField(
        _("autre téléphone"), max_length=20, blank=True, validators=[validate_phone]
    )
    may_pick_up = models.BooleanField(_("autorisé(e) à récupérer l'enfant"), default=True)
    is_emergency = models.BooleanField(_("à prévenir en cas d'urgence"), default=False)
    children = models.ManyToManyField(
        Child,
        verbose_name=_("enfants concernés"),
        blank=True,
        related_name="contacts",
        help_text=_("Vide : tous les enfants de la famille."),
    )
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        verbose_name = _("contact (entourage)")
        verbose_name_plural = _("contacts (entourage)")
        ordering = ["family", "last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()} ({self.relationship})"
