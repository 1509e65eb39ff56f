"""Staff screens of the back-office outside the generated CRUD: roll call (appel), kitchen counts (effectifs),
bulk cancellation (annulation groupée). Mounted under /gestion/ by `backoffice.urls`; each view is wrapped in the
admin site's `admin_view` (staff login) and checks its own permission."""
