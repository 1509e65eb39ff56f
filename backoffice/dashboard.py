"""The back-office dashboard registry: the work queues (« À traiter ») each app shows on the /gestion/ index.

The engine knows no domain model: apps register their queues in a `dashboard.py` module (autodiscovered by
BackofficeConfig.ready), e.g.

    dashboard.register(Queue(_("Démarches à traiter"), count=lambda: ChangeRequest.objects.pending().count(),
                             url_name="admin:families_changerequest_changelist", query="status__exact=pending",
                             permission="families.view_changerequest"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Queue:
    """One line of the dashboard: a label, how many items wait, where to see them and who may."""

    label: str
    count: Callable[[], int]
    url_name: str
    permission: str
    query: str = ""
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


_queues: dict[str, Queue] = {}


def register(queue: Queue) -> Queue:
    """Add `queue` to the dashboard; registering the same admin page again replaces it (autoreload-safe)."""
    _queues[f"{queue.url_name}?{queue.query}"] = queue
    return queue


def registered() -> list[Queue]:
    return sorted(_queues.values(), key=lambda queue: queue.order)


def queues_for(user) -> list[dict]:
    """The queues `user` may see, with their current counts, in display order."""
    return [
        {"label": queue.label, "count": queue.count(), "url": queue.url}
        for queue in registered()
        if user.has_perm(queue.permission)
    ]
