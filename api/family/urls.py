"""Routes of the family API, mounted under /api/v1/family/."""

from django.urls import path

from . import views

urlpatterns = [
    path("children/", views.FamilyChildrenView.as_view(), name="family-children"),
    path("planning/", views.FamilyPlanningView.as_view(), name="family-planning"),
    path("enrolments/", views.FamilyEnrolmentsView.as_view(), name="family-enrolments"),
]
