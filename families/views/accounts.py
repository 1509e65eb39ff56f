"""Accounts: « Créer mon espace », activation, clé famille, « Inscrivez-vous », password and email changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.forms import (
    AccountRequestForm,
    EmailChangeForm,
    FamilyKeyForm,
    PortalPasswordResetForm,
    SignupForm,
)
from families.selectors import family_for_user
from families.services import accounts

from .auth import PENDING_ACTIVATION_SESSION_KEY
from .common import family_required, resolve_family


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_http_methods(["GET", "POST"])
def signup(request):
    if "self" not in settings.PORTAIL_SIGNUP_MODES:
        raise Http404
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accounts.account_signup(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            base_url=_base_url(request),
        )
        return render(
            request,
            "portal/signup_done.html",
            {"email": data["email"], "hours": settings.PORTAIL_ACTIVATION_HOURS},
        )
    return render(request, "portal/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def activate(request, uidb64: str, token: str):
    """The emailed link: activates the account; accounts created by staff choose their password first."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not accounts.activation_token.check_token(user, token):
        return render(request, "portal/activation_invalid.html", status=400)
    if user.has_usable_password():
        accounts.account_activate(user=user)
        messages.success(request, _("Votre compte est activé. Connectez-vous pour accéder à votre espace."))
        return redirect("portal:login")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.account_activate(user=user, password=form.cleaned_data["new_password1"])
        messages.success(
            request, _("Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.")
        )
        return redirect("portal:login")
    return render(request, "portal/activation_password.html", {"form": form, "account": user})


@require_http_methods(["POST"])
def activation_resend(request):
    """« Renvoyer le lien d'activation », offered by the login page once the password of a pending account was right.

    The account comes from the session, never from a typed address: nobody can probe which addresses exist.
    """
    User = get_user_model()
    user_id = request.session.pop(PENDING_ACTIVATION_SESSION_KEY, None)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None or not accounts.account_activation_resend(user=user, base_url=_base_url(request)):
        messages.info(request, _("Connectez-vous avec votre adresse e-mail et votre mot de passe."))
        return redirect("portal:login")
    return render(
        request, "portal/signup_done.html", {"email": user.email, "hours": settings.PORTAIL_ACTIVATION_HOURS}
    )


@login_required
@require_http_methods(["GET", "POST"])
def attach(request):
    """Enter the clé famille to see the family's dossier."""
    if family_for_user(user=request.user) is not None:
        return redirect("portal:home")
    form = FamilyKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family = accounts.family_key_attach(
                user=request.user,
                key=form.cleaned_data["key"],
                civility=form.cleaned_data["civility"],
                relationship=form.cleaned_data["relationship"],
            )
        except ValidationError as exc:
            form.add_error("key", exc)
        else:
            messages.success(
                request, _("Votre compte est rattaché au dossier %(code)s.") % {"code": family.code}
            )
            return redirect("portal:home")
    return render(request, "portal/attach.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account_request(request):
    """« Inscrivez-vous » : a family the service does not know yet asks for a dossier."""
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.account_request_submit(data=form.cleaned_data)
        return render(request, "portal/account_request_done.html")
    return render(request, "portal/account_request.html", {"form": form})


@family_required
def account(request):
    from families.models import CalendarFeed, Guardian

    return render(request, "portal/account.html", {
        # Rappels de réservation (opt-out) and the calendar subscription (abonnement iCal), see views/agenda.py.
        "guardian": Guardian.objects.filter(user=request.user, family=request.family).first(),
        "calendar_feed": CalendarFeed.objects.filter(family=request.family).first(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.email_change_request(
                user=request.user, new_email=form.cleaned_data["new_email"], base_url=_base_url(request)
            )
        except ValidationError as exc:
            form.add_error("new_email", exc)
        else:
            messages.success(
                request,
                _(
                    "Un lien de confirmation a été envoyé à %(email)s. La nouvelle adresse sera "
                    "utilisée dès que vous l'aurez confirmée."
                )
                % {"email": form.cleaned_data["new_email"]},
            )
            return redirect("portal:account")
    return render(request, "portal/email_change.html", {"form": form})


def email_change_confirm(request, token: str):
    try:
        user = accounts.email_change_confirm(token=token)
    except ValidationError as exc:
        return render(request, "portal/email_change_invalid.html", {"error": exc.messages[0]}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    messages.success(request, _("Votre adresse e-mail est maintenant %(email)s.") % {"email": user.email})
    return redirect("portal:account" if request.user.is_authenticated else "portal:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:account")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        family, guichet = resolve_family(self.request)
        self.request.family, self.request.guichet = family, guichet
        return ctx


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


def guichet_leave(request):
    """An agent leaves the guichet mode and goes back to the family's dossier in the back-office."""
    from .common import GUICHET_SESSION_KEY

    family_id = request.session.pop(GUICHET_SESSION_KEY, None)
    if family_id and request.user.is_staff:
        return redirect(reverse("admin:families_family_change", args=[family_id]))
    return redirect("portal:home")
