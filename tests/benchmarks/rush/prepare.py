"""Run with `manage.py shell` on the rush database (after `seed_demo --families N`): enrol every child in the
périscolaire, confirm the fiches sanitaires, give CLIENTS families a parent account, pick the contested days.
Prints one JSON line: the clients (email, child), the contested unit and days."""

import json
import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from families.models import Activity, ActivityKind, Booking, Child, Enrolment, Guardian
from families.services.deadlines import BookingAction, booking_deadline
from families.services.opening import activity_open_days

CLIENTS = int(os.environ["RUSH_CLIENTS"])
PASSWORD = os.environ["RUSH_PASSWORD"]
now = timezone.now()
periscolaire = Activity.objects.get(kind=ActivityKind.PERISCOLAIRE)
canteen = Activity.objects.get(kind=ActivityKind.RESTAURATION)
Booking.objects.all().delete()
Child.objects.update(health_form_confirmed_on=timezone.localdate())
for activity in (periscolaire, canteen):
    have = set(Enrolment.objects.filter(activity=activity).values_list("child_id", flat=True))
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                child_id=pk,
                activity=activity,
                status=Enrolment.Status.ACCEPTED,
                start_date=activity.period_start,
            )
            for pk in Child.objects.values_list("pk", flat=True)
            if pk not in have
        ],
        batch_size=2000,
    )
# The rush: the next open days whose délai closes in more than an hour (the morning unit, 60 places).
days = [
    d
    for d in activity_open_days(
        activity=periscolaire, start=timezone.localdate(), end=timezone.localdate() + timedelta(days=60)
    )
    if booking_deadline(activity=periscolaire, day=d, action=BookingAction.ADD) > now + timedelta(hours=1)
][:5]
unit = periscolaire.units.get(code="accueil-matin")
User = get_user_model()
hashed = make_password(PASSWORD)
clients = []
guardians = (
    Guardian.objects.filter(family__children__isnull=False)
    .select_related("family")
    .order_by("family__code")
    .distinct()[:CLIENTS]
)
for i, guardian in enumerate(guardians):
    email = f"rush-{i}@example.org"
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None)
    user.password = hashed
    user.save(update_fields=["password"])
    Guardian.objects.filter(pk=guardian.pk).update(user=user)
    child = guardian.family.children.order_by("pk").first()
    clients.append({"email": email, "child": child.pk})
print(
    "RUSH "
    + json.dumps(
        {
            "clients": clients,
            "unit": unit.pk,
            "days": [d.isoformat() for d in days],
            "children": Child.objects.count(),
        }
    )
)
