"""Signals of the billing domain, for the parts that must follow money without the payment code knowing them."""

from django.dispatch import Signal

# Sent after the transaction that recorded, spread or rejected a payment commits.
# kwargs: family (Family), years (set[int], the calendar years of the payments concerned).
payments_changed = Signal()
