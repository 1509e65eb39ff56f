"""Staff screens under /gestion/ (namespace `staff`), before the admin site's own URLs."""

from django.urls import path

from . import bookings, bulk_cancel, kitchen, rollcall

app_name = "staff"

urlpatterns = [
    path("appel/", rollcall.rollcall, name="rollcall"),
    path("appel/pointer/", rollcall.rollcall_mark, name="rollcall_mark"),
    path("appel/ajouter/", rollcall.rollcall_walk_in, name="rollcall_walk_in"),
    path("appel/cloturer/", rollcall.rollcall_close, name="rollcall_close"),
    path("appel/non-clotures/", rollcall.rollcalls_open, name="rollcalls_open"),
    path("annulation-groupee/", bulk_cancel.bulk_cancel, name="bulk_cancel"),
    path("annulation-groupee/<int:pk>/annuler/", bulk_cancel.bulk_cancel_revert, name="bulk_cancel_revert"),
    path("effectifs/", kitchen.kitchen, name="kitchen"),
    path("reservations/enfant/<int:child_id>/", bookings.child_bookings, name="child_bookings"),
    path("reservations/enfant/<int:child_id>/presence/", bookings.child_attendance, name="child_attendance"),
]
