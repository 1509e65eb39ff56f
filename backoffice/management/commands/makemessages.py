"""`makemessages` that never guesses: msgmerge runs without fuzzy matching, so a new French string is never given
the translation of a different one (« Demandée » is not « Demandé »)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
