"""Portal accounts: sign-up and activation, staff-created accounts, family keys (clé famille), email change."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from backoffice.models import Attempt
from families.models import AccountRequest, Family, FamilyAccessKey, Guardian

from .emails import email_send

KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: keys are read aloud and typed from paper
KEY_LENGTH = 12
KEY_ATTEMPTS_PER_HOUR = 10
KEY_ATTEMPT_SCOPE = "family-key"
KEY_ATTEMPT_WINDOW = timedelta(hours=1)
EMAIL_CHANGE_SALT = "portal.email-change"


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Activation link token: valid PORTAIL_ACTIVATION_HOURS (48 h) and single use.

    The hash covers `is_active` and the password, which both change on activation, so a used link is dead.
    """

    key_salt = "families.services.accounts.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"

    def check_token(self, user, token):
        # Django checks the signature (and its own, longer, timeout); the link's 48 h are checked here.
        if not super().check_token(user, token):
            return False
        try:
            ts = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.PORTAIL_ACTIVATION_HOURS * 3600


activation_token = ActivationTokenGenerator()


class InvalidFamilyKey(ValidationError):
    pass


def _activation_url(*, user, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("portal:activate", kwargs={"uidb64": uid, "token": activation_token.make_token(user)})
    return f"{base_url}{path}"


def _is_pending(user) -> bool:
    """Created (by the parent or by staff) but never activated nor used."""
    return not user.is_active and user.last_login is None


@transaction.atomic
def account_signup(*, email: str, password: str, first_name: str, last_name: str, base_url: str):
    """« Créer mon espace » : an inactive account and an activation link by email (valid 48 h).

    An address that already has an account is never touched (no new password, no new name): its owner gets a
    reminder, or a fresh activation link when the account is still pending. Every path hashes the password and
    only queues one email, so neither the page nor its timing reveals who is registered.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name, is_active=False
        )
        _activation_send(user=user, base_url=base_url)
        return user
    make_password(password)  # the cost of creating an account, spent for nothing: no timing oracle
    if _is_pending(existing):
        # Whoever typed this address may not own it: the owner's own password (or invitation) stays as it was.
        _activation_send(user=existing, base_url=base_url, reminder=True)
    else:
        email_send(
            to=existing.email,
            template="account_exists",
            context={
                "user": existing,
                "login_url": f"{base_url}{reverse('portal:login')}",
                "reset_url": f"{base_url}{reverse('portal:password_reset')}",
            },
        )
    return None


def _activation_send(*, user, base_url: str, reminder: bool = False) -> None:
    guardian = Guardian.objects.select_related("family").filter(user=user).first()
    email_send(
        to=user.email,
        template="activation",
        context={
            "user": user,
            "activation_url": _activation_url(user=user, base_url=base_url),
            "hours": settings.PORTAIL_ACTIVATION_HOURS,
            "sets_password": not user.has_usable_password(),
            "family": guardian.family if guardian else None,
            "reminder": reminder,
        },
    )


@transaction.atomic
def account_activation_resend(*, user, base_url: str) -> bool:
    """A fresh activation link (48 h) for an account still pending; an active account gets nothing."""
    if not _is_pending(user):
        return False
    _activation_send(user=user, base_url=base_url, reminder=True)
    return True


@transaction.atomic
def account_invite(*, guardian: Guardian, by, base_url: str):
    """Staff create the account of a responsable légal; the parent chooses a password through the emailed link."""
    if not guardian.email:
        raise ValidationError(_("Ce responsable légal n'a pas d'adresse e-mail."))
    User = get_user_model()
    user = guardian.user
    if user is None:
        if User.objects.filter(email__iexact=guardian.email).exists():
            raise ValidationError(
                _("Un compte existe déjà avec l'adresse %(email)s.") % {"email": guardian.email}
            )
        user = User.objects.create_user(
            email=guardian.email,
            password=None,
            first_name=guardian.first_name,
            last_name=guardian.last_name,
            is_active=False,
        )
        guardian.user = user
        guardian.save(update_fields=["user"])
    elif user.is_active and user.has_usable_password():
        raise ValidationError(_("%(name)s a déjà un compte actif.") % {"name": guardian.full_name})
    email_send(
        to=user.email,
        template="activation",
        context={
            "user": user,
            "activation_url": _activation_url(user=user, base_url=base_url),
            "hours": settings.PORTAIL_ACTIVATION_HOURS,
            "sets_password": True,
            "family": guardian.family,
        },
    )
    return user


@transaction.atomic
def account_activate(*, user, password: str | None = None):
    """Activate an account from its link; accounts created by staff choose their password here."""
    if password is not None:
        user.set_password(password)
    user.is_active = True
    user.save(update_fields=["is_active", "password"])
    return user


def _normalize_key(key: str) -> str:
    return "".join(ch for ch in key.upper() if ch.isalnum())


def _key_hash(key: str) -> str:
    return hashlib.sha256(_normalize_key(key).encode()).hexdigest()


def format_key(key: str) -> str:
    key = _normalize_key(key)
    return "-".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def family_key_generate(*, family: Family, by) -> str:
    """A new clé famille for the dossier (revoking unused older ones); only its hash is stored, so show it now."""
    now = timezone.now()
    FamilyAccessKey.objects.filter(family=family, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    key = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
    FamilyAccessKey.objects.create(family=family, key_hash=_key_hash(key), hint=key[-4:], created_by=by)
    return format_key(key)


def family_key_attach(*, user, key: str, civility: str, relationship: str = "") -> Family:
    """Attach a portal account to the dossier whose clé famille it presents; the key is then spent.

    Any unknown, used or revoked key gets the same refusal, so a guess reveals nothing about the families; after
    KEY_ATTEMPTS_PER_HOUR wrong keys in an hour the account must wait. The count lives in the database, shared by
    every worker, and is written outside the refused transaction so the rollback does not erase it.
    """
    attempts_key = str(user.pk)
    recent = Attempt.count_recent(scope=KEY_ATTEMPT_SCOPE, key=attempts_key, window=KEY_ATTEMPT_WINDOW)
    if recent >= KEY_ATTEMPTS_PER_HOUR:
        raise InvalidFamilyKey(_("Trop de clés incorrectes. Réessayez dans une heure."), code="too_many")
    try:
        return _family_key_spend(user=user, key=key, civility=civility, relationship=relationship)
    except _UnknownKey:
        Attempt.record(scope=KEY_ATTEMPT_SCOPE, key=attempts_key, window=KEY_ATTEMPT_WINDOW)
        raise _key_refused() from None


class _UnknownKey(Exception):
    pass


def _key_refused() -> InvalidFamilyKey:
    return InvalidFamilyKey(
        _(
            "Cette clé n'est pas valide. Vérifiez votre saisie ou demandez une nouvelle clé au service enfance."
        ),
        code="invalid_key",
    )


@transaction.atomic
def _family_key_spend(*, user, key: str, civility: str, relationship: str) -> Family:
    if Guardian.objects.filter(user=user).exists():
        raise InvalidFamilyKey(
            _("Votre compte est déjà rattaché à un dossier famille."), code="already_attached"
        )
    access = (
        FamilyAccessKey.objects.select_for_update()
        .select_related("family")
        .filter(key_hash=_key_hash(key), used_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if access is None or not access.family.is_active:
        raise _UnknownKey
    family = access.family
    guardian = family.guardians.filter(user__isnull=True, email__iexact=user.email).first()
    if guardian is None:
        email_taken = Guardian.objects.filter(email__iexact=user.email).exists()
        guardian = Guardian(
            family=family,
            civility=civility,
            relationship=relationship,
            first_name=user.first_name,
            last_name=user.last_name,
            email="" if email_taken else user.email,
        )
    guardian.user = user
    try:
        with transaction.atomic():
            guardian.save()
    except IntegrityError:
        raise _key_refused() from None
    access.used_at = timezone.now()
    access.used_by = user
    access.save(update_fields=["used_at", "used_by"])
    return family


def email_change_request(*, user, new_email: str, base_url: str) -> None:
    """Changing the login email: the new address must confirm through a signed link (48 h); the old is told."""
    User = get_user_model()
    new_email = User.objects.normalize_email(new_email)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("Cette adresse e-mail est déjà utilisée par un autre compte."), code="email_taken"
        )
    token = signing.dumps({"user": user.pk, "email": new_email, "old": user.email}, salt=EMAIL_CHANGE_SALT)
    confirm_url = f"{base_url}{reverse('portal:email_change_confirm', kwargs={'token': token})}"
    email_send(
        to=new_email,
        template="email_change",
        context={"user": user, "confirm_url": confirm_url, "new_email": new_email},
    )
    email_send(to=user.email, template="email_change_notice", context={"user": user, "new_email": new_email})


@transaction.atomic
def email_change_confirm(*, token: str):
    """Apply a confirmed email change (the login, and the guardian's email when it was the same address)."""
    try:
        data = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=timedelta(hours=settings.PORTAIL_ACTIVATION_HOURS)
        )
    except signing.BadSignature:
        raise ValidationError(
            _("Ce lien de confirmation n'est pas valide ou a expiré."), code="bad_token"
        ) from None
    User = get_user_model()
    user = User.objects.select_for_update().filter(pk=data["user"], email__iexact=data["old"]).first()
    if user is None:
        raise ValidationError(_("Ce lien de confirmation a déjà été utilisé."), code="used")
    if User.objects.filter(email__iexact=data["email"]).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("Cette adresse e-mail est déjà utilisée par un autre compte."), code="email_taken"
        )
    user.email = data["email"]
    user.save(update_fields=["email"])
    Guardian.objects.filter(user=user, email__iexact=data["old"]).update(email=data["email"])
    return user


@transaction.atomic
def account_request_submit(*, data: dict) -> AccountRequest:
    """« Inscrivez-vous » : store the request for staff and acknowledge it to the family."""
    request = AccountRequest.objects.create(**data)
    email_send(to=request.email, template="account_request_received", context={"request": request})
    email_send(
        to=settings.PORTAIL_CONTACT_EMAIL,
        template="staff_alert",
        context={
            "title": _("Nouvelle demande de compte"),
            "body": _("%(name)s demande la création d'un dossier famille.") % {"name": str(request)},
        },
    )
    return request


@transaction.atomic
def account_request_close(*, request: AccountRequest, by, status: str, notes: str = "") -> AccountRequest:
    """Staff close a pending account request (done or refused); a decision already taken is not rewritten."""
    if request.status != AccountRequest.Status.PENDING:
        raise ValidationError(_("Cette demande de compte a déjà été traitée."))
    request.status = status
    request.handled_by = by
    request.handled_at = timezone.now()
    if notes:
        request.staff_notes = notes
    request.save()
    return request
