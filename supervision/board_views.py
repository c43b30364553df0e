"""Pages of the listing boards (公示牌): the park's current boards and their batch print into one file."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazards.views import _attempt, staff_required

from . import boards
from .models import BoardBatch


class BatchForm(forms.Form):
    paper = forms.ChoiceField(label=gettext_lazy("纸张规格"), choices=list(boards.PAPERS.items()), initial="A4",
                              widget=forms.RadioSelect,
                              error_messages={"required": gettext_lazy("请选择纸张规格（A4或A3）。"),
                                              "invalid_choice": gettext_lazy("请选择纸张规格（A4或A3）。")})


@staff_required
def board_list(request):
    form = BatchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = _attempt(form, lambda: boards.batch_start(user=request.user, paper=form.cleaned_data["paper"]))
        if result is not None:
            batch, started = result
            if not started:
                messages.info(request, _("刚刚已开始同样的批量打印，以下为该次打印的进度。"))
            return redirect("supervision_board_batch", batch.pk)
    rows = []
    for enterprise, notice in boards.current_boards():
        people = (notice.context.get("people") if notice else None) or []
        rows.append({"enterprise": enterprise, "notice": notice, "people": people})
    batches = BoardBatch.objects.select_related("requested_by__staff")[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/boards.html", {
        "rows": rows, "form": form, "batches": batches,
        "ready": sum(1 for r in rows if r["notice"] is not None),
    }, status=status)


@staff_required
def batch_detail(request, pk):
    batch = get_object_or_404(BoardBatch.objects.select_related("requested_by__staff"), pk=pk)
    return render(request, "supervision/board_batch.html", {"batch": batch, "status": _status(batch)})


def _status(batch):
    data = boards.batch_status(batch)
    data["pdf_url"] = (reverse("supervision_board_batch_pdf", args=[batch.pk])
                       if batch.state == BoardBatch.State.DONE and batch.pdf else None)
    return data


@staff_required
def batch_status(request, pk):
    batch = get_object_or_404(BoardBatch, pk=pk)
    response = JsonResponse(_status(batch), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def batch_pdf(request, pk):
    batch = get_object_or_404(BoardBatch, pk=pk)
    if batch.state != BoardBatch.State.DONE or not batch.pdf:
        raise Http404(_("该批次的打印文件尚未生成。"))
    filename = _("公示牌批量打印-%(p)s-%(d)s.pdf") % {
        "p": batch.paper, "d": (batch.finished_at or batch.requested_at).strftime("%Y%m%d")}
    try:
        handle = batch.pdf.open("rb")
    except FileNotFoundError:  # the stored file was removed: print again, no crash
        raise Http404(_("该批次的打印文件已不存在，请重新批量打印。")) from None
    return FileResponse(handle, content_type="application/pdf", filename=filename)
