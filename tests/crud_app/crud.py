from backoffice.crud import FULL_CRUD, register

from .models import Gadget

register(
    Gadget,
    api_name="gadgets",
    writes=FULL_CRUD,
    importable=True,
    list_display=("label", "family", "bought_on", "price"),
    list_filter=("bought_on",),
    search_fields=("label",),
    natural_keys={"family": "code"},
    import_id_fields=("family", "label"),
)
