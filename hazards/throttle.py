"""Login throttling shared by every server process (failures are rows, not process memory)."""

import datetime

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models import LoginFailure


def client_address(request):
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request else ""


def is_locked(username, address):
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    by_user = recent.filter(username=username.lower()).count() if username else 0
    by_address = recent.filter(address=address).count() if address else 0
    return max(by_user, by_address // 4) >= settings.LOGIN_MAX_FAILURES


class LoginThrottleForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码错误。"),
        "throttled": _("登录失败次数过多，请 %(minutes)d 分钟后再试。"),
    }

    def clean(self):
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request)
        if is_locked(username, address):
            raise ValidationError(self.error_messages["throttled"], code="throttled",
                                  params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60})
        try:
            return super().clean()
        except ValidationError:
            LoginFailure.objects.create(username=username.lower()[:150], address=address)
            raise


def clear_old_failures():
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    LoginFailure.objects.filter(~Q(at__gte=since)).delete()
