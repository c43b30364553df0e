from django.contrib.auth.views import redirect_to_login


class LoginForWorkbench:
    """Anonymous visitors of viewflow's pages are sent to log in, like on every other staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/workflow/") and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
