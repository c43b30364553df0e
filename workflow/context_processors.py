from workflow.roles import enterprise_of, staff_of


def navigation(request):
    user = getattr(request, "user", None)
    return {"current_staff": staff_of(user), "current_enterprise": enterprise_of(user)}
