"""Who is asking: the client's network address, for the limits on logins, password resets and
the contact form.

Behind a reverse proxy every request comes from the proxy, so ``CLIENT_IP_HEADER`` names the
``request.META`` key the proxy writes the client's address to (e.g. ``HTTP_X_REAL_IP``). Only
set it when the proxy overwrites that header: otherwise clients could choose their address.
"""

from django.conf import settings


def client_ip(request):
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    address = request.META.get(header, "") if header else ""
    return address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
