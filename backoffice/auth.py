"""Authentication by email, case-insensitive (parents type their address however they like)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        login = username or kwargs.get(User.USERNAME_FIELD)
        if not login or password is None:
            return None
        login = login.strip()
        user = User.objects.filter(email__iexact=login).first()
        if user is None:
            user = User.objects.filter(username=login).first() if "@" not in login else None
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle on unknown emails
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
