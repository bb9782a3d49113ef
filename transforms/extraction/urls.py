"""URL helpers: one normal form for every URL-based decision, the source site, dates in paths.

:func:`normalize_url` makes two crawls of one article compare equal whatever their
scheme, ``www.``, tracking parameters, fragment or trailing slash. It is the key of
article ids, so it must stay stable across releases (a change is a schema change).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["date_from_url", "normalize_url", "source_of"]

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "cmpid",
        "ito",
        "ncid",
        "ocid",
        "smid",
        "spm",
        "_ga",
        "yclid",
        "at_medium",
        "at_campaign",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "__")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/-]|$)")


def normalize_url(url: str | None) -> str | None:
    """``http(s)://www.Host/path/?utm_x=1#frag`` -> ``host/path``; None for what is not an http URL."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host:
        return None
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    return urlunsplit(("", netloc, path, urlencode(sorted(query)), "")).lstrip("/")


def source_of(url: str | None) -> str | None:
    """The site of ``url``: its host in lower case without ``www.``."""
    normalized = normalize_url(url)
    if normalized is None:
        return None
    return normalized.split("/", 1)[0].split(":", 1)[0]


def date_from_url(url: str | None) -> str | None:
    """A ``/YYYY/MM/DD/`` (or ``YYYY-MM-DD``) date in the URL's path, as ``YYYY-MM-DD``."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    match = _URL_DATE.search(path)
    if match is None:
        return None
    year, month, day = (int(group) for group in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"
