"""Business rules of the families app, as plain functions (services write, selectors read)."""
