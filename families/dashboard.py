"""What waits for the service enfance on the back-office index: démarches, documents, messages, account requests."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.dashboard import Queue, register
from families.models import AccountRequest, ChangeRequest, Conversation, FamilyDocument

register(
    Queue(
        _("Démarches à traiter"),
        count=lambda: ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count(),
        url_name="admin:families_changerequest_changelist",
        query=f"status__exact={ChangeRequest.Status.PENDING}",
        permission="families.view_changerequest",
        order=10,
    )
)
register(
    Queue(
        _("Documents à vérifier"),
        count=lambda: FamilyDocument.objects.filter(status=FamilyDocument.Status.PENDING).count(),
        url_name="admin:families_familydocument_changelist",
        query=f"status__exact={FamilyDocument.Status.PENDING}",
        permission="families.view_familydocument",
        order=20,
    )
)
register(
    Queue(
        _("Conversations avec messages non lus"),
        count=lambda: (
            Conversation.objects.filter(
                Q(messages__from_staff=False, messages__read_by_staff_at__isnull=True)
            )
            .distinct()
            .count()
        ),
        url_name="admin:families_conversation_changelist",
        query=f"status__exact={Conversation.Status.OPEN}",
        permission="families.view_conversation",
        order=30,
    )
)
register(
    Queue(
        _("Demandes de compte"),
        count=lambda: AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).count(),
        url_name="admin:families_accountrequest_changelist",
        query=f"status__exact={AccountRequest.Status.PENDING}",
        permission="families.view_accountrequest",
        order=40,
    )
)


# --- Roll call (appel): days whose appel is not clôturé by 19:00 -----------------------------------------------


def _rollcalls_pending_count() -> int:
    from families.selectors_staff import rollcalls_pending_count

    return rollcalls_pending_count()


register(
    Queue(
        _("Appels non clôturés"),
        count=_rollcalls_pending_count,
        url_name="staff:rollcalls_open",
        permission="families.change_rollcall",
        order=50,
    )
)


def _rollcalls_today_count() -> int:
    from families.selectors_staff import rollcalls_today_open_count

    return rollcalls_today_open_count()


register(
    Queue(
        _("Appels du jour à faire"),
        count=_rollcalls_today_count,
        url_name="staff:rollcall",
        permission="families.take_roll_call",
        order=45,
    )
)
# Absences (justifier une absence): certificates waiting for a decision.
from families.models import Absence  # noqa: E402

register(
    Queue(
        _("Absences à justifier"),
        count=lambda: Absence.objects.filter(status=Absence.Status.PENDING).count(),
        url_name="admin:families_absence_changelist",
        query=f"status__exact={Absence.Status.PENDING}",
        permission="families.view_absence",
        order=50,
    )
)
