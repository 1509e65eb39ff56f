"""Accounts: the custom user model (login by email, username optional) and shared attempt counters."""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(DjangoUserManager):
    """Users are identified by their email; `username` is an optional display handle."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """The whole address lowercased and stripped: one spelling per account, for login and lockout alike."""
        return (email or "").strip().lower()

    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email)
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(username=username or None, email=email, **extra_fields)
        user.password = ""
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def _create_user(self, username, email, password, **extra_fields):
        user = self._create_user_object(username, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, username=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, username=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(username, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))


class User(AbstractUser):
    """A person who logs in: a parent (responsable légal) or a member of staff."""

    username = models.CharField(
        _("nom d'utilisateur"),
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Facultatif. La connexion se fait avec l'adresse e-mail."),
    )
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    # Who changed a role or deactivated an account; secrets are never copied into history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email

    def clean(self):
        super().clean()
        self.email = UserManager.normalize_email(self.email)
        if self.username == "":
            self.username = None

    def save(self, *args, **kwargs):
        # Admin forms, imports and the API all save through here: the stored address is always the normalised one.
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)


class Attempt(models.Model):
    """One failed try at a rate-limited action (a clé famille typed wrong…), counted over a sliding window.

    Kept in the database, not a per-process cache, so the limit holds across every gunicorn worker and machine.
    """

    scope = models.CharField(_("action"), max_length=50)
    key = models.CharField(_("clé"), max_length=255)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("tentative")
        verbose_name_plural = _("tentatives")
        indexes = [models.Index(fields=["scope", "key", "created_at"], name="attempt_scope_key_at")]

    def __str__(self):
        return f"{self.scope}:{self.key} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def count_recent(cls, *, scope: str, key: str, window: timedelta) -> int:
        return cls.objects.filter(scope=scope, key=key, created_at__gte=timezone.now() - window).count()

    @classmethod
    def record(cls, *, scope: str, key: str, window: timedelta) -> None:
        """Count one more failure; tries older than the window are forgotten on the way."""
        now = timezone.now()
        cls.objects.filter(scope=scope, key=key, created_at__lt=now - window).delete()
        cls.objects.create(scope=scope, key=key, created_at=now)
