"""Mon accueil: the family at a glance."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from families.selectors import family_children, family_for_user


@login_required
def portal_home(request):
    family = family_for_user(user=request.user)
    children = list(family_children(family=family)) if family else []
    return render(request, "portal/home.html", {"family": family, "children": children})
