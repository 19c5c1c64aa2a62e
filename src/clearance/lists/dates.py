"""Birth dates as lists write them: `30 Aug 1954`, `circa 1960`, `1958 to 1960`, `dd/mm/yyyy`.

Also the listing dates of records and the publication stamp a file states of itself.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.model import DateOfBirth, PartialDate

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}

_DAY_MON_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$")
_MON_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2}|dd)/(\d{1,2}|mm)/(\d{4})$", re.IGNORECASE)
_RANGE = re.compile(r"^(.+?)\s+(?:to|-|–)\s+(.+)$|^(\d{4})\s*[-–]\s*(\d{4})$")
_CIRCA = re.compile(r"^(?:circa|ca\.?|approximately|approx\.?|about|c\.)\s*", re.IGNORECASE)


def parse_date(text: str) -> PartialDate | None:
    """One date in any of the forms lists use, or None when it is not one."""
    text = " ".join(text.split()).strip(" .;,")
    try:
        if m := _ISO.match(text):
            year, month, day = m.groups()
            if month is not None and int(month) == 0:
                return PartialDate(year=int(year))
            if day is not None and int(day) == 0:
                return PartialDate(year=int(year), month=int(month))
            return PartialDate(year=int(year), month=_int(month), day=_int(day))
        if m := _DAY_MON_YEAR.match(text):
            month = _MONTHS.get(m.group(2).lower())
            if month is None:
                return None
            return PartialDate(year=int(m.group(3)), month=month, day=int(m.group(1)))
        if m := _MON_YEAR.match(text):
            month = _MONTHS.get(m.group(1).lower())
            return None if month is None else PartialDate(year=int(m.group(2)), month=month)
        if m := _DMY.match(text):
            day, month, year = m.groups()
            if month.lower() == "mm":
                return PartialDate(year=int(year))
            if day.lower() == "dd":
                return PartialDate(year=int(year), month=int(month))
            return PartialDate(year=int(year), month=int(month), day=int(day))
    except ValueError:
        return None
    return None


def parse_dob(text: str) -> DateOfBirth:
    """A birth date as written; what cannot be read is kept as text, never dropped (`.` stays `.`)."""
    raw = " ".join(text.split()).strip(" .;,") or " ".join(text.split())
    body = _CIRCA.sub("", raw)
    circa = body != raw
    if (date := parse_date(body)) is not None:
        return DateOfBirth(date=date, circa=circa)
    if m := _RANGE.match(body):
        first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        start, end = parse_date(first), parse_date(last)
        if start is not None and end is not None:
            return DateOfBirth(start=start, end=end, circa=circa)
    return DateOfBirth(text=raw, circa=circa)


def parse_day(text: str | None) -> dt.date | None:
    """A full calendar date (listing dates), or None when the text is not one."""
    if not text:
        return None
    date = parse_date(text.strip()[:10])
    if date is None or date.month is None or date.day is None:
        return None
    return dt.date(date.year, date.month, date.day)


def parse_published(source: str, path: Path, value: str | None, field: str) -> dt.datetime | None:
    """A file's publication stamp as ISO 8601 (UTC when it names no zone); None when the file states none."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ListFormatError(source, path, f"unreadable date {value!r}", field=field) from None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)
