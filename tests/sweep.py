"""Shared pieces of the bad-input sweeps: clients that remember what was posted, and readers of the refusal."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient


class Recording:
    """Keeps what was posted on the response, so messages that quote the bad value back are not taken for English."""

    def post(self, path, data=None, *args, **kwargs):
        response = super().post(path, data, *args, **kwargs)
        response.sent = data
        return response


class PageClient(Recording, Client):
    pass


class ApiClient(Recording, APIClient):
    pass


@pytest.fixture
def page(users):
    def make(username=None):
        client = PageClient(raise_request_exception=False)
        if username:
            client.force_login(users[username])
        return client

    return make


@pytest.fixture
def api(users):
    def make(username=None):
        client = ApiClient(raise_request_exception=False)
        if username:
            client.force_authenticate(users[username])
        return client

    return make


def shown_errors(response):
    """The refusals a person reads on the page: field errors, the alert box and flash messages."""
    body = response.content.decode()
    blocks = re.findall(r'class="(?:errorlist|messages)[^"]*"[^>]*>(.*?)</ul>', body, re.S)
    blocks += re.findall(r'<div class="alert error" role="alert">(.*?)</div>', body, re.S)
    return " ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", b)).strip() for b in blocks)


def json_text(response):
    """Every message string of a JSON error body."""
    def walk(value):
        if isinstance(value, dict):
            return " ".join(walk(v) for v in value.values())
        if isinstance(value, list):
            return " ".join(walk(v) for v in value)
        return str(value)

    return walk(response.json())
