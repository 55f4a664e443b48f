"""Web links in free text (a task's notes): found so the TUI can list and open them."""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}>"


def find_links(text: str) -> list[str]:
    """The http(s) URLs in ``text``, in order, once each.

    Punctuation that ends a sentence is not part of the link ("see https://x.io/a.");
    a closing bracket is kept when the URL opened one (Wikipedia-style ``…_(film)``).
    """
    links: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if "://" in url and not url.endswith("://") and url not in links:
            links.append(url)
    return links
