"""A throwaway app, installed only in test settings, that proves the CRUD engine generates every surface."""
