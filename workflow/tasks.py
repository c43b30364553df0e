from django_tasks import task


@task()
def render_notice(notice_id):
    from .notices import ensure_pdf

    ensure_pdf(notice_id)
