"""Authentication by email, case-insensitive (parents type their address however they like).

One identifier rule everywhere: the login typed in the portal, the admin, or sent by an API script (Basic auth) is
stripped and lowercased before it is looked up *and* before django-axes counts failures, so `X@…`, `x@DOMAIN` or
` x@… ` share the one lockout of `x@…`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalize_login(login: str | None) -> str:
    """The canonical form of a login (email or username): no surrounding spaces, all lowercase."""
    return (login or "").strip().lower()


def axes_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalised login, whichever way it came in.

    The portal and admin forms post `username`; DRF's Basic auth calls `authenticate(email=…)` (the
    USERNAME_FIELD), which axes would otherwise record as `None`, one shared lockout for every API client of an IP.
    """
    login = None
    if credentials:
        login = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    if login is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", None)
        login = data.get("username") if hasattr(data, "get") else None  # a JSON body may be a list
    return normalize_login(login) or None


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        login = normalize_login(username or kwargs.get(User.USERNAME_FIELD))
        if not login or password is None:
            return None
        user = User.objects.filter(email__iexact=login).first()
        if user is None and "@" not in login:
            user = User.objects.filter(username__iexact=login).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle on unknown emails
            return None
        if not user.check_password(password):
            return None
        if self.user_can_authenticate(user):
            return user
        if request is not None and user.last_login is None:
            # The right password on an account never activated: the login form says so (and only then).
            request.portal_inactive_user = user
        return None
