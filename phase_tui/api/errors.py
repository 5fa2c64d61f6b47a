"""The errors a request of the API can meet: an HTTP status and one sentence, sent to the
client as `{"error": "..."}`."""

from __future__ import annotations


class ApiError(Exception):
    """A request that can not be answered as asked; `str()` is the sentence for the client."""

    status = 500
    headers: dict[str, str] = {}


class BadRequest(ApiError):
    """A parameter of the request is wrong (400)."""

    status = 400


class NotFound(ApiError):
    """What the request names does not exist (404)."""

    status = 404


class Unauthorized(ApiError):
    """The request lacks the token the API was configured with (401)."""

    status = 401
    headers = {"WWW-Authenticate": 'Bearer realm="phase-os"'}
