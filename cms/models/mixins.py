"""What every public page shares: meta description and Open Graph image fallbacks."""


class SeoMixin:
    def get_meta_description(self):
        return self.search_description or ""

    def get_og_image(self):
        return None

    og_type = "website"
