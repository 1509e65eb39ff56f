"""Euro amounts as the French read them: « 1 234,50 € »."""

from decimal import Decimal


def euros(value: Decimal) -> str:
    """1234.5 → "1 234,50 €" (French grouping with a no-break space, decimal comma).

    U+00A0 rather than the typographic narrow U+202F: the PDFs' standard fonts have no glyph for the latter (a black
    box on every invoice of 1 000 € or more)."""
    text = f"{Decimal(value):,.2f}".replace(",", "\xa0").replace(".", ",")
    return f"{text} €"
