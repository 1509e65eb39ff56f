"""The project's URLs plus `/bench/trivial/`: the floor a Django request costs on the same server."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("backoffice.urls")),
]
