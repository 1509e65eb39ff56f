"""Back-office screens of the portal (admin mixins for the CRUD engine): démarches queue, document review,
shared inbox, account requests, family keys, staff-created accounts and the guichet mode.

Every action calls a service; these classes only collect the agent's decision."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from families.forms import CheckedFileField
from families.health import can_download_attachment
from families.models import AccountRequest, ChangeRequest, Conversation, FamilyDocument, Guardian
from families.selectors import activity_families
from families.services import accounts, messaging
from families.services import change_requests as cr_services
from families.services import documents as document_services

from .common import GUICHET_SESSION_KEY
from .documents import private_file_response


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- Démarches -----------------------------------------------------------------------------------------------------


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_l("Décision"), required=False,
        choices=[("", "—"), ("approve", _l("Accepter et appliquer")), ("refuse", _l("Refuser"))],
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif du refus : la famille le lira."))
        return data


class ChangeRequestAdminMixin:
    """Read-only démarche plus a decision form; bulk approve/refuse are the engine's named actions."""

    form = DecisionForm

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The change form only collects a decision (every data field is read-only); the service applies it.
        return self.has_workflow_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("family", "created_by", "decided_by")

    @admin.display(description=_l("Modifications demandées"))
    def summary(self, obj):
        if not obj.pk:
            return "—"
        lines = cr_services.change_request_lines(obj)
        head = format_html("<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>", _("Qui"), _("Champ"),
                           _("Avant"), _("Demandé"))
        return format_html("<table>{}{}</table>", head, format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td><strong>{}</strong></td></tr>", lines))

    def get_readonly_fields(self, request, obj=None):
        ro = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != ChangeRequest.Status.PENDING:
            ro.append("reason")
        return ro

    def get_fields(self, request, obj=None):
        fields = ["family", "kind", "status", "summary", "created_at", "created_by", "decided_at", "decided_by"]
        if obj is None or obj.status == ChangeRequest.Status.PENDING:
            fields += ["decision"]
        return [*fields, "reason"]

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "approve":
                cr_services.change_request_approve(request=obj, by=request.user)
                messages.success(request, _("Démarche acceptée et appliquée."))
            elif decision == "refuse":
                cr_services.change_request_refuse(request=obj, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Démarche refusée ; la famille est prévenue."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        obj.refresh_from_db()


# --- Documents -----------------------------------------------------------------------------------------------------


class DocumentForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_l("Décision"), required=False,
        choices=[("", "—"), ("accept", _l("Accepter")), ("reject", _l("Refuser"))],
    )
    file = CheckedFileField(label=_l("Fichier"), required=False,
                            help_text=_l("PDF, JPEG, PNG ou HEIC, 10 Mo maximum."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("rejection_reason") or "").strip():
            self.add_error("rejection_reason", _("Indiquez le motif du refus : la famille le lira."))
        if not self.instance.pk and not data.get("file"):
            self.add_error("file", _("Choisissez le fichier à mettre à disposition de la famille."))
        # "This child belongs to this family" is FamilyDocument.clean(), run by the ModelForm for every caller.
        return data


class FamilyDocumentAdminMixin:
    """Issuing a document and reviewing one go through services; bulk accept/reject are the engine's actions."""

    form = DocumentForm

    def has_add_permission(self, request):
        return self.model_permission(request, "add")

    def has_change_permission(self, request, obj=None):
        return self.has_workflow_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("family", "child", "uploaded_by", "reviewed_by")

    def get_fields(self, request, obj=None):
        if obj is None:  # the town issues a document (invoice, attestation…) to a family
            return ["family", "child", "kind", "title", "file", "valid_until"]
        fields = ["family", "child", "kind", "title", "download", "original_name", "content_type", "size",
                  "valid_until", "status", "uploaded_at", "uploaded_by", "reviewed_at", "reviewed_by"]
        if obj.status != FamilyDocument.Status.ISSUED:
            fields += ["decision", "rejection_reason"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["family", "child", "download", "original_name", "content_type", "size", "status", "uploaded_at",
                "uploaded_by", "reviewed_at", "reviewed_by"]

    @admin.display(description=_l("Fichier"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:families_familydocument_file", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Ouvrir le document"))

    def get_urls(self):
        return [path("<int:pk>/fichier/", self.admin_site.admin_view(self.file_view),
                     name="families_familydocument_file"), *super().get_urls()]

    def file_view(self, request, pk):
        document = get_object_or_404(FamilyDocument, pk=pk)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        return private_file_response(file=document.file, filename=document.original_name or "document",
                                     content_type=document.content_type)

    def save_model(self, request, obj, form, change):
        if not change:
            document_services.document_issue_upload(document=obj, file=form.cleaned_data["file"], by=request.user)
            return
        decision = form.cleaned_data.get("decision")
        document_services.document_edit(document=obj, by=request.user, kind=obj.kind, title=obj.title,
                                        valid_until=obj.valid_until)
        if decision == "accept":
            document_services.document_accept(document=obj, by=request.user)
        elif decision == "reject":
            document_services.document_reject(document=obj, by=request.user,
                                              reason=form.cleaned_data["rejection_reason"])
        obj.refresh_from_db()


# --- Messagerie (shared inbox) -------------------------------------------------------------------------------------


class ConversationForm(forms.ModelForm):
    reply = forms.CharField(label=_l("Répondre"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    reply_attachment = CheckedFileField(label=_l("Pièce jointe"), required=False,
                                        help_text=_l("PDF, JPEG, PNG ou HEIC, 10 Mo maximum."))

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not (data.get("reply") or "").strip():
            self.add_error("reply", _("Écrivez le premier message."))
        return data


class ConversationAdminMixin:
    form = ConversationForm
    actions = ["assign_to_me", "close_selected", "reopen_selected"]

    # Staff open conversations and reply from the admin (services send the messages); status changes are actions.
    def has_add_permission(self, request):
        return self.model_permission(request, "add")

    def has_change_permission(self, request, obj=None):
        return self.has_workflow_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("family", "assigned_to").annotate(
            unread_staff=Count("messages", filter=Q(messages__from_staff=False,
                                                    messages__read_by_staff_at__isnull=True)))

    @admin.display(description=_l("non lus"), ordering="unread_staff")
    def unread(self, obj):
        return obj.unread_staff or ""

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["family", "subject", "assigned_to", "reply", "reply_attachment"]
        return ["family", "subject", "status", "assigned_to", "thread", "reply", "reply_attachment"]

    def get_readonly_fields(self, request, obj=None):
        return ["family", "thread"] if obj else []

    @admin.display(description=_l("Messages"))
    def thread(self, obj):
        rows = []
        for m in obj.messages.select_related("author").order_by("created_at", "pk"):
            attachment = ""
            if m.attachment:
                url = reverse("admin:families_conversation_attachment", args=[obj.pk, m.pk])
                attachment = format_html(' — <a href="{}">📎 {}</a>', url, m.attachment_name)
            who = _("Service") if m.from_staff else _("Famille")
            author = m.author.get_full_name() or m.author.email if m.author else "—"
            rows.append(format_html(
                '<div style="margin:0 0 .8em;padding:.5em .8em;border-radius:6px;background:{}">'
                "<strong>{} ({})</strong> — {}{}<br>{}</div>",
                "#e8eef7" if m.from_staff else "#f4f4f4", who, author,
                formats.date_format(timezone.localtime(m.created_at), "DATETIME_FORMAT"), attachment,
                linebreaksbr(m.body)))
        return format_html("{}", format_html_join("", "{}", ((r,) for r in rows)))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            # get_object() answers None for an id that is not one (`…/conversation/abc/change/`): the admin's 404.
            conversation = self.get_object(request, unquote(object_id))
            # Only those who answer clear the unread queue: a read-only role opening it leaves it for the agents.
            if conversation is not None and self.has_change_permission(request, conversation):
                messaging.conversation_mark_read(conversation=conversation, by_staff=True)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.assigned_to = obj.assigned_to or request.user
        super().save_model(request, obj, form, change)
        body = (form.cleaned_data.get("reply") or "").strip()
        if body:
            messaging.message_send(conversation=obj, body=body, by=request.user, from_staff=True,
                                   attachment=form.cleaned_data.get("reply_attachment"))

    def get_urls(self):
        return [path("<int:pk>/pieces-jointes/<int:message_id>/", self.admin_site.admin_view(self.attachment_view),
                     name="families_conversation_attachment"), *super().get_urls()]

    def attachment_view(self, request, pk, message_id):
        conversation = get_object_or_404(Conversation, pk=pk)
        if not self.has_view_permission(request, conversation):
            raise PermissionDenied
        if not can_download_attachment(user=request.user, conversation=conversation):
            raise PermissionDenied  # may be medical: see families.health.can_download_attachment
        message = get_object_or_404(conversation.messages, pk=message_id)
        if not message.attachment:
            raise Http404
        return private_file_response(file=message.attachment, filename=message.attachment_name,
                                     content_type=message.attachment_type)

    @admin.action(description=_l("M'attribuer les conversations sélectionnées"), permissions=["workflow"])
    def assign_to_me(self, request, queryset):
        n = 0
        for conversation in queryset:
            messaging.conversation_assign(conversation=conversation, to=request.user, by=request.user)
            n += 1
        messages.success(request, _("%(n)s conversation(s) attribuée(s).") % {"n": n})

    @admin.action(description=_l("Fermer les conversations sélectionnées"), permissions=["workflow"])
    def close_selected(self, request, queryset):
        for conversation in queryset:
            messaging.conversation_set_status(conversation=conversation, status=Conversation.Status.CLOSED,
                                              by=request.user)

    @admin.action(description=_l("Rouvrir les conversations sélectionnées"), permissions=["workflow"])
    def reopen_selected(self, request, queryset):
        for conversation in queryset:
            messaging.conversation_set_status(conversation=conversation, status=Conversation.Status.OPEN,
                                              by=request.user)


# --- Account requests ----------------------------------------------------------------------------------------------


class AccountRequestAdminMixin:
    actions = ["mark_done", "mark_rejected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_l("Marquer comme traitées"), permissions=["workflow"])
    def mark_done(self, request, queryset):
        for req in queryset.filter(status=AccountRequest.Status.PENDING):
            accounts.account_request_close(request=req, by=request.user, status=AccountRequest.Status.DONE)

    @admin.action(description=_l("Marquer comme refusées"), permissions=["workflow"])
    def mark_rejected(self, request, queryset):
        for req in queryset.filter(status=AccountRequest.Status.PENDING):
            accounts.account_request_close(request=req, by=request.user, status=AccountRequest.Status.REJECTED)


# --- Families and guardians: keys, accounts, guichet, messages to several families --------------------------------


class BroadcastForm(forms.Form):
    subject = forms.CharField(label=_l("Objet"), max_length=150)
    body = forms.CharField(label=_l("Message"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))


class FamilyPortalAdminMixin:
    actions = ["generate_key", "invite_guardians", "open_guichet", "write_to_families"]

    @admin.action(description=_l("Générer une nouvelle clé famille (l'ancienne est révoquée)"),
                  permissions=["change"])
    def generate_key(self, request, queryset):
        for family in queryset:
            key = accounts.family_key_generate(family=family, by=request.user)
            messages.warning(request, format_html(
                _("Clé famille de {} : <strong style='font-size:1.2em;letter-spacing:.1em'>{}</strong> "
                  "(à communiquer à la famille ; elle ne sera plus affichée)."), family, key))

    @admin.action(description=_l("Créer les comptes portail des responsables légaux (e-mail d'activation)"),
                  permissions=["change"])
    def invite_guardians(self, request, queryset):
        for guardian in Guardian.objects.filter(family__in=queryset).select_related("user", "family"):
            if guardian.user_id and guardian.user.is_active:
                continue
            try:
                accounts.account_invite(guardian=guardian, by=request.user, base_url=_base_url(request))
            except ValidationError as exc:
                messages.error(request, f"{guardian} : {' '.join(exc.messages)}")
            else:
                messages.success(request, _("E-mail d'activation envoyé à %(email)s.") % {"email": guardian.email})

    @admin.action(description=_l("Ouvrir le portail de cette famille (mode guichet)"), permissions=["change"])
    def open_guichet(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, _("Sélectionnez une seule famille."))
            return None
        request.session[GUICHET_SESSION_KEY] = queryset.get().pk
        return redirect("portal:home")

    @admin.action(description=_l("Écrire aux familles sélectionnées (messagerie)"), permissions=["change"])
    def write_to_families(self, request, queryset):
        form = BroadcastForm(request.POST if "subject" in request.POST else None)
        if form.is_valid():
            n = messaging.conversation_broadcast(families=list(queryset), subject=form.cleaned_data["subject"],
                                                 body=form.cleaned_data["body"], by=request.user)
            messages.success(request, _("Message envoyé à %(n)s famille(s).") % {"n": n})
            return HttpResponseRedirect(request.get_full_path())
        return TemplateResponse(request, "backoffice/broadcast.html", {
            **self.admin_site.each_context(request), "title": _("Écrire aux familles"), "form": form,
            "families": queryset, "selected": queryset, "action_name": "write_to_families", "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class ActivityAdminMixin:
    actions = ["write_to_enrolled_families"]

    @admin.action(description=_l("Écrire aux familles inscrites (messagerie)"), permissions=["view"])
    def write_to_enrolled_families(self, request, queryset):
        if not request.user.has_perm("families.add_conversation"):
            raise PermissionDenied
        families = activity_families(activities=queryset)
        if not families.exists():
            messages.warning(request, _("Aucune famille n'a d'inscription acceptée à ces activités."))
            return None
        form = BroadcastForm(request.POST if "subject" in request.POST else None)
        if form.is_valid():
            n = messaging.conversation_broadcast(families=list(families), subject=form.cleaned_data["subject"],
                                                 body=form.cleaned_data["body"], by=request.user)
            messages.success(request, _("Message envoyé à %(n)s famille(s).") % {"n": n})
            return HttpResponseRedirect(request.get_full_path())
        return TemplateResponse(request, "backoffice/broadcast.html", {
            **self.admin_site.each_context(request), "title": _("Écrire aux familles inscrites"), "form": form,
            "families": list(families), "selected": queryset, "action_name": "write_to_enrolled_families",
            "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class GuardianPortalAdminMixin:
    actions = ["invite"]

    @admin.action(description=_l("Créer le compte portail et envoyer l'e-mail d'activation"), permissions=["change"])
    def invite(self, request, queryset):
        for guardian in queryset.select_related("user", "family"):
            try:
                accounts.account_invite(guardian=guardian, by=request.user, base_url=_base_url(request))
            except ValidationError as exc:
                messages.error(request, f"{guardian} : {' '.join(exc.messages)}")
            else:
                messages.success(request, _("E-mail d'activation envoyé à %(email)s.") % {"email": guardian.email})


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Journals and keys are evidence: not even a superuser deletes them (keys are revoked instead).
        return False

    def has_change_permission(self, request, obj=None):
        return False

