"""Back-office declarations of the families app: one `register` per model (admin, import/export, API)."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from rest_framework import serializers

from backoffice.crud import FULL_CRUD, CrudAction, inline, register
from backoffice.crud.sensitive import (
    SensitiveAdminMixin,
    SensitiveResourceMixin,
    SensitiveSerializerMixin,
    SensitiveViewSetMixin,
)

from . import health  # noqa: F401  (declares what is health data: the mixins below hide it from other staff)
from .models import (
    AccountRequest,
    Activity,
    Allergen,
    ChangeRequest,
    Child,
    ClassLevel,
    Contact,
    Conversation,
    Enrolment,
    Family,
    FamilyAccessKey,
    FamilyDocument,
    Guardian,
    GuichetAction,
    School,
    Unit,
    Vaccination,
)
from .services import accounts
from .services import change_requests as cr_services
from .services import documents as document_services
from .services import enrolments as enrolment_services
from .views.backoffice import (
    AccountRequestAdminMixin,
    ActivityAdminMixin,
    ChangeRequestAdminMixin,
    ConversationAdminMixin,
    FamilyDocumentAdminMixin,
    FamilyPortalAdminMixin,
    GuardianPortalAdminMixin,
    ReadOnlyAdminMixin,
)

register(
    ClassLevel,
    writes=FULL_CRUD,
    importable=True,
    api_name="class-levels",
    list_display=("code", "label", "rank"),
    search_fields=("code", "label"),
    import_id_fields=("code",),
)

register(
    Allergen,
    writes=FULL_CRUD,
    importable=True,
    api_name="allergens",
    list_display=("label", "code", "rank"),
    search_fields=("label", "code"),
    import_id_fields=("code",),
)

register(
    School,
    writes=FULL_CRUD,
    importable=True,
    api_name="schools",
    list_display=("name", "kind", "commune", "phone"),
    list_filter=("kind", "commune"),
    search_fields=("name", "commune"),
    filter_horizontal=("levels",),
    natural_keys={"levels": "code"},
    import_id_fields=("name",),
)


class FamilyPhoneSearchMixin:
    """Find a family by a guardian's phone however it was typed, here or in the dossier (06.12.34.56.78,
    0612345678, 06 12 34 56 78): spaces, dots and dashes are ignored on both sides."""

    phone_fields = ("guardians__phone_mobile", "guardians__phone_home", "guardians__phone_work")

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = re.sub(r"[\s.\-]", "", search_term or "")
        if len(digits) < 4 or not re.fullmatch(r"\+?\d+", digits):
            return results, may_have_duplicates
        bare = {
            f"_bare_phone_{i}": Replace(Replace(Replace(f, Value(" "), Value("")), Value("."), Value("")), Value("-"), Value(""))
            for i, f in enumerate(self.phone_fields)
        }
        match = Q()
        for name in bare:
            match |= Q(**{f"{name}__contains": digits})
        by_phone = queryset.model._default_manager.alias(**bare).filter(match).values("pk")
        return queryset.filter(Q(pk__in=results.values("pk")) | Q(pk__in=by_phone)), may_have_duplicates


class FamilyContactColumns:
    """The families export doubles as the service's contact list: guardians' names, e-mails and mobiles."""

    export_related_columns = (
        (_("Responsables légaux"), "guardians", lambda g: f"{g.first_name} {g.last_name}"),
        (_("E-mails des responsables"), "guardians", lambda g: g.email),
        (_("Portables des responsables"), "guardians", lambda g: g.phone_mobile),
    )


register(
    Family,
    writes=FULL_CRUD,
    importable=True,
    api_name="families",
    admin_mixins=[SensitiveAdminMixin, FamilyPortalAdminMixin, FamilyPhoneSearchMixin],
    list_display=("code", "name", "commune", "allocataire_regime", "paperless_invoices", "is_active"),
    list_display_links=("code", "name"),
    list_filter=("is_active", "allocataire_regime", "paperless_invoices", "commune"),
    search_fields=("code", "name", "guardians__last_name", "guardians__email", "children__first_name", "children__last_name",
                   "guardians__phone_mobile", "guardians__phone_home", "guardians__phone_work"),
    readonly_fields=("created_at", "updated_at"),
    inlines=[
        inline(Guardian, stacked=True, fields=(
            ("civility", "first_name", "last_name"), ("email", "phone_mobile"), ("employer", "is_billing_contact"),
            "user",
        ), autocomplete_fields=("user",)),
        inline(Child, fields=("first_name", "last_name", "birth_date", "school", "class_level", "diet", "has_pai")),
        inline(Contact, fields=("first_name", "last_name", "relationship", "phone", "may_pick_up", "is_emergency")),
    ],
    import_id_fields=("code",),
    resource_mixins=[FamilyContactColumns],
    import_fields=(
        "code", "name", "address_line1", "address_line2", "postcode", "commune", "allocataire_regime",
        "allocataire_number", "paperless_invoices", "notes", "is_active",
    ),
    api_read_only_fields=("created_at", "updated_at"),
    filterset_fields={
        "code": ["exact"],
        "name": ["icontains"],
        "commune": ["exact", "icontains"],
        "postcode": ["exact"],
        "is_active": ["exact"],
        "allocataire_regime": ["exact"],
        "paperless_invoices": ["exact"],
        "created_at": ["gte", "lte"],
    },
)

register(
    Guardian,
    writes=FULL_CRUD,
    importable=True,
    api_name="guardians",
    admin_mixins=[GuardianPortalAdminMixin],
    list_display=("last_name", "first_name", "family", "email", "phone_mobile", "is_billing_contact"),
    list_filter=("civility", "is_billing_contact", "relationship"),
    search_fields=("last_name", "first_name", "email", "family__code", "family__name"),
    autocomplete_fields=("family", "user"),
    natural_keys={"family": "code"},
    import_id_fields=("family", "first_name", "last_name"),
    import_fields=(
        "family", "civility", "first_name", "last_name", "birth_name", "relationship", "email", "phone_mobile",
        "phone_home", "phone_work", "employer", "profession", "is_billing_contact",
    ),
    api_exclude=("user",),
)

register(
    Child,
    writes=FULL_CRUD,
    importable=True,
    api_name="children",
    admin_mixins=[SensitiveAdminMixin],
    serializer_mixins=[SensitiveSerializerMixin],
    resource_mixins=[SensitiveResourceMixin],
    viewset_mixins=[SensitiveViewSetMixin],
    list_display=("last_name", "first_name", "birth_date", "family", "school", "class_level", "diet", "has_pai"),
    list_filter=("school", "class_level", "diet", "has_pai", "image_rights", "may_leave_alone", "allergens"),
    search_fields=("last_name", "first_name", "family__code", "family__name"),
    date_hierarchy="birth_date",
    autocomplete_fields=("family",),
    filter_horizontal=("allergens",),
    natural_keys={"family": "code", "school": "name", "class_level": "code", "allergens": "code"},
    import_id_fields=("family", "first_name", "birth_date"),
    import_fields=(
        "family", "first_name", "last_name", "sex", "birth_date", "school", "class_level", "diet", "allergens",
        "allergies_other", "has_pai", "pai_details", "doctor_name", "doctor_phone", "image_rights", "may_leave_alone",
    ),
    inlines=[inline(Vaccination, fields=("vaccine", "date", "notes"))],
    fieldsets=(
        (None, {"fields": ("family", ("first_name", "last_name"), ("sex", "birth_date"), ("school", "class_level"))}),
        (_("Fiche sanitaire"), {"fields": (
            "diet", "allergens", "allergies_other", ("has_pai", "pai_details"), "health_notes",
            ("doctor_name", "doctor_phone"), "health_form_confirmed_on",
        )}),
        (_("Autorisations"), {"fields": ("image_rights", "may_leave_alone")}),
    ),
    api_read_only_fields=("created_at",),
)

register(
    Vaccination,
    writes=FULL_CRUD,
    importable=True,
    api_name="vaccinations",
    admin_mixins=[SensitiveAdminMixin],
    serializer_mixins=[SensitiveSerializerMixin],
    resource_mixins=[SensitiveResourceMixin],
    viewset_mixins=[SensitiveViewSetMixin],
    list_display=("child", "vaccine", "date"),
    list_filter=("vaccine",),
    search_fields=("child__last_name", "child__first_name", "child__family__code"),
    autocomplete_fields=("child",),
    list_select_related=("child",),
)

register(
    Contact,
    writes=FULL_CRUD,
    importable=True,
    api_name="contacts",
    list_display=("last_name", "first_name", "relationship", "family", "phone", "may_pick_up", "is_emergency"),
    list_filter=("may_pick_up", "is_emergency"),
    search_fields=("last_name", "first_name", "family__code", "family__name"),
    autocomplete_fields=("family",),
    filter_horizontal=("children",),
    natural_keys={"family": "code"},
    import_id_fields=("family", "first_name", "last_name"),
    import_fields=("family", "first_name", "last_name", "relationship", "phone", "phone_other", "may_pick_up",
                   "is_emergency"),
)

register(
    Activity,
    writes=FULL_CRUD,
    importable=True,
    api_name="activities",
    list_display=("name", "kind", "period_start", "period_end", "registration_opens", "registration_closes",
                  "requires_validation", "is_active"),
    list_filter=("kind", "is_active", "requires_validation", "schools"),
    search_fields=("name",),
    date_hierarchy="period_start",
    filter_horizontal=("schools",),
    admin_mixins=[ActivityAdminMixin],
    inlines=[inline(Unit, fields=("label", "code", "start_time", "end_time", "exclusive_group", "capacity",
                                  "position", "is_active"))],
    natural_keys={"schools": "name", "min_level": "code", "max_level": "code"},
    fieldsets=(
        (None, {"fields": ("name", "kind", "description", "is_active")}),
        (_("Période et jours"), {"fields": (("period_start", "period_end"),
                                            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday"))}),
        (_("Public"), {"fields": (("min_age", "max_age"), ("min_level", "max_level"), "schools")}),
        (_("Inscriptions"), {"fields": (("registration_opens", "registration_closes"), "requires_validation",
                                        "capacity")}),
        (_("Délai de réservation"), {"fields": (("add_deadline_kind", "add_deadline_days", "add_deadline_weekday",
                                                 "add_deadline_time"), "add_deadline_at")}),
        (_("Délai d'annulation"), {"fields": (("cancel_deadline_kind", "cancel_deadline_days",
                                               "cancel_deadline_weekday", "cancel_deadline_time"),
                                              "cancel_deadline_at")}),
    ),
    import_id_fields=("name", "period_start"),
)

register(
    Unit,
    writes=FULL_CRUD,
    importable=True,
    api_name="units",
    list_display=("label", "activity", "start_time", "end_time", "exclusive_group", "capacity", "is_active"),
    list_filter=("activity__kind", "is_active", "activity"),
    search_fields=("label", "code", "activity__name"),
    autocomplete_fields=("activity",),
    import_id_fields=("activity", "code"),
    filterset_fields={"activity": ["exact"], "is_active": ["exact"], "exclusive_group": ["exact"], "code": ["exact"]},
)

S = Enrolment.Status


class EnrolmentChildWidget(widgets.ForeignKeyWidget):
    """The child named as people name it: family code (this column), `child_first_name` and `child_birth_date`."""

    def __init__(self):
        super().__init__(Child, field="pk")

    def clean(self, value, row=None, **kwargs):
        code, first = str(value or "").strip(), str((row or {}).get("child_first_name") or "").strip()
        try:
            birth = widgets.DateWidget().clean((row or {}).get("child_birth_date"))
        except ValueError:
            birth = None
        if not (code and first and birth):
            raise ValueError(_("Indiquez le code famille, le prénom et la date de naissance de l'enfant."))
        child = Child.objects.filter(family__code=code, first_name__iexact=first, birth_date=birth).first()
        if child is None:
            raise ValueError(_("Enfant inconnu : %(first)s, né(e) le %(birth)s, famille %(code)s.")
                             % {"first": first, "birth": birth.strftime("%d/%m/%Y"), "code": code})
        return child

    def render(self, value, obj=None, **kwargs):
        return value.family.code if value else ""


def _row_activity(row) -> Activity | None:
    name = str((row or {}).get("activity") or "").strip()
    try:
        start = widgets.DateWidget().clean((row or {}).get("activity_period_start"))
    except ValueError:
        start = None
    if not (name and start):
        return None
    return Activity.objects.filter(name=name, period_start=start).first()


class EnrolmentActivityWidget(widgets.ForeignKeyWidget):
    """The activity named by its name (this column) and `activity_period_start`."""

    def __init__(self):
        super().__init__(Activity, field="pk")

    def clean(self, value, row=None, **kwargs):
        activity = _row_activity(row)
        if activity is None:
            raise ValueError(_("Activité inconnue : « %(name)s » commençant le %(start)s.")
                             % {"name": value or "", "start": (row or {}).get("activity_period_start") or "?"})
        return activity

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PlanningUnitsWidget(widgets.ManyToManyWidget):
    """The planning's prestations by their codes in the row's activity, separated by `|`."""

    def __init__(self):
        super().__init__(Unit, separator="|", field="code")

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in str(value or "").split("|") if c.strip()]
        if not codes:
            return Unit.objects.none()
        activity = _row_activity(row)
        found = Unit.objects.filter(activity=activity, code__in=codes)
        missing = sorted(set(codes) - {u.code for u in found})
        if missing:
            raise ValueError(_("Prestation(s) inconnue(s) dans cette activité : %(codes)s.") % {"codes": ", ".join(missing)})
        return found


class EnrolmentResourceMixin:
    """Enrolments import as new requests only, never as updates of existing ones.

    A row may carry a decided status (acceptée, liste d'attente, refusée with its motif): the request is created as
    « demandée », then decided through the same service as the admin buttons, so capacity, the planning's
    reservations, the history and the family's email all follow. An import never edits an existing inscription;
    a second active one for the same child and activity is a row error."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Each row is decided through the service right after its save, which needs its primary key: no batches.
        self._meta.use_bulk = False
        # The generated base declares these columns by database id: name them as people do instead.
        self.fields.update({
            "child": fields.Field(attribute="child", column_name="family", widget=EnrolmentChildWidget()),
            "child_first_name": fields.Field(attribute="child__first_name", column_name="child_first_name",
                                             readonly=True),
            "child_birth_date": fields.Field(attribute="child__birth_date", column_name="child_birth_date",
                                             readonly=True, widget=widgets.DateWidget()),
            "activity": fields.Field(attribute="activity", column_name="activity", widget=EnrolmentActivityWidget()),
            "activity_period_start": fields.Field(attribute="activity__period_start",
                                                  column_name="activity_period_start", readonly=True,
                                                  widget=widgets.DateWidget()),
            "planning_units": fields.Field(attribute="planning_units", column_name="planning_units",
                                           widget=PlanningUnitsWidget()),
        })

    def get_instance(self, instance_loader, row):
        return None  # always a new request: decisions on existing inscriptions go through their actions

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        wanted = str(instance.status or "").strip()
        by_label = {str(label).lower(): value for value, label in Enrolment.Status.choices}
        wanted = wanted if wanted in Enrolment.Status.values else by_label.get(wanted.lower(), wanted or "demandee")
        if wanted not in (S.REQUESTED, S.ACCEPTED, S.WAITING, S.REFUSED):
            raise ValidationError({"status": _("Statut importable : demandée, acceptée, liste d'attente ou refusée.")})
        if wanted == S.REFUSED and not (instance.refusal_reason or "").strip():
            raise ValidationError({"refusal_reason": _("Indiquez le motif du refus : la famille le lira.")})
        instance._import_decision = wanted
        instance.status = S.REQUESTED
        instance.decided_at = instance.decided_by = None

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        decision, by = getattr(instance, "_import_decision", S.REQUESTED), kwargs.get("user")
        if decision == S.ACCEPTED:
            enrolment_services.enrolment_accept(enrolment=instance, by=by)
        elif decision == S.WAITING:
            enrolment_services.enrolment_waitlist(enrolment=instance, by=by)
        elif decision == S.REFUSED:
            enrolment_services.enrolment_refuse(enrolment=instance, by=by, reason=instance.refusal_reason)

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        if hasattr(queryset, "select_related"):  # the natural keys read the family and activity: no query a row
            queryset = queryset.select_related("child__family", "activity").prefetch_related("planning_units")
        return super().export(queryset=queryset, **kwargs)

register(
    Enrolment,
    api_name="enrolments",
    list_display=("child", "activity", "status", "start_date", "end_date", "requested_at", "decided_by"),
    list_filter=("status", "activity__kind", "activity"),
    search_fields=("child__last_name", "child__first_name", "child__family__code", "activity__name"),
    date_hierarchy="start_date",
    autocomplete_fields=("child", "activity"),
    list_select_related=("child", "activity", "decided_by"),
    # Read-only in the generic surfaces: a decision goes through its service (who, when, email to the family).
    actions=[
        CrudAction(name="accept", label=_("Accepter les inscriptions"),
                   run=lambda obj, by: enrolment_services.enrolment_accept(enrolment=obj, by=by),
                   description=_("Accepte une inscription demandée ou en liste d'attente ; la famille est prévenue.")),
        CrudAction(name="refuse", label=_("Refuser les inscriptions"), reason=True,
                   run=lambda obj, by, reason: enrolment_services.enrolment_refuse(enrolment=obj, by=by,
                                                                                   reason=reason),
                   description=_("Refuse une inscription avec un motif (`reason`, obligatoire) lu par la famille.")),
        CrudAction(name="waitlist", label=_("Mettre en liste d'attente"),
                   run=lambda obj, by: enrolment_services.enrolment_waitlist(enrolment=obj, by=by),
                   description=_("Place une inscription demandée en liste d'attente ; la famille est prévenue.")),
        CrudAction(name="renew", label=_("Réinscrire pour l'année scolaire suivante"),
                   run=lambda obj, by: enrolment_services.enrolment_renew(enrolment=obj, by=by, as_staff=True),
                   description=_("Crée la demande d'inscription de l'année suivante (même activité l'an prochain, "
                                 "même planning) pour une inscription acceptée.")),
    ],
    filterset_fields={"child": ["exact"], "activity": ["exact"], "status": ["exact"], "start_date": ["gte", "lte"],
                      "child__family__code": ["exact"]},
    api_select_related=("child", "activity"),
    # Import/export with natural keys; see EnrolmentResourceMixin for why an import only creates requests.
    importable=True,
    resource_mixins=[EnrolmentResourceMixin],
    import_id_fields=("child", "activity"),
    import_fields=("child", "child_first_name", "child_birth_date", "activity", "activity_period_start", "status",
                   "start_date", "end_date", "planning_weekdays", "planning_units", "refusal_reason"),
)

# --- Parent portal: démarches, documents, messagerie, account requests, keys, guichet journal -----------------------

register(
    ChangeRequest,
    api_name="change-requests",
    admin_mixins=[ChangeRequestAdminMixin],
    list_display=("created_at", "family", "kind", "status", "created_by", "decided_by"),
    list_display_links=("created_at", "family"),
    list_filter=("status", "kind"),
    search_fields=("family__code", "family__name"),
    date_hierarchy="created_at",
    readonly_fields=("family", "kind", "status", "summary", "created_at", "created_by", "decided_at", "decided_by"),
    actions=[
        CrudAction(name="approve", label=_("Accepter et appliquer les démarches"),
                   run=lambda obj, by: cr_services.change_request_approve(request=obj, by=by),
                   description=_("Accepte une démarche en attente et applique ses changements au dossier.")),
        CrudAction(name="refuse", label=_("Refuser les démarches"), reason=True,
                   run=lambda obj, by, reason: cr_services.change_request_refuse(request=obj, by=by, reason=reason),
                   description=_("Refuse une démarche en attente avec un motif (`reason`, obligatoire).")),
    ],
    api_read_only_fields=("family", "kind", "payload", "previous", "status", "created_at", "created_by",
                          "decided_at", "decided_by"),
)

register(
    FamilyDocument,
    api_name="family-documents",
    admin_mixins=[SensitiveAdminMixin, FamilyDocumentAdminMixin],
    viewset_mixins=[SensitiveViewSetMixin],
    list_display=("uploaded_at", "family", "kind", "child", "valid_until", "status"),
    list_display_links=("uploaded_at", "family"),
    list_filter=("status", "kind"),
    search_fields=("family__code", "family__name", "original_name"),
    date_hierarchy="uploaded_at",
    autocomplete_fields=("family",),
    actions=[
        CrudAction(name="accept", label=_("Accepter les documents"),
                   run=lambda obj, by: document_services.document_accept(document=obj, by=by),
                   description=_("Accepte une pièce justificative déposée par la famille.")),
        CrudAction(name="reject", label=_("Refuser les documents"), reason=True,
                   run=lambda obj, by, reason: document_services.document_reject(document=obj, by=by, reason=reason),
                   description=_("Refuse une pièce justificative avec un motif (`reason`, obligatoire).")),
    ],
    api_exclude=("file",),
    api_read_only_fields=("original_name", "content_type", "size", "status", "uploaded_at", "uploaded_by",
                          "reviewed_at", "reviewed_by"),
)

register(
    Conversation,
    api_name="conversations",
    admin_mixins=[ConversationAdminMixin],
    list_display=("subject", "family", "status", "assigned_to", "last_message_at", "unread"),
    list_filter=("status", "assigned_to"),
    search_fields=("subject", "family__code", "family__name"),
    autocomplete_fields=("family",),
    ordering=("-last_message_at",),
    api_read_only_fields=("created_at", "created_by", "last_message_at"),
)

register(
    AccountRequest,
    api_name="account-requests",
    admin_mixins=[AccountRequestAdminMixin],
    list_display=("created_at", "last_name", "first_name", "email", "commune", "status", "handled_by"),
    list_filter=("status",),
    search_fields=("last_name", "first_name", "email"),
    readonly_fields=("created_at", "handled_by", "handled_at"),
    actions=[
        # The admin has its own two buttons (traitée / refusée); the API closes with an optional status.
        CrudAction(name="close", label=_("Clore les demandes de compte"), admin=False,
                   run=lambda obj, by, status=AccountRequest.Status.DONE, notes="": accounts.account_request_close(
                       request=obj, by=by, status=status, notes=notes),
                   api_fields={
                       "status": serializers.ChoiceField(
                           choices=[AccountRequest.Status.DONE, AccountRequest.Status.REJECTED],
                           default=AccountRequest.Status.DONE, help_text=_("Traitée (défaut) ou refusée.")),
                       "notes": serializers.CharField(required=False, allow_blank=True,
                                                      help_text=_("Notes internes du service.")),
                   },
                   description=_("Clôt une demande de compte en attente (traitée ou refusée).")),
    ],
)

register(
    FamilyAccessKey,
    api_name="family-keys",
    admin_mixins=[ReadOnlyAdminMixin],
    list_display=("family", "hint", "created_at", "created_by", "used_at", "used_by", "revoked_at"),
    search_fields=("family__code", "family__name"),
    list_select_related=("family", "created_by", "used_by"),
    api=False,
)

register(
    GuichetAction,
    api_name="guichet-actions",
    admin_mixins=[ReadOnlyAdminMixin],
    list_display=("created_at", "agent", "family", "action"),
    search_fields=("family__code", "family__name", "agent__email"),
    list_select_related=("family", "agent"),
    api=False,
)

# --- Reservations: fermetures (reference data) and réservations (read-only, staff actions through the service) -----

from .models import Booking, Closure  # noqa: E402
from .views import staff_bookings  # noqa: E402

register(
    Closure,
    writes=FULL_CRUD,
    importable=True,
    api_name="closures",
    admin_mixins=[staff_bookings.ClosureAdminMixin],
    viewset_mixins=[staff_bookings.ClosureViewSetMixin],
    list_display=("reason", "start_date", "end_date", "activity", "unit", "school", "created_by"),
    list_filter=("activity__kind", "activity", "school"),
    search_fields=("reason",),
    date_hierarchy="start_date",
    autocomplete_fields=("activity", "unit", "school"),
    list_select_related=("activity", "unit__activity", "school", "created_by"),
    readonly_fields=("created_by", "created_at"),
    natural_keys={"school": "name"},
    import_id_fields=("start_date", "end_date", "reason"),
    import_fields=("start_date", "end_date", "reason", "activity", "unit", "school"),
    api_read_only_fields=("created_by", "created_at"),
    filterset_fields={"start_date": ["gte", "lte"], "end_date": ["gte", "lte"], "activity": ["exact"],
                      "unit": ["exact"], "school": ["exact"]},
    api_select_related=("school",),
)

bookings = register(
    Booking,
    api_name="bookings",
    viewset_mixins=[staff_bookings.BookingStaffViewSetMixin],
    list_display=("date", "child", "unit", "state", "attendance", "updated_by", "updated_at"),
    list_filter=("state", "attendance", "unit__activity__kind", "unit__activity", staff_bookings.BookingUnitFilter),
    search_fields=("child__last_name", "child__first_name", "child__family__code"),
    date_hierarchy="date",
    list_select_related=("child", "unit__activity", "updated_by"),
    ordering_fields=("date", "state", "attendance", "updated_at"),
    # Read-only in the generic surfaces: agents change a day through the booking service (no délai, logged).
    actions=[
        CrudAction(name="cancel", label=_("Annuler les réservations (service enfance)"),
                   run=staff_bookings.booking_staff_cancel,
                   description=_("Annule un jour réservé ou en liste d'attente, sans délai ; la place libérée va "
                                 "au premier de la liste d'attente. Enregistré au nom de l'agent.")),
        CrudAction(name="reserve", label=_("Rétablir les réservations (service enfance)"),
                   run=staff_bookings.booking_staff_reserve,
                   description=_("Réserve de nouveau un jour annulé, sans délai (liste d'attente si le jour est "
                                 "complet). Enregistré au nom de l'agent.")),
    ],
    filterset_fields={"date": ["exact", "gte", "lte"], "unit": ["exact"], "unit__activity": ["exact"],
                      "unit__activity__kind": ["exact"], "state": ["exact"], "attendance": ["exact"],
                      "child": ["exact"], "child__family__code": ["exact"]},
    api_select_related=("child", "unit"),
)

# --- Absences (justifier une absence): reviewed by staff, the certificate is health data ---------------------------

from backoffice.crud.sensitive import protect  # noqa: E402

from .health import HEALTH_PERMISSION  # noqa: E402
from .models import Absence  # noqa: E402
from .services import absences as absence_services  # noqa: E402
from .views.absences import AbsenceAdminMixin  # noqa: E402

protect(Absence, permission=HEALTH_PERMISSION, fields=("certificate", "certificate_name", "certificate_type"))

register(
    Absence,
    api_name="absences",
    admin_mixins=[SensitiveAdminMixin, AbsenceAdminMixin],
    viewset_mixins=[SensitiveViewSetMixin],
    list_display=("start_date", "end_date", "child", "reason", "status", "absent_days", "created_at"),
    list_display_links=("start_date", "child"),
    list_filter=("status", "reason"),
    search_fields=("child__last_name", "child__first_name", "child__family__code"),
    date_hierarchy="start_date",
    list_select_related=("child",),
    actions=[
        CrudAction(name="accept", label=_("Accepter les justificatifs d'absence"),
                   run=lambda obj, by: absence_services.absence_accept(absence=obj, by=by),
                   description=_("Accepte l'absence : les jours absents deviennent « absence justifiée », "
                                 "jamais facturés.")),
        CrudAction(name="reject", label=_("Refuser les justificatifs d'absence"), reason=True,
                   run=lambda obj, by, reason: absence_services.absence_reject(absence=obj, by=by, reason=reason),
                   description=_("Refuse le justificatif avec un motif (`reason`, obligatoire) lu par la famille ; "
                                 "les jours restent « absent ».")),
    ],
    api_exclude=("certificate",),
    api_select_related=("child",),
)
