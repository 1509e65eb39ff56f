"""API authentication: HTTP Basic for staff scripts, under the same django-axes lockout as the portal and admin."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions, status


class AccountLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _(
        "Compte temporairement bloqué après trop de tentatives de connexion. Réessayez dans 15 minutes."
    )
    default_code = "locked"


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's Basic auth, saying 429 « bloqué » (as the portal does) instead of a bare refusal for a locked account.

    The lockout itself is django-axes' (AxesStandaloneBackend + AXES_USERNAME_CALLABLE): the account is counted under
    its normalised address whichever door it knocks on.
    """

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                raise AccountLocked from None
            raise


class BasicAuthenticationScheme(BasicScheme):
    """OpenAPI: the same `basicAuth` security scheme as DRF's own class."""

    target_class = "api.authentication.BasicAuthentication"
