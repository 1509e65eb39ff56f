"""What the staff screens share: the admin-site wrapper and a permission check."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied


def staff_view(*permissions: str):
    """Wrap a view in the back-office login (`admin_view`) and require any of `permissions`."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not any(request.user.has_perm(p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        from backoffice.admin import site

        return site.admin_view(checked)

    return decorator


def admin_context(request, **extra) -> dict:
    from backoffice.admin import site

    return {**site.each_context(request), **extra}
