"""Parent portal URLs under /portail/."""

from django.urls import path

from .views import absences, accounts, agenda, documents, dossier, messaging
from .views import planning as planning_views
from .views.auth import PortalLoginView, PortalLogoutView
from .views.home import portal_home

app_name = "portal"

urlpatterns = [
    path("", portal_home, name="home"),
    # Accounts
    path("connexion/", PortalLoginView.as_view(), name="login"),
    path("deconnexion/", PortalLogoutView.as_view(), name="logout"),
    path("inscription/", accounts.signup, name="signup"),
    path("activation/renvoyer/", accounts.activation_resend, name="activation_resend"),
    path("activation/<str:uidb64>/<str:token>/", accounts.activate, name="activate"),
    path("cle-famille/", accounts.attach, name="attach"),
    path("demande-de-compte/", accounts.account_request, name="account_request"),
    path("mot-de-passe-oublie/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reinitialisation/<str:uidb64>/<str:token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reinitialisation/terminee/", accounts.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("mon-compte/", accounts.account, name="account"),
    path("mon-compte/mot-de-passe/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("mon-compte/e-mail/", accounts.email_change, name="email_change"),
    path("mon-compte/e-mail/<str:token>/", accounts.email_change_confirm, name="email_change_confirm"),
    path("guichet/quitter/", accounts.guichet_leave, name="guichet_leave"),
    # Mon dossier
    path("dossier/", dossier.dossier, name="dossier"),
    path("dossier/coordonnees/", dossier.coordinates_edit, name="coordinates"),
    path("dossier/demarches/", dossier.demarches, name="demarches"),
    path("dossier/enfants/ajouter/", dossier.child_add, name="child_add"),
    path("dossier/enfants/<int:child_id>/fiche-sanitaire/", dossier.child_health, name="child_health"),
    path("dossier/entourage/", dossier.contacts, name="contacts"),
    path("dossier/entourage/ajouter/", dossier.contact_edit, name="contact_add"),
    path("dossier/entourage/<int:contact_id>/", dossier.contact_edit, name="contact_edit"),
    path("dossier/entourage/<int:contact_id>/supprimer/", dossier.contact_delete, name="contact_delete"),
    # Mes documents, Mes attestations
    path("documents/", documents.documents, name="documents"),
    path("documents/<int:document_id>/fichier/", documents.document_download, name="document_download"),
    path("documents/<int:document_id>/supprimer/", documents.document_delete, name="document_delete"),
    path("attestations/", documents.attestations, name="attestations"),
    path("attestations/fiche-famille.pdf", documents.family_sheet_pdf, name="family_sheet"),
    # Messagerie
    path("messagerie/", messaging.conversations, name="messages"),
    path("messagerie/nouveau/", messaging.conversation_new, name="conversation_new"),
    path("messagerie/<int:conversation_id>/", messaging.conversation_detail, name="conversation"),
    path("messagerie/<int:conversation_id>/pieces-jointes/<int:message_id>/", messaging.attachment_download,
         name="attachment"),
    # Gérer mes réservations (planning)
    path("reservations/", planning_views.planning, name="planning"),
    path("reservations/recapitulatif/", planning_views.planning_recap, name="planning_recap"),
    path("reservations/confirmation/", planning_views.planning_done, name="planning_done"),
    path("reservations/modification-avancee/", planning_views.planning_advanced, name="planning_advanced"),
    # Absences, agenda, abonnement calendrier
    path("absences/", absences.absences, name="absences"),
    path("absences/<int:absence_id>/certificat/", absences.absence_certificate, name="absence_certificate"),
    path("enfants/<int:child_id>/agenda/", agenda.child_agenda, name="child_agenda"),
    path("calendrier/<str:token>.ics", agenda.calendar_feed, name="calendar_feed"),
    path("mon-compte/calendrier/nouvelle-adresse/", agenda.calendar_feed_regenerate, name="calendar_feed_regenerate"),
    path("mon-compte/calendrier/supprimer/", agenda.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("mon-compte/rappels/", agenda.reminders_preference, name="reminders_preference"),
]

# Inscriptions (issue 9 §2)
from .views import enrolments as enrolment_views  # noqa: E402

urlpatterns += [
    path("mes-inscriptions/", enrolment_views.enrolments, name="enrolments"),
    path("mes-inscriptions/nouvelle/", enrolment_views.enrolment_start, name="enrolment_start"),
    path("mes-inscriptions/nouvelle/<int:child_id>/<int:activity_id>/", enrolment_views.enrolment_request,
         name="enrolment_request"),
    path("mes-inscriptions/reinscription/", enrolment_views.enrolment_renew, name="enrolment_renew"),
]
