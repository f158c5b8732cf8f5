"""The last days of a year, which the next year's holiday notice may already arrange.

The State Council's notice for a year may arrange the last days of the year before (the 2019
notice made 2018-12-30/31 days off and 2018-12-29 a working day); 28 December is the earliest
such a day can be (see zh.workdays). Read by the shape of data/holidays.yaml (schema) and by
the calendar (zh.workdays) alike; here, without pydantic, because a calendar sent to the build's
second process is used there without any data file being validated.
"""

from __future__ import annotations

import datetime as dt

# From this day of December on, a day may be arranged by the next year's notice.
YEAR_END_FIRST_DAY = 28


def is_year_end(day: dt.date) -> bool:
    return day.month == 12 and day.day >= YEAR_END_FIRST_DAY
