"""API errors are 4xx with French messages, never a 500 for bad input."""

from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        # Deleting an activity that still has inscriptions, a class level still given to children…
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        related = sorted({str(obj._meta.verbose_name_plural) for obj in list(blocking)[:50]})
        return Response(
            {
                "detail": _("Suppression impossible : des données en dépendent (%(what)s).")
                % {"what": ", ".join(related)}
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        # A race past validation (two clients creating the same row): report it as a conflict of data.
        return Response(
            {
                "detail": _(
                    "Cette opération contredit des données existantes (doublon ou référence invalide)."
                )
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, OverflowError | DataError):
        # A number too big for the database (`?schools=99999999999999999999`) reached a query: SQLite raises
        # OverflowError, PostgreSQL DataError. Input the client sent, so a 400 rather than a 500.
        return Response(
            {
                "detail": _(
                    "Une valeur envoyée est hors des limites acceptées (nombre trop grand ou date invalide)."
                )
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
