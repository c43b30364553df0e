"""gunicorn settings for `make run` and production: warm each worker's notice renderer at start."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
timeout = 120
accesslog = "-"


def post_worker_init(worker):
    from workflow.notices import warm_up

    warm_up()
