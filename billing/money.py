"""Euro amounts as the French read them: « 1 234,50 € »."""

from decimal import Decimal


def euros(value: Decimal) -> str:
    """1234.5 → "1 234,50 €" (French grouping with a narrow no-break space, decimal comma)."""
    text = f"{Decimal(value):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"
