"""Parent portal URLs under /portail/."""

from django.urls import path

from .views.auth import PortalLoginView, PortalLogoutView
from .views.home import portal_home

app_name = "portal"

urlpatterns = [
    path("", portal_home, name="home"),
    path("connexion/", PortalLoginView.as_view(), name="login"),
    path("deconnexion/", PortalLogoutView.as_view(), name="logout"),
]
