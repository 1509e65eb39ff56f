"""The public site in Wagtail: home, service pages, news, menus, documents, programmes and site settings."""
