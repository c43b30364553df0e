import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from hazards import demo


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    from workflow.periods import clear_cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "http://park.example"
    clear_cache()


@pytest.fixture
def committee(db):
    """The customer's committee: offices, leaders, officers, sectors, enterprises and demo accounts."""
    return demo.load_committee()


@pytest.fixture
def users(committee):
    User = get_user_model()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def client_for(users):
    def make(username):
        client = Client()
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def in_days(today):
    return lambda n: today + datetime.timedelta(days=n)
