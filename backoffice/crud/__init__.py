"""The low-code CRUD engine: one `register(Model, ...)` declaration gives staff every surface of a model.

From a single `Crud` declaration the engine builds
  (a) a Django admin on the back-office site (`/gestion/`) with list, search, filters, history and import/export,
  (b) a django-import-export resource (CSV/XLSX, natural keys, dry-run preview, French row/column errors),
  (c) a DRF serializer, django-filter FilterSet and viewset mounted under `/api/v1/<api_name>/`,
  (d) and through drf-spectacular, their OpenAPI description.

The engine generates *base* classes (`crud.admin_base`, `serializer_base`, `viewset_base`, `filterset_base`,
`resource_base`); hand-written code extends them, either as mixins placed above the base (`admin_mixins`,
`resource_mixins`, `serializer_mixins`, `viewset_mixins`) or as a subclass given to `register(declare(...),
admin_class=...)`, so a hand-written attribute always wins over the generated default.

Safe by default: a declaration is read-only (`writes=READ_ONLY`) and not importable; reference data says
`writes=FULL_CRUD`; workflow models declare named `actions=[CrudAction(...)]` that call their service. Each app declares its models in its own `crud.py`, imported at
start-up by `BackofficeConfig.ready()`.
"""

from .engine import FULL_CRUD, READ_ONLY, Crud, CrudAction, CrudRegistry, declare, inline, register, registry

__all__ = ["FULL_CRUD", "READ_ONLY", "Crud", "CrudAction", "CrudRegistry", "declare", "inline", "register", "registry"]
