import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings.dev")
# A web request never waits on one database statement for more than five seconds (a hung
# database then gives a fast 503); management commands (migrations, imports) are not capped.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")

application = get_wsgi_application()
