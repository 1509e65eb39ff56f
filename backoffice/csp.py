"""Content-Security-Policy middleware: django-csp's, with the one exception Wagtail's admin still needs.

The policy itself is `CONTENT_SECURITY_POLICY` in settings: scripts from our origin or with the request's nonce.
Wagtail 8's admin (/cms/) still writes inline scripts in its date and time widgets and its inline panels, and
runs the scripts of HTML fragments it loads (page listing filters, choosers) without a nonce; there, and only
there, inline scripts are allowed. Every other surface (public site, portal, /gestion/, /api/docs/) stays strict."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

# Wagtail's admin, mounted at /cms/ in backoffice/urls.py.
WAGTAIL_ADMIN_PREFIX = "/cms/"


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(WAGTAIL_ADMIN_PREFIX):
            # No nonce in this list: a nonce makes browsers ignore 'unsafe-inline'.
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts
