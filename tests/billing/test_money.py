"""Amounts in euros as the French read them, printable by the PDFs' standard fonts."""

from decimal import Decimal

from billing.money import euros


def test_euros_groups_thousands_with_a_no_break_space_and_a_decimal_comma():
    assert euros(Decimal("1234.5")) == "1\xa0234,50 €"
    assert euros(Decimal("3.4")) == "3,40 €"


def test_every_character_exists_in_the_pdf_standard_fonts():
    # Helvetica in reportlab is WinAnsi (cp1252): a character outside it prints as a black box.
    euros(Decimal("123456.78")).encode("cp1252")
