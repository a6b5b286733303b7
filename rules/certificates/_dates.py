"""How the certificate rules read and print dates: aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utc(moment: datetime) -> datetime:
    """Return `moment` with a time zone (a naive value is taken as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def when(moment: datetime) -> str:
    """Format a date for messages: `2028-01-15 14:00 UTC`."""
    return f"{utc(moment).astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def hours(delta: timedelta) -> str:
    """Say how long `delta` is, in hours (minutes under an hour), whatever its sign."""
    seconds = abs(delta.total_seconds())
    return f"{seconds / 3600:.0f} hours" if seconds >= 3600 else f"{seconds / 60:.0f} minutes"
