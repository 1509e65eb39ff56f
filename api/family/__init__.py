"""The family API (`/api/v1/family/…`): what a parent's mobile app reads and changes, scoped to their own family,
through the same services and délais as the portal."""
