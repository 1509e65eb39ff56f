"""Reference data of the public site: EGalim quality labels, the Communication group's page and collection
permissions, and the news moderation workflow (submit → approval by the Administrateurs, editable in /cms/)."""

from django.db import migrations

LABELS = [
    # code, label, short, counted by EGalim
    ("bio", "Agriculture biologique", "Bio", True),
    ("label-rouge", "Label Rouge", "LR", True),
    ("aop-aoc", "AOP / AOC", "AOP", True),
    ("igp", "Indication géographique protégée", "IGP", True),
    ("hve", "Haute valeur environnementale", "HVE", True),
    ("peche-durable", "Pêche durable (MSC)", "MSC", True),
    ("local", "Produit local", "Local", False),
    ("fait-maison", "Fait maison", "Maison", False),
]

PAGE_PERMISSIONS = {
    "Communication": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Administrateurs": ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "document", ["add_document", "change_document", "delete_document", "choose_document"]),
    ("wagtailimages", "image", ["add_image", "change_image", "delete_image", "choose_image"]),
]
WORKFLOW_NAME = "Validation des actualités"
TASK_NAME = "Validation par un administrateur"


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return permission


def forwards(apps, schema_editor):
    MenuLabel = apps.get_model("cms", "MenuLabel")
    for rank, (code, label, short, egalim) in enumerate(LABELS):
        MenuLabel.objects.update_or_create(code=code, defaults={"label": label, "short": short, "egalim": egalim,
                                                                "rank": rank})

    Group = apps.get_model("auth", "Group")
    HomePage = apps.get_model("cms", "HomePage")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    home = HomePage.objects.order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).first()
    for group_name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        if home:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=home.pk, permission=_permission(apps, "wagtailcore", "page", codename)
                )
        if root_collection:
            for app_label, model, perms in COLLECTION_PERMISSIONS:
                for codename in perms:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection,
                        permission=_permission(apps, app_label, model, codename),
                    )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name__in=[TASK_NAME, WORKFLOW_NAME]).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(Group.objects.get(name="Administrateurs"))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_public_site"),
        ("backoffice", "0002_staff_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
