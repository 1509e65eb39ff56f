"""Parent portal views."""
