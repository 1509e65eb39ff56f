"""A group for the people who approve news besides the administrators (e.g. the head of communication).

It starts empty: an administrator adds members in /cms/ (Paramètres → Groupes); the workflow's approval task
accepts both groups."""

from django.db import migrations

GROUP = "Validation des actualités"
TASK_NAME = "Validation par un administrateur"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    group, _ = Group.objects.get_or_create(name=GROUP)
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group.permissions.add(access)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is not None:
        task.name = "Validation des actualités"
        task.save(update_fields=["name"])
        task.groups.add(group)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_public_content_version")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
