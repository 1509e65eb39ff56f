"""Portal login and logout. Login is by email; "Se rappeler de moi" keeps the session for 30 days."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.auth import normalize_login

REMEMBER_ME_SECONDS = 30 * 24 * 3600
# The account that just proved its password but was never activated: the only one « renvoyer le lien » may serve.
PENDING_ACTIVATION_SESSION_KEY = "portal:pending-activation"


class PortalLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Adresse e-mail ou nom d'utilisateur"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    remember_me = forms.BooleanField(label=_("Se rappeler de moi"), required=False)

    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent "
            "pour le mot de passe)."
        ),
        "inactive": _(
            "Votre compte n'est pas encore activé : ouvrez le lien d'activation reçu par e-mail, ou "
            "demandez-en un nouveau ci-dessous."
        ),
    }

    def clean_username(self):
        # One spelling per account, for the lookup and for the lockout counter alike.
        return normalize_login(self.cleaned_data.get("username"))

    @property
    def pending_activation_user(self):
        """Set by the email backend only when the password was right: safe to tell the account is not active."""
        return getattr(self.request, "portal_inactive_user", None)

    def get_invalid_login_error(self):
        if self.pending_activation_user is not None:
            return ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    form_class = PortalLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from families.services.emails import town_context

        town = town_context()
        return super().get_context_data(
            signup_modes=settings.PORTAIL_SIGNUP_MODES,
            contact_phone=town["contact_phone"],
            contact_email=town["contact_email"],
            **kwargs,
        )

    def form_invalid(self, form):
        pending = form.pending_activation_user
        if pending is not None:
            self.request.session[PENDING_ACTIVATION_SESSION_KEY] = pending.pk
        else:
            self.request.session.pop(PENDING_ACTIVATION_SESSION_KEY, None)
        return self.render_to_response(
            self.get_context_data(form=form, pending_activation=pending is not None)
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        # Without "Se rappeler de moi" the session ends with the browser.
        self.request.session.set_expiry(REMEMBER_ME_SECONDS if form.cleaned_data.get("remember_me") else 0)
        return response


class PortalLogoutView(auth_views.LogoutView):
    next_page = "/"
