"""Store every login email lowercased and stripped, as the User manager now does on save.

The case-insensitive unique constraint (user_email_ci_unique) guarantees no two accounts collide.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Lower, Trim


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("backoffice", "User")
    User.objects.exclude(email=Lower(Trim(F("email")))).update(email=Lower(Trim(F("email"))))


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0003_accounts_attempt")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
