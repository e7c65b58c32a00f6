import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an administrator if none exists. Credentials come from ADMIN_USER and "
        "ADMIN_PASSWORD; without ADMIN_PASSWORD a random password is generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator exists already.")
            return
        username = os.environ.get("ADMIN_USER", "admin")
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        if os.environ.get("ADMIN_PASSWORD"):
            self.stdout.write(f"Created administrator {username!r} with ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                f"Created administrator {username!r} with password {password!r} "
                "(shown only now; change it in the admin)."
            )
