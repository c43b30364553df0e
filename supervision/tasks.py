from django_tasks import task


@task()
def send_reminders():
    from . import reminders

    return reminders.run()


@task()
def send_presence_reminders(request_id):
    from . import reminders

    return reminders.deliver(reminders.presence_reminders([request_id]))


@task()
def send_hazard_reminders(hazard_ids):
    from . import reminders

    return reminders.deliver(reminders.hazard_reminders(hazard_ids))


@task()
def print_boards(batch_id):
    from . import boards

    boards.batch_run(batch_id)
