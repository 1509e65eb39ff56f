from backoffice.crud import register

from .models import Gadget

register(
    Gadget,
    api_name="gadgets",
    list_display=("label", "family", "bought_on", "price"),
    list_filter=("bought_on",),
    search_fields=("label",),
    natural_keys={"family": "code"},
    import_id_fields=("family", "label"),
)
