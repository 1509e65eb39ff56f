"""Families and their dossier, the activity catalogue, enrolments, bookings and the parent portal views."""
