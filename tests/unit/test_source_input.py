"""The source form's core (``mtui.core.metrics.source_input``): drafts to fields with the
field at fault named, variables reported set or not (never their value), and
``save_source``, which the form and ``mtui source add`` share."""

from __future__ import annotations

import pytest

from mtui.core.errors import ValidationError
from mtui.core.metrics.source_input import (
    CUSTOM,
    SourceDraft,
    draft_fields,
    draft_from_source,
    env_state,
    looks_like_secret,
    save_source,
)
from mtui.core.strategy.input import FieldError


def test_env_state_says_set_or_not_and_never_returns_the_value() -> None:
    env = {"GA4_KEY": "/keys/ga4.json", "BLANK": "  "}
    assert env_state("GA4_KEY", env) == "set"
    assert env_state("BLANK", env) == "empty"
    assert env_state("MISSING", env) == "unset"
    assert env_state("not a name", env) == "invalid"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("STRIPE_API_KEY", False),
        ("GA4_KEY", False),
        ("my_token", False),
        ("sk_live_51HxAbCdEf0123", True),
        ("phc_a8F3kd93JdkeLq0", True),
    ],
)
def test_a_pasted_secret_is_told_from_a_variable_name(name: str, secret: bool) -> None:
    assert looks_like_secret(name) is secret


def _field_of(draft: SourceDraft) -> str:
    with pytest.raises(FieldError) as raised:
        draft_fields(draft, 300)
    return raised.value.field


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (SourceDraft(name="", preset="plausible", options={"site": "a.example"}), "name"),
        (SourceDraft(name="web", preset="plausible"), "opt-site"),
        (SourceDraft(name="web", preset="plausible",
                     options={"site": "a.example", "period": "fortnight"}), "opt-period"),
        (SourceDraft(name="web", preset="ga4", options={"property": "12x"},
                     auth_env="GA4_KEY"), "opt-property"),
        (SourceDraft(name="web", preset="plausible", options={"site": "a.example"},
                     auth_env="sk_live_51HxAbCdEf0123"), "auth_env"),
        (SourceDraft(name="web", preset="plausible", options={"site": "a.example"},
                     interval="forever"), "interval"),
        (SourceDraft(name="web", preset="plausible", options={"site": "a.example"},
                     timeout="500"), "timeout"),
        (SourceDraft(name="web", preset=CUSTOM, url="ftp://x.example/a",
                     metrics="v=a.b"), "url"),
        (SourceDraft(name="web", preset=CUSTOM, url="https://x.example/a"), "metrics"),
        (SourceDraft(name="web", preset=CUSTOM, url="https://x.example/a", metrics="v=a.b",
                     headers="Authorization: Bearer abc"), "headers"),
        (SourceDraft(name="web", preset=CUSTOM, url="https://x.example/a", metrics="v=a.b",
                     auth_type="bearer"), "auth_env"),
    ],
)  # fmt: skip
def test_a_bad_draft_names_its_field(draft: SourceDraft, field: str) -> None:
    assert _field_of(draft) == field


def test_a_preset_draft_writes_the_preset_source_with_every_request_column() -> None:
    fields = draft_fields(
        SourceDraft(name="web", preset="plausible", options={"site": "a.example", "period": ""}),
        600,
    )
    assert fields["kind"] == "plausible" and fields["url"] == "https://plausible.io/api/v2/query"
    assert fields["auth_env"] == "PLAUSIBLE_API_KEY" and fields["interval_seconds"] == 600
    assert fields["auth_param"] is None and fields["headers"]  # every column, none left over


def test_editing_keeps_the_name_and_a_changed_source_drops_old_headers(store) -> None:
    first = save_source(store, draft_fields(SourceDraft(
        name="Leads", url="https://x.example/a", metrics="v=a.b", headers="Accept: text/json"
    ), 300))  # fmt: skip
    draft = draft_from_source(first)
    assert draft.headers == "Accept: text/json" and draft.interval == "5m"
    changed = save_source(
        store,
        draft_fields(SourceDraft(name="Leads", preset="plausible", options={"site": "a.example"}),
                     300),
        first.id,
    )  # fmt: skip
    assert changed.id == first.id and changed.kind == "plausible"
    assert "Accept" not in changed.headers  # the old request's header did not linger
    with pytest.raises(ValidationError, match="already uses the name"):
        save_source(store, draft_fields(SourceDraft(
            name="leads", url="https://x.example/b", metrics="v=a.b"), 300))  # fmt: skip
