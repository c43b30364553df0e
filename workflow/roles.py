"""Who a user is in the committee: staff member, enterprise user, or neither."""

from django.core.exceptions import ObjectDoesNotExist


def staff_of(user):
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff
    except ObjectDoesNotExist:
        return None


def enterprise_of(user):
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.enterprise_account.enterprise
    except ObjectDoesNotExist:
        return None


def display_name(user):
    if user is None:
        return "系统"
    staff = staff_of(user)
    if staff:
        return staff.full_name
    try:
        return user.enterprise_account.full_name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()
