from django.db import models
from simple_history.models import HistoricalRecords

from families.models import Family


class Gadget(models.Model):
    """A model nobody else knows about: if the engine works for it, it works for any model."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="gadgets")
    label = models.CharField("libellé", max_length=50)
    bought_on = models.DateField("acheté le")
    price = models.DecimalField("prix", max_digits=8, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "gadget"
        ordering = ["label"]
