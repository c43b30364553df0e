"""Template context for the supervision section: the unread-reminder count (counted only where a page shows it)."""

from .models import Reminder


def supervision(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    return {
        # a callable: the template calls it where it is used, so other pages run no query
        "unread_reminders": lambda: Reminder.objects.filter(user=user, read_at__isnull=True).count(),
        "supervision_nav": name.startswith("supervision_"),
    }
