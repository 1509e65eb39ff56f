"""Portal login and logout. Login is by email; "Se rappeler de moi" keeps the session for 30 days."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

REMEMBER_ME_SECONDS = 30 * 24 * 3600


class PortalLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Adresse e-mail ou nom d'utilisateur"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    remember_me = forms.BooleanField(label=_("Se rappeler de moi"), required=False)

    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent "
                           "pour le mot de passe)."),
        "inactive": _("Ce compte n'est pas encore activé."),
    }


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    form_class = PortalLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.conf import settings

        from families.services.emails import town_context

        town = town_context()
        return super().get_context_data(
            signup_modes=settings.PORTAIL_SIGNUP_MODES, contact_phone=town["contact_phone"],
            contact_email=town["contact_email"], **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # Without "Se rappeler de moi" the session ends with the browser.
        self.request.session.set_expiry(REMEMBER_ME_SECONDS if form.cleaned_data.get("remember_me") else 0)
        return response


class PortalLogoutView(auth_views.LogoutView):
    next_page = "/"
