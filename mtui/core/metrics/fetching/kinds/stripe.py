"""``stripe`` sources: counts and MRR from the Stripe API, paging through its lists.

The source's URL is the API root (``https://api.stripe.com/v1``) and its credential a
**restricted key** sent as a bearer token; it needs Read on Customers and
Subscriptions, nothing else. Each selector names what to compute:

- ``new_customers(30d)``: customers created in the period (``GET /v1/customers`` with
  ``created[gte]``);
- ``trials(30d)``: subscriptions created in the period that started with a trial, and
  ``new_subscriptions(30d)``: all subscriptions created in the period (one listing,
  ``GET /v1/subscriptions?status=all&created[gte]=…``);
- ``active_subscriptions``: subscriptions whose status is ``active`` now, and ``mrr``
  (or ``mrr(eur)``): their monthly recurring revenue in major units — each item's
  ``price.unit_amount`` × ``quantity``, normalised to a month (a year /12, 3 months /3,
  a week ×52/12, a day ×365/12), smallest currency unit to major (cents to euros;
  yen stay yen). Metered prices have no fixed amount and are left out (a note says
  so); discounts and taxes are not applied. Without a currency, every subscription
  must be in one currency.

A period is ``Nd`` (the last N days up to the fetch), ``today`` or ``month`` (since
midnight UTC / the 1st of the month). Without selectors a source reads
``new_customers(30d)``, ``trials(30d)``, ``active_subscriptions`` and ``mrr``.

Lists are read 100 at a time (``has_more``/``starting_after``) for at most
``MAX_PAGES`` pages each; a list longer than that is not read to its end, and the
metrics from it are marked **partial** (the real value is higher) rather than hammer
the API. 429 answers are retried like any other source's (``Retry-After`` honoured);
one that persists says to poll less often.
A refused key (401) or a restricted key without a permission (403) becomes one line
that says which variable holds the key and which permission to grant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from mtui.core.metrics.fetching.errors import (
    AuthError,
    MetricError,
    ResponseError,
    SelectorError,
)
from mtui.core.metrics.fetching.kinds.base import Extraction
from mtui.core.metrics.fetching.templates import base_time
from mtui.core.metrics.fetching.transport import Exchange
from mtui.core.model import MetricSource

MAX_PAGES = 20
PAGE_SIZE = 100
PERIOD_METRICS = ("new_customers", "trials", "new_subscriptions")
METRICS = (*PERIOD_METRICS, "active_subscriptions", "mrr")
DEFAULT_SELECTORS = {
    "new_customers": "new_customers(30d)",
    "trials": "trials(30d)",
    "active_subscriptions": "active_subscriptions",
    "mrr": "mrr",
}
# https://docs.stripe.com/currencies#zero-decimal and #three-decimal
ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])
_MONTHS_PER = {"day": 12 / 365, "week": 12 / 52, "month": 1.0, "year": 12.0}
_SELECTOR = re.compile(r"\s*([a-z_]+)\s*(?:\(\s*([A-Za-z0-9]*)\s*\))?\s*")
_PERIOD = re.compile(r"^(\d{1,4})d$|^today$|^month$")
_PERMISSION = re.compile(r"'(rak_[a-z_]+)'")
_RESOURCE = {"customers": "Customers", "subscriptions": "Subscriptions"}


@dataclass(frozen=True, slots=True)
class StripeSelector:
    metric: str
    period: str | None = None  # new_customers, trials, new_subscriptions
    currency: str | None = None  # mrr


def parse_stripe_selector(text: str) -> StripeSelector:
    """``new_customers(30d)``, ``trials(today)``, ``active_subscriptions``, ``mrr(eur)``."""
    match = _SELECTOR.fullmatch(text)
    metric = match[1] if match else ""
    if match is None or metric not in METRICS:
        raise SelectorError(f"stripe selector {text!r}: expected one of {', '.join(METRICS)}")
    argument = (match[2] or "").lower()
    if metric in PERIOD_METRICS:
        period = argument or "30d"
        days = _PERIOD.match(period)
        if days is None or (days[1] is not None and not 1 <= int(days[1]) <= 3660):
            raise SelectorError(
                f"stripe selector {text!r}: the period is Nd (1–3660), today or month"
            )
        return StripeSelector(metric, period=period)
    if metric == "mrr":
        if argument and not re.fullmatch(r"[a-z]{3}", argument):
            raise SelectorError(f"stripe selector {text!r}: a currency is 3 letters, e.g. mrr(eur)")
        return StripeSelector(metric, currency=argument or None)
    if argument:
        raise SelectorError(f"stripe selector {text!r}: {metric} takes no argument")
    return StripeSelector(metric)


def period_start(period: str, exchange: Exchange) -> int:
    """Epoch seconds where ``period`` starts, for ``created[gte]``."""
    if period in ("today", "month"):
        return int(base_time(period, exchange.now).timestamp())
    days = int(period[:-1])
    return int((base_time("now", exchange.now) - timedelta(days=days)).timestamp())


def to_major(amount: float, currency: str) -> float:
    """An amount in the smallest unit of ``currency`` in its major unit."""
    if currency in ZERO_DECIMAL:
        return amount
    if currency in THREE_DECIMAL:
        return amount / 1000
    return amount / 100


@dataclass(slots=True)
class Listing:
    items: list[dict[str, Any]]
    complete: bool  # False when the page limit stopped the reading


def _explain(exc: ResponseError, source: MetricSource, path: str) -> MetricError | None:
    var = f"${source.auth_env}" if source.auth_env else "the key's variable"
    # Stripe masks the key it quotes (rk_test_****…7dc6); a run of stars says nothing.
    message = re.sub(r"\*{4,}", "…", exc.service_message or str(exc))
    if exc.status == 401:
        return AuthError(
            f"Stripe refused the key in {var} (HTTP 401: {message}); "
            "put a valid restricted key (rk_live_… or rk_test_…) there"
        )
    if exc.status == 403:
        resource = _RESOURCE.get(path, path)
        permission = _PERMISSION.search(message)
        needed = f" ({permission[1]})" if permission else ""
        return AuthError(
            f"the Stripe key in {var} may not read {resource} (HTTP 403){needed}: "
            f"give the restricted key '{resource}: Read' in Dashboard → Developers → API keys"
        )
    if exc.status == 429:
        return ResponseError(
            f"Stripe is rate-limiting this account ({exc}); poll less often, e.g. "
            "--interval 1h, or read fewer metrics per source"
        )
    return None


async def list_all(
    exchange: Exchange, source: MetricSource, path: str, params: dict[str, str]
) -> Listing:
    """Every object of ``GET {root}/{path}`` (up to ``MAX_PAGES`` pages)."""
    root = exchange.request.url.split("?", 1)[0].rstrip("/")
    items: list[dict[str, Any]] = []
    after: str | None = None
    for _page in range(MAX_PAGES):
        query = {**params, "limit": str(PAGE_SIZE), **({"starting_after": after} if after else {})}
        try:
            data = await exchange.get_json(f"{root}/{path}?{urlencode(query)}")
        except ResponseError as exc:
            explained = _explain(exc, source, path)
            if explained is None:
                raise
            explained.attempts = exc.attempts
            raise explained from None
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise ResponseError(f"not a Stripe list (GET /{path}): no 'data' list")
        page = [item for item in data["data"] if isinstance(item, dict)]
        items.extend(page)
        if not data.get("has_more") or not page:
            return Listing(items, complete=True)
        after = str(page[-1].get("id") or "")
        if not after:
            raise ResponseError(f"Stripe list (GET /{path}) without object ids to page on")
    return Listing(items, complete=False)


def _recurring_items(subscription: dict[str, Any]) -> Iterator[dict[str, Any]]:
    items = subscription.get("items")
    if isinstance(items, dict) and isinstance(items.get("data"), list):
        yield from (item for item in items["data"] if isinstance(item, dict))


def monthly_amounts(subscriptions: list[dict[str, Any]]) -> tuple[dict[str, float], int, bool]:
    """MRR by currency (major units), how many items had no fixed amount, and whether
    some subscription had more items than the list carried."""
    by_currency: dict[str, float] = {}
    skipped = 0
    truncated = False
    for subscription in subscriptions:
        items = subscription.get("items")
        if isinstance(items, dict) and items.get("has_more"):
            truncated = True
        for item in _recurring_items(subscription):
            price = item.get("price") if isinstance(item.get("price"), dict) else item.get("plan")
            if not isinstance(price, dict):
                skipped += 1
                continue
            recurring = price.get("recurring") if "recurring" in price else price
            amount = price.get("unit_amount")
            if amount is None and price.get("unit_amount_decimal") is not None:
                amount = float(price["unit_amount_decimal"])
            if amount is None and price.get("amount") is not None:  # a legacy Plan
                amount = price["amount"]
            if not isinstance(recurring, dict) or amount is None:
                skipped += 1
                continue
            if recurring.get("usage_type") == "metered":
                skipped += 1
                continue
            interval = str(recurring.get("interval") or "")
            count = recurring.get("interval_count") or 1
            if interval not in _MONTHS_PER or not isinstance(count, int) or count < 1:
                skipped += 1
                continue
            quantity = item.get("quantity")
            quantity = 1 if quantity is None else quantity
            currency = str(price.get("currency") or "").lower()
            monthly = float(amount) * float(quantity) / (_MONTHS_PER[interval] * count)
            by_currency[currency] = by_currency.get(currency, 0.0) + to_major(monthly, currency)
    return by_currency, skipped, truncated


def _pages_note(what: str, listing: Listing) -> str:
    return (
        f"partial: read only the first {len(listing.items)} {what} ({MAX_PAGES} pages of "
        f"{PAGE_SIZE}); the real value is higher"
    )


async def read_stripe(exchange: Exchange, source: MetricSource) -> Extraction:
    """Fetch and compute the source's Stripe metrics (see the module docstring)."""
    selectors = source.selectors or DEFAULT_SELECTORS
    wanted = {key: parse_stripe_selector(text) for key, text in selectors.items()}
    result = Extraction()
    listings: dict[tuple[str, str | None], Listing] = {}

    async def listing(name: str, period: str | None) -> Listing:
        if (name, period) not in listings:
            params: dict[str, str] = {}
            if period is not None:
                params["created[gte]"] = str(period_start(period, exchange))
            if name == "subscriptions_created":
                params["status"] = "all"
            if name == "subscriptions_active":
                params["status"] = "active"
            path = "customers" if name == "customers" else "subscriptions"
            listings[(name, period)] = await list_all(exchange, source, path, params)
        return listings[(name, period)]

    periods: set[str] = set()
    for key, selector in wanted.items():
        if selector.metric == "new_customers":
            found = await listing("customers", selector.period)
            result.values[key] = float(len(found.items))
            what = "customers"
        elif selector.metric in ("trials", "new_subscriptions"):
            found = await listing("subscriptions_created", selector.period)
            chosen = [
                s for s in found.items
                if selector.metric == "new_subscriptions" or s.get("trial_start") is not None
            ]  # fmt: skip
            result.values[key] = float(len(chosen))
            what = "subscriptions"
        else:
            found = await listing("subscriptions_active", None)
            what = "active subscriptions"
            if selector.metric == "active_subscriptions":
                result.values[key] = float(len(found.items))
            else:
                by_currency, skipped, truncated = monthly_amounts(found.items)
                if selector.currency is not None:
                    result.values[key] = round(by_currency.get(selector.currency, 0.0), 2)
                elif len(by_currency) > 1:
                    names = ", ".join(sorted(by_currency))
                    result.errors.append(
                        f"metric {key!r}: subscriptions in several currencies ({names}); "
                        f"write {key}=mrr(CURRENCY), one source metric per currency"
                    )
                    continue
                else:
                    result.values[key] = round(sum(by_currency.values()), 2)
                if skipped:
                    result.notes.append(
                        f"{key}: {skipped} subscription item(s) without a fixed monthly "
                        "price (metered or tiered) are not counted"
                    )
                if truncated:
                    result.partial.append(key)
                    result.notes.append(
                        f"partial: {key}: a subscription has more items than Stripe lists "
                        "with it; those are not counted"
                    )
        if selector.period is not None:
            periods.add(selector.period)
        if not found.complete:
            result.partial.append(key)
            note = _pages_note(what, found)
            if note not in result.notes:
                result.notes.append(note)
    if len(periods) == 1:
        result.period = periods.pop()
    return result
