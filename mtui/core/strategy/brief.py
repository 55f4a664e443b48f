"""The strategic brief as people read and edit it: sections, prompts, the composed
positioning statement, a plain-text form for ``$EDITOR`` and the diff between versions.

The store keeps the brief as flat fields (``BRIEF_FIELDS``); this module groups them into
the sections a marketer thinks in, so the pane, the CLI and the editor agree on one
layout. Pure functions only: no storage, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from mtui.core.errors import ValidationError
from mtui.core.language.clean import strip_controls
from mtui.core.model import BRIEF_FIELDS, Brief

# Field → (label, the short prompt shown while the field is empty).
FIELD_INFO: dict[str, tuple[str, str]] = {
    "name": ("Product", "What is the product or brand called?"),
    "mission": ("Mission", "Why does it exist, in one sentence?"),
    "avatar_name": ("Name", "One real-sounding person: 'Priya, the solo founder'"),
    "avatar_profile": ("Profile", "Their job, company size, habits"),
    "avatar_pains": ("Pains", "What frustrates them today?"),
    "avatar_desires": ("Desires", "What would they love to have?"),
    "offer": ("Offer", "What you give them, and on what terms"),
    "pos_for": ("For", "Target customer: 'indie SaaS founders'"),
    "pos_who_need": ("Who", "Their need: 'need to know which marketing works'"),
    "pos_category": ("Category", "What kind of thing it is: 'revenue analytics tool'"),
    "pos_benefit": ("Benefit", "The key benefit: 'joins your data in five minutes'"),
    "pos_unlike": ("Unlike", "The main alternative: 'spreadsheets'"),
    "pos_differentiator": ("We", "Why you are different: 'need no data team'"),
    "key_message": ("Key message", "The one line everyone should remember"),
    "brand_voice": ("Voice", "How you sound: 'plain-spoken, never hype'"),
    "mix_product": ("Product", "What exactly is sold"),
    "mix_price": ("Price", "Plans and prices"),
    "mix_place": ("Place", "Where people find and buy it"),
    "mix_promotion": ("Promotion", "How you make it known"),
}


@dataclass(frozen=True, slots=True)
class BriefSection:
    """A group of brief fields edited together (one ``e`` in the pane)."""

    key: str
    title: str
    fields: tuple[str, ...]


SECTIONS: tuple[BriefSection, ...] = (
    BriefSection("brand", "Brand & mission", ("name", "mission")),
    BriefSection(
        "customer",
        "Ideal customer",
        ("avatar_name", "avatar_profile", "avatar_pains", "avatar_desires"),
    ),
    BriefSection("offer", "Offer", ("offer",)),
    BriefSection(
        "positioning",
        "Positioning",
        (
            "pos_for",
            "pos_who_need",
            "pos_category",
            "pos_benefit",
            "pos_unlike",
            "pos_differentiator",
        ),
    ),
    BriefSection("message", "Message & voice", ("key_message", "brand_voice")),
    BriefSection(
        "mix", "Marketing mix", ("mix_product", "mix_price", "mix_place", "mix_promotion")
    ),
)
assert sorted(f for s in SECTIONS for f in s.fields) == sorted(BRIEF_FIELDS)


def section(key: str) -> BriefSection:
    return next(s for s in SECTIONS if s.key == key)


def label(field_name: str) -> str:
    return FIELD_INFO[field_name][0]


def prompt(field_name: str) -> str:
    return FIELD_INFO[field_name][1]


def is_empty(brief: Brief) -> bool:
    """True for a brief nobody has written yet (the pane then guides, field by field)."""
    return not any(value.strip() for value in brief.fields().values())


# ---------------------------------------------------------------- positioning statement


def positioning_statement(brief: Brief, *, blank: str = "…") -> str:
    """Geoffrey Moore's template filled from the brief's fields.

    "For [target] who [need], [product] is a [category] that [benefit]. Unlike
    [alternative], we [differentiator]." Blank fields show as ``blank``; a clause whose
    fields are all blank is left out, and a brief with no positioning at all gives "".
    """
    f = {k: v.strip().rstrip(".") for k, v in brief.fields().items()}

    def part(name: str) -> str:
        return f[name] or blank

    sentences = []
    if any(f[k] for k in ("pos_for", "pos_who_need", "pos_category", "pos_benefit")):
        need = _without_prefix(f["pos_who_need"], "who ")
        text = f"For {part('pos_for')}"
        text += f" who {need}" if need else ""
        text += f", {f['name'] or 'the product'} is {_article(part('pos_category'))}"
        text += f" that {_without_prefix(f['pos_benefit'], 'that ')}" if f["pos_benefit"] else ""
        sentences.append(text + ".")
    if f["pos_unlike"] or f["pos_differentiator"]:
        unlike = _without_prefix(f["pos_unlike"], "unlike ")
        we = _without_prefix(f["pos_differentiator"], "we ")
        sentences.append(f"Unlike {unlike or blank}, we {we or blank}.")
    return " ".join(sentences)


def _without_prefix(text: str, prefix: str) -> str:
    """People often type the template's own word ("who need ..."); don't double it."""
    return text[len(prefix) :] if text.lower().startswith(prefix) else text


def _article(noun: str) -> str:
    if noun.lower().startswith(("a ", "an ", "the ")):
        return noun
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


# ------------------------------------------------------------------ text for $EDITOR

_HEADER = """\
# The brief. One field per `key: value` line; indent a line to continue the value above.
# Lines starting with # are ignored. Leave a value empty to clear it.
"""
_LINE = re.compile(r"([a-z_]+)\s*:\s?(.*)")


def brief_to_text(brief: Brief, fields: tuple[str, ...] = BRIEF_FIELDS) -> str:
    """The brief as ``key: value`` lines grouped by section, with prompts as comments."""
    lines = [_HEADER]
    for sec in SECTIONS:
        chosen = [f for f in sec.fields if f in fields]
        if not chosen:
            continue
        lines.append(f"\n# {sec.title}")
        for name in chosen:
            value = getattr(brief, name)
            if not value:
                lines.append(f"# {prompt(name)}")
            first, *rest = value.split("\n") if value else [""]
            lines.append(f"{name}: {first}".rstrip())
            lines += [f"  {more}" for more in rest]
    return "\n".join(lines) + "\n"


def parse_brief_text(text: str) -> dict[str, str]:
    """Read ``brief_to_text`` output back (as edited). Raises ValidationError naming the
    line when a key is unknown, so the user's text can be kept and fixed."""
    values: dict[str, list[str]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.lstrip().startswith("#") or not raw.strip():
            if not raw.strip() and current is not None and raw.startswith(" "):
                values[current].append("")
            continue
        if raw[:1].isspace():
            if current is None:
                raise ValidationError(f"line {number}: continuation line before any field")
            values[current].append(raw.strip())
            continue
        match = _LINE.fullmatch(raw.rstrip())
        if not match or match[1] not in BRIEF_FIELDS:
            key = raw.split(":", 1)[0].strip()
            raise ValidationError(
                f"line {number}: unknown brief field {key!r} (known: {', '.join(BRIEF_FIELDS)})"
            )
        current = match[1]
        values[current] = [match[2].strip()]
    return {k: "\n".join(v).strip() for k, v in values.items()}


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``--set field=value`` pairs → fields; raises ValidationError on a bad pair."""
    fields: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ValidationError(f"--set needs field=value, got {pair!r}")
        if key not in BRIEF_FIELDS:
            raise ValidationError(f"unknown brief field {key!r} (known: {', '.join(BRIEF_FIELDS)})")
        fields[key] = value.replace("\\n", "\n").strip()
    return fields


# ------------------------------------------------------------------ versions and diff


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs between two brief versions."""

    field: str
    old: str
    new: str

    @property
    def kind(self) -> str:
        """``added`` (was blank), ``removed`` (now blank) or ``changed``."""
        if not self.old:
            return "added"
        if not self.new:
            return "removed"
        return "changed"


def diff_briefs(a: Brief, b: Brief) -> list[FieldChange]:
    """Per-field changes from version ``a`` to version ``b``, in BRIEF_FIELDS order."""
    return [
        FieldChange(name, getattr(a, name), getattr(b, name))
        for name in BRIEF_FIELDS
        if getattr(a, name) != getattr(b, name)
    ]


def brief_record(brief: Brief) -> dict[str, object]:
    """The brief as JSON-ready data (``mtui brief --json``)."""
    return {
        "version": brief.version,
        "updated_at": brief.updated_at,
        **brief.fields(),
        "positioning_statement": positioning_statement(brief),
    }


def clean_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """Trim values, strip control characters; reject unknown fields (what every save path
    does first)."""
    unknown = set(fields) - set(BRIEF_FIELDS)
    if unknown:
        raise ValidationError(f"unknown brief field(s): {', '.join(sorted(unknown))}")
    return {k: strip_controls(v or "", multiline=True).strip() for k, v in fields.items()}
