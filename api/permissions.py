"""Staff API access: an active staff account holding the model permission for the action."""

from rest_framework.permissions import DjangoModelPermissions


class StaffModelPermissions(DjangoModelPermissions):
    # Reading needs the `view` permission too: a parent account (no permission at all) sees nothing.
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        action_map = getattr(view, "action_map", None)
        if (
            action_map is not None
            and request.method.lower() not in action_map
            and request.method != "OPTIONS"
        ):
            # A write the declaration does not allow: let the view answer 405 to staff, whatever their role.
            return True
        return super().has_permission(request, view)
