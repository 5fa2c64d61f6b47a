"""What `[api]` needs checked as a whole: a `token` whenever `host` is not a loopback
address (the API would be open to the network), and a default page no larger than the
largest one allowed."""

from __future__ import annotations

import ipaddress

from phase_tui.config.report import Report
from phase_tui.config.settings import ApiSettings


def is_loopback(host: str) -> bool:
    """True for `localhost` and the loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def token_problem(settings: ApiSettings) -> str | None:
    """Why these settings would open the API to others, or None when they do not."""
    if settings.token or is_loopback(settings.host):
        return None
    return (
        f'`api.host` is "{settings.host}", not a loopback address: set `api.token` so only '
        "requests with `Authorization: Bearer <token>` are answered"
    )


def check_api(settings: ApiSettings, report: Report) -> None:
    """Report a non-loopback host without a token, and a page size above the maximum."""
    problem = token_problem(settings)
    if problem is not None:
        report.add(("api", "host"), problem)
    if settings.page_size > settings.max_page_size:
        report.add(
            ("api", "page_size"),
            f"`api.page_size` ({settings.page_size}) is larger than `api.max_page_size` "
            f"({settings.max_page_size})",
        )
