"""Billing pages of the parent portal, included under /portail/ (namespace "billing")."""

from django.urls import path

from .views.simulation import simulation

app_name = "billing"

urlpatterns = [
    path("simulation/", simulation, name="simulation"),
]
