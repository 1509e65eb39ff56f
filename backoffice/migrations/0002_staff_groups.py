"""Create the staff groups. Their permissions are given by `roles_sync`, which also runs after every migrate."""

from django.db import migrations

GROUPS = ["Agents service enfance", "Régisseurs", "Animateurs", "Communication", "Administrateurs"]


def create_groups(apps, schema_editor):
    from backoffice.roles import roles_sync

    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    roles_sync(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
