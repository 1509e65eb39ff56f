"""The low-code CRUD engine: one `register(Model, ...)` declaration gives staff every surface of a model.

From a single `Crud` declaration the engine builds
  (a) a Django admin on the back-office site (`/gestion/`) with list, search, filters, history and import/export,
  (b) a django-import-export resource (CSV/XLSX, natural keys, dry-run preview, French row/column errors),
  (c) a DRF serializer, django-filter FilterSet and viewset mounted under `/api/v1/<api_name>/`,
  (d) and through drf-spectacular, their OpenAPI description.

Hand-written code extends the generated classes (`admin_mixins`, `resource_mixins`, `serializer_mixins`,
`viewset_mixins`) instead of replacing them. Each app declares its models in its own `crud.py`, imported at
start-up by `BackofficeConfig.ready()`.
"""

from .engine import Crud, CrudRegistry, inline, register, registry

__all__ = ["Crud", "CrudRegistry", "inline", "register", "registry"]
