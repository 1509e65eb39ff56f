"""Mon accueil: the family at a glance, what needs action, recent démarches."""

from django.shortcuts import render
from django.utils import timezone

from families.selectors import family_change_requests, family_children, family_documents, family_todo
from families.selectors_agenda import family_agenda

from .common import family_required


@family_required
def portal_home(request):
    family = request.family
    today = timezone.localdate()
    children = list(family_children(family=family, with_enrolments=True))
    documents = list(family_documents(family=family)[:50])
    return render(request, "portal/home.html", {
        "family": family,
        "children": children,
        "todo": family_todo(family=family, children=children, documents=documents, unread=request.portal_unread,
                            today=today),
        "change_requests": list(family_change_requests(family=family, limit=8)),
        "agenda": family_agenda(family=family, today=today),
    })
