"""System checks: notices need a CJK font and HarfBuzz subsetting; deadlines need next year's calendar."""

import ctypes.util
import datetime
import shutil
import subprocess

from django.conf import settings
from django.core import checks


def cjk_font_families():
    """Families fontconfig knows that cover Chinese."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    result = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    return {name.strip() for line in result.stdout.splitlines() for name in line.split(",") if name.strip()}


@checks.register()
def check_cjk_font(app_configs=None, **kwargs):
    families = cjk_font_families()
    if families is None:
        return [checks.Error(
            "fontconfig (fc-list) is missing, so WeasyPrint cannot find a CJK font for notices.",
            hint="Install it: apt-get install fontconfig fonts-noto-cjk", id="workflow.E001",
        )]
    if settings.NOTICE_FONT_FAMILY not in families:
        return [checks.Error(
            f"No CJK font '{settings.NOTICE_FONT_FAMILY}' for notices: Chinese would print as empty boxes.",
            hint="Install it: apt-get install fonts-noto-cjk (or set NOTICE_FONT_FAMILY to one of: "
                 + (", ".join(sorted(families)) or "none found") + ")",
            id="workflow.E002",
        )]
    return []


def harfbuzz_subset_available():
    return ctypes.util.find_library("harfbuzz-subset") is not None


@checks.register()
def check_harfbuzz_subset(app_configs=None, **kwargs):
    if harfbuzz_subset_available():
        return []
    return [checks.Warning(
        "HarfBuzz's subsetting library is missing: every CJK notice takes 30-40 times longer to render.",
        hint="Install it: apt-get install libharfbuzz-subset0", id="workflow.W001",
    )]


@checks.register(checks.Tags.database)
def check_next_year_calendar(app_configs=None, **kwargs):
    from .calendar import year_is_known

    today = datetime.date.today()
    if today.month < 11:
        return []
    try:
        known = year_is_known(today.year + 1)
    except Exception:  # tables not migrated yet
        return []
    if known:
        return []
    return [checks.Warning(
        f"The working-day calendar has no data for {today.year + 1}: deadlines there count weekdays only "
        "and are marked provisional.",
        hint="Enter the State Council's holidays and 调休 working days under 节假日与调休 in the admin, "
             "or upgrade chinese-calendar.",
        id="workflow.W002",
    )]
