"""The first administrator: created if none exists, made a platform coordinator, with an
address that review notifications can reach."""

import os
import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from organisations.scope import COORDINATORS


class Command(BaseCommand):
    help = (
        "Create an administrator if none exists, put the first administrator in the platform "
        "coordinators' group (told of every submission) and give them an email address. "
        "Credentials come from ADMIN_USER, ADMIN_PASSWORD and ADMIN_EMAIL; without "
        "ADMIN_PASSWORD a random password is generated and printed once; without ADMIN_EMAIL "
        "the address is asked for when a person runs the command."
    )

    def handle(self, *args, **options):
        given = _given_email()  # checked first: a wrong ADMIN_EMAIL changes nothing
        User = get_user_model()
        admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            admin = self._create(User)
        else:
            self.stdout.write(f"An administrator exists already: {admin.get_username()!r}.")
        if not admin.email:
            email = given or self._ask_email()
            if email:
                admin.email = email
                admin.save(update_fields=["email"])
                self.stdout.write(f"Review notifications go to {email}.")
            else:
                self.stderr.write(
                    "The administrator has no email address, so a submission for review "
                    "notifies nobody. Set ADMIN_EMAIL and run `manage.py ensure_admin` again, "
                    "or add the address in the admin (Inställningar → Användare)."
                )
        coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
        if not admin.groups.filter(pk=coordinators.pk).exists():
            admin.groups.add(coordinators)
            self.stdout.write(f"{admin.get_username()!r} is now one of the {COORDINATORS}.")

    def _create(self, User):
        username = os.environ.get("ADMIN_USER", "admin")
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        admin = User.objects.create_superuser(username=username, email="", password=password)
        if os.environ.get("ADMIN_PASSWORD"):
            self.stdout.write(f"Created administrator {username!r} with ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                f"Created administrator {username!r} with password {password!r} "
                "(shown only now; change it in the admin)."
            )
        return admin

    def _ask_email(self):
        """The address a person types (asked again until it is one), or "" when nobody is
        there to ask (a script, CI) or they leave it empty."""
        if not sys.stdin.isatty():
            return ""
        while True:
            answer = input("Email address for review notifications (empty: none for now): ")
            answer = answer.strip()
            if not answer:
                return ""
            try:
                validate_email(answer)
            except ValidationError:
                self.stderr.write(f"{answer!r} is not an email address; try again.")
                continue
            return answer


def _given_email():
    given = os.environ.get("ADMIN_EMAIL", "").strip()
    if given:
        try:
            validate_email(given)
        except ValidationError as error:
            raise CommandError(f"ADMIN_EMAIL={given!r} is not an email address.") from error
    return given
