"""Reference data every town shares: French primary class levels and the 14 regulated allergens."""

from django.db import migrations

LEVELS = [
    ("TPS", "Toute petite section", 0),
    ("PS", "Petite section", 1),
    ("MS", "Moyenne section", 2),
    ("GS", "Grande section", 3),
    ("CP", "Cours préparatoire", 4),
    ("CE1", "Cours élémentaire 1", 5),
    ("CE2", "Cours élémentaire 2", 6),
    ("CM1", "Cours moyen 1", 7),
    ("CM2", "Cours moyen 2", 8),
]

# Règlement (UE) n° 1169/2011, annexe II.
ALLERGENS = [
    ("gluten", "Céréales contenant du gluten"),
    ("crustaces", "Crustacés"),
    ("oeufs", "Œufs"),
    ("poissons", "Poissons"),
    ("arachides", "Arachides"),
    ("soja", "Soja"),
    ("lait", "Lait"),
    ("fruits-a-coque", "Fruits à coque"),
    ("celeri", "Céleri"),
    ("moutarde", "Moutarde"),
    ("sesame", "Graines de sésame"),
    ("sulfites", "Anhydride sulfureux et sulfites"),
    ("lupin", "Lupin"),
    ("mollusques", "Mollusques"),
]


def seed(apps, schema_editor):
    ClassLevel = apps.get_model("families", "ClassLevel")
    Allergen = apps.get_model("families", "Allergen")
    for code, label, rank in LEVELS:
        ClassLevel.objects.update_or_create(code=code, defaults={"label": label, "rank": rank})
    for rank, (code, label) in enumerate(ALLERGENS, start=1):
        Allergen.objects.update_or_create(code=code, defaults={"label": label, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
