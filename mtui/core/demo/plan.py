"""A realistic demo plan: Acme Analytics' marketing team, two weeks into a quarter.

The plan is replayed through the normal task actions at past moments (with a frozen
clock), so the activity log holds a believable history: stand-ups, undo and history
work on the demo exactly as they do on real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pendulum

from mtui.core import clock
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions, new_action_id

BRIEF = {
    "name": "Acme Analytics",
    "mission": "Give every indie SaaS founder the numbers that matter, without a data team.",
    "avatar_name": "Priya, the solo founder",
    "avatar_profile": "Runs a $15k MRR B2B SaaS alone or with one contractor; technical, "
    "time-poor, checks Stripe and Plausible daily.",
    "avatar_pains": "Spreadsheets of exported CSVs; no idea which channel brings paying "
    "customers; churn shows up a month too late.",
    "avatar_desires": "One honest dashboard on Monday morning; knowing what to do next; "
    "looking credible to investors.",
    "offer": "Connect Stripe and your analytics in five minutes and get revenue, churn and "
    "channel ROI on one screen. 14-day free trial, then $29/month.",
    "pos_for": "indie SaaS founders",
    "pos_who_need": "need to know which marketing actually brings revenue",
    "pos_category": "revenue analytics tool",
    "pos_benefit": "joins product, payment and traffic data in five minutes",
    "pos_unlike": "general-purpose BI tools and spreadsheets",
    "pos_differentiator": "need no data team, no SQL and no setup call",
    "key_message": "Know what grows your MRR, in five minutes a week.",
    "brand_voice": "Plain-spoken, founder to founder; numbers over adjectives; never hype.",
    "mix_product": "Hosted dashboard, Stripe + Plausible + GA4 connectors, weekly email digest.",
    "mix_price": "$29/month solo, $79/month team; annual saves two months.",
    "mix_place": "Self-serve web sign-up; Stripe App Marketplace; Indie Hackers community.",
    "mix_promotion": "Founder-led content, LinkedIn, a launch on Product Hunt, webinars with "
    "partner tools, retargeting ads.",
}

GOALS = [
    # slug, title, stage, kpi, unit, direction, baseline, target, current, owner
    ("signups", "Grow trial signups", "attract", "demo-sheet.signups", "count", "up",
     600, 2000, 1240, "ana"),
    ("mqls", "Marketing-qualified leads", "engage", "demo-sheet.mqls", "count", "up", 120, 500,
     310, "raj"),
    # Manual on purpose: the demo sheet has no awareness numbers on this scale.
    ("awareness", "Brand awareness on LinkedIn", "attract", None, "count", "up", 20000, 80000,
     41000, "mia"),
    ("positioning", "Sharpen positioning with 12 customer interviews", "align", None, "count",
     "up", 0, 12, 7, "tom"),
]  # fmt: skip

CAMPAIGNS = [
    # slug, name, status, owner, start offset, end offset, budget, spend, colour, goals
    ("spring-launch", "Spring launch: Acme 2.0", "active", "ana", -20, 25, 26000, 11500, "#e0719e",
     ["signups", "mqls"]),
    ("linkedin-tl", "LinkedIn thought leadership", "active", "mia", -35, 55, 3000, 1900, "#4f9dde",
     ["awareness"]),
    ("webinars", "Partner webinar series", "planned", "raj", 10, 70, 4500, 0, "#7bc96f", ["mqls"]),
]  # fmt: skip

# Campaigns whose spend is read live from a metric (budget pacing follows it): the
# demo sheet's ad spend; the typed spend above is only used until it has a value.
SPEND_METRICS = {"spring-launch": "demo-sheet.ad_spend"}

CHANNELS = ["email", "linkedin", "seo", "ads", "events", "web"]

# title, column, channel, owner, priority, due (days from today; None = no date), goal,
# campaign, tags, blocked reason
TASKS = [
    ("Write launch announcement email", "Doing", "email", "ana", 1, 1, None, "spring-launch", ["copy"], None),
    ("Design launch email header", "Done", "email", "mia", 2, -3, None, "spring-launch", ["design"], None),
    ("Segment trial users for launch email", "Next", "email", "ana", 1, 2, None, "spring-launch", [], None),
    ("Set up Product Hunt launch page", "Next", "web", "tom", 1, 4, None, "spring-launch", [], None),
    ("Record 60-second product demo video", "Doing", "web", "mia", 1, 3, None, "spring-launch", ["video"], None),
    ("Fix UTM tags on pricing page links", "Doing", "web", "raj", 2, -2, "signups", None, ["tracking"], None),
    ("LinkedIn carousel: 5 metrics every founder ignores", "Next", "linkedin", "raj", 2, 5, None, "linkedin-tl", ["copy"], None),
    ("Publish founder story post on LinkedIn", "Done", "linkedin", "mia", 2, -5, None, "linkedin-tl", [], None),
    ("Reply to comments on churn post", "Done", "linkedin", "mia", 3, -1, None, "linkedin-tl", [], None),
    ("Draft launch-week LinkedIn post series", "Backlog", "linkedin", "mia", 2, 9, None, "spring-launch", ["copy"], None),
    ("Retargeting ads for pricing-page visitors", "Blocked", "ads", "tom", 1, 0, "signups", "spring-launch", [],
     "Waiting on finance to approve the ad card"),
    ("Google Ads: brand keyword campaign", "Next", "ads", "tom", 2, 7, "signups", None, [], None),
    ("A/B test trial CTA copy on homepage", "Next", "web", "ana", 2, 6, "signups", None, ["experiment"], None),
    ("Write 'MRR vs ARR' SEO guide", "Next", "seo", "raj", 2, 8, "signups", None, ["content"], None),
    ("Refresh 'churn rate formula' article", "Next", "seo", "raj", 3, 12, "signups", None, ["content"], None),
    ("Keyword research for Q1 content plan", "Backlog", "seo", "raj", 3, None, "signups", None, [], None),
    ("Internal links from blog to signup page", "Done", "seo", "raj", 3, -6, "signups", None, [], None),
    ("Fix broken canonical tags on /docs", "Blocked", "seo", "tom", 2, -1, "signups", None, ["tech"],
     "Needs a deploy from the product team"),
    ("Webinar with Plausible: pick a date", "Next", "events", "raj", 2, 3, None, "webinars", [], None),
    ("Webinar landing page and registration form", "Backlog", "web", "ana", 2, 14, None, "webinars", [], None),
    ("Invite list for partner webinar", "Backlog", "email", "raj", 3, 16, None, "webinars", [], None),
    ("Speaker slot at SaaStock Local", "Backlog", "events", "tom", 3, 30, "awareness", None, [], None),
    ("Lead-scoring rules in the CRM", "Doing", "email", "raj", 1, 0, "mqls", None, ["ops"], None),
    ("Nurture sequence for trial day 3, 7, 12", "Next", "email", "ana", 1, 5, "mqls", None, ["copy"], None),
    ("Case study: how Lumen cut churn 30%", "Next", "web", "mia", 2, 4, "mqls", None, ["content"], None),
    ("Interview 3 churned customers", "Doing", "events", "tom", 1, 2, "positioning", None, ["research"], None),
    ("Synthesize interview notes into themes", "Next", "web", "tom", 2, 6, "positioning", None, ["research"], None),
    ("Update homepage headline from interviews", "Backlog", "web", "ana", 2, 15, "positioning", None, ["copy"], None),
    ("Competitor pricing teardown", "Done", "web", "tom", 3, -8, "positioning", None, ["research"], None),
    ("Book 4 more customer interviews", "Done", "email", "tom", 2, -4, "positioning", None, [], None),
    ("Weekly metrics email to the team", "Done", "email", "ana", 3, -2, None, None, [], None),
    ("Clean up old Mailchimp audiences", "Backlog", "email", "ana", 3, None, None, None, ["ops"], None),
    ("Order conference swag", "Backlog", "events", "tom", 3, 20, None, None, [], None),
    ("Try TikTok for founder tips", "Backlog", "linkedin", "mia", 3, None, None, None, ["experiment"], None),
    ("Partner co-marketing brief for Stripe App listing", "Next", "web", "ana", 2, 10, None, "spring-launch", [], None),
    ("Stripe App Marketplace listing copy", "Blocked", "web", "ana", 1, 1, None, "spring-launch", ["copy"],
     "Stripe review queue: resubmitted Tuesday"),
    ("Launch-day Slack community posts", "Backlog", "linkedin", "mia", 2, 24, None, "spring-launch", [], None),
    ("Press kit: logos, screenshots, founder bio", "Doing", "web", "mia", 2, 5, None, "spring-launch", ["design"], None),
    ("Launch FAQ for support team", "Next", "email", "raj", 3, 8, None, "spring-launch", [], None),
    ("Pricing page: annual plan toggle", "Done", "web", "ana", 2, -9, "signups", None, [], None),
    ("Exit-intent survey on pricing page", "Done", "web", "ana", 3, -7, "signups", None, ["experiment"], None),
    ("Onboarding checklist email", "Done", "email", "ana", 2, -10, "mqls", None, ["copy"], None),
    ("Weekly LinkedIn newsletter #14", "Done", "linkedin", "mia", 2, -6, None, "linkedin-tl", [], None),
    ("Weekly LinkedIn newsletter #15", "Doing", "linkedin", "mia", 2, 1, None, "linkedin-tl", [], None),
    ("Weekly LinkedIn newsletter #16", "Backlog", "linkedin", "mia", 3, 8, None, "linkedin-tl", [], None),
    ("Repurpose webinar clips for LinkedIn", "Backlog", "linkedin", "mia", 3, 40, None, "linkedin-tl", ["video"], None),
    ("Comment strategy: 10 founder accounts to engage", "Next", "linkedin", "raj", 3, 4, None, "linkedin-tl", [], None),
    ("G2 review request campaign", "Next", "email", "raj", 2, 11, "awareness", None, [], None),
    ("Guest post for Indie Hackers", "Backlog", "seo", "raj", 2, 21, "awareness", None, ["content"], None),
    ("Podcast pitch: 5 SaaS shows", "Backlog", "events", "tom", 3, 18, "awareness", None, [], None),
    ("Ads budget reforecast for December", "Next", "ads", "tom", 1, 2, None, "spring-launch", ["budget"], None),
    ("LinkedIn ads test: founder persona", "Backlog", "ads", "tom", 2, 13, None, "linkedin-tl", ["experiment"], None),
    ("Tidy Plausible goals and funnels", "Done", "web", "raj", 3, -3, "signups", None, ["tracking"], None),
    ("GA4 conversion events for trial start", "Done", "web", "raj", 2, -11, "signups", None, ["tracking"], None),
    ("Webinar follow-up email template", "Backlog", "email", "ana", 3, 30, None, "webinars", ["copy"], None),
    ("Sales deck refresh with new positioning", "Backlog", "web", "tom", 3, 25, "positioning", None, [], None),
    ("Update Twitter bio and pinned post", "Backlog", "linkedin", "mia", 3, None, None, None, [], None),
    ("Changelog post: Acme 2.0", "Next", "web", "ana", 2, 6, None, "spring-launch", ["copy"], None),
    ("Beta users testimonial round-up", "Doing", "email", "raj", 2, 3, None, "spring-launch", [], None),
    ("Homepage hero screenshot update", "Done", "web", "mia", 3, -2, None, "spring-launch", ["design"], None),
    ("Win-back email for expired trials", "Next", "email", "ana", 2, 9, "mqls", None, ["copy"], None),
    ("Set KPI targets for Q1 planning", "Backlog", "web", "ana", 2, 35, None, None, [], None),
    ("Accessibility pass on landing pages", "Blocked", "web", "mia", 3, 6, "signups", None, ["tech"],
     "Agency quote pending"),
    ("Monthly board update: marketing section", "Next", "email", "tom", 1, 1, None, None, [], None),
]  # fmt: skip

GENERATED_VERBS = [
    "Draft",
    "Review",
    "Publish",
    "Schedule",
    "Measure",
    "Refresh",
    "Plan",
    "Test",
    "Brief",
    "Polish",
]
GENERATED_THINGS = ["newsletter issue", "LinkedIn post", "landing page", "ad variant", "blog outline",
                    "webinar slide", "email subject lines", "case study quote", "SEO snippet", "UTM plan"]  # fmt: skip


@dataclass(frozen=True)
class DemoPlan:
    tasks: int
    goals: int
    campaigns: int


def seed_demo(store: Store, *, total_tasks: int | None = None, seed: int = 7) -> DemoPlan:
    """Fill an empty database with the Acme Analytics plan (and generated tasks up to N)."""
    rng = random.Random(seed)
    today = clock.now().start_of("day")
    past = today.subtract(days=14).add(hours=9)
    with store.batch(), clock.frozen_at(past):
        store.strategy.save_brief(BRIEF)
        goal_ids = _seed_goals(store, today)
        campaign_ids = _seed_campaigns(store, today, goal_ids)
        channel_ids = {name: store.tasks.ensure_channel(name) for name in CHANNELS}
        _seed_sources(store)
    standup = today.subtract(days=1).add(hours=9, minutes=30)
    with store.batch():
        created = _replay_tasks(store, today, standup, rng, goal_ids, campaign_ids, channel_ids)
        store.settings.mark_standup(clock.utc_stamp(standup))
        doing = next(s for s in store.tasks.statuses() if s.name == "Doing")
        store.tasks.set_wip_limit(
            doing.id, 6
        )  # the team's agreed limit; the board flags going over
        _seed_metric_history(store)
    if total_tasks and total_tasks > created:
        created += _generate_tasks(
            store, total_tasks - created, today, rng, goal_ids, campaign_ids, channel_ids
        )
    return DemoPlan(tasks=created, goals=len(goal_ids), campaigns=len(campaign_ids))


def _seed_goals(store: Store, today: pendulum.DateTime) -> dict[str, int]:
    ids = {}
    quarter_start = today.subtract(days=30).to_date_string()
    quarter_end = today.add(days=60).to_date_string()
    for slug, title, stage, kpi, unit, direction, baseline, target, current, owner in GOALS:
        ids[slug] = store.strategy.save_goal(
            {"slug": slug, "title": title, "stage": stage, "kpi_metric": kpi, "unit": unit,
             "direction": direction, "baseline": baseline, "target": target, "current": current,
             "owner": owner, "start_date": quarter_start, "due_date": quarter_end}
        ).id  # fmt: skip
    return ids


def _seed_campaigns(
    store: Store, today: pendulum.DateTime, goal_ids: dict[str, int]
) -> dict[str, int]:
    ids = {}
    for slug, name, status, owner, start, end, budget, spend, colour, goals in CAMPAIGNS:
        ids[slug] = store.strategy.save_campaign(
            {"slug": slug, "name": name, "status": status, "owner": owner,
             "start_date": today.add(days=start).to_date_string(),
             "end_date": today.add(days=end).to_date_string(), "budget": budget, "spend": spend,
             "colour": colour, "utm_campaign": slug.replace("-", "_"),
             "spend_metric": SPEND_METRICS.get(slug), "goal_ids": [goal_ids[g] for g in goals]}
        ).id  # fmt: skip
    return ids


# The demo sources' names: goals above bind to ``demo-plausible.KEY`` / ``demo-sheet.KEY``.
DEMO_SOURCE_NAMES = ("demo-plausible", "demo-sheet")
_PLACEHOLDER_URL = "http://127.0.0.1:9"  # nothing listens: "connection refused" until started


def _demo_definitions(base_url: str) -> list[dict]:
    from mtui.core.demo.metrics_server import demo_source_definitions

    definitions = demo_source_definitions(base_url)
    for definition, name in zip(definitions, DEMO_SOURCE_NAMES, strict=True):
        definition["name"] = name
    return definitions


def _seed_sources(store: Store) -> None:
    """Register the demo metric sources (their URL is set when the demo server starts)."""
    try:
        definitions = _demo_definitions(_PLACEHOLDER_URL)
    except ImportError:  # metrics not available: the demo still works without them
        return
    for definition in definitions:
        store.metrics.save_metric_source(definition)


def point_demo_sources(store: Store, base_url: str) -> int:
    """Aim the demo sources at a running demo endpoint (``demo_server.start()``)."""
    by_name = {s.name: s for s in store.metrics.metric_sources()}
    count = 0
    for definition in _demo_definitions(base_url):
        source = by_name.get(definition["name"])
        if source is not None:
            store.metrics.save_metric_source({"url": definition["url"]}, source.id)
            count += 1
    return count


def _replay_tasks(store: Store, today, standup, rng, goal_ids, campaign_ids, channel_ids) -> int:
    """Add each task in the past and walk it to its column, as the team did.

    The last few tasks were added since yesterday's stand-up, and every third card made
    its last move since then, so the stand-up report has news to show.
    """
    latest = clock.now().subtract(minutes=15)
    actions = TaskActions(store)
    columns = {s.name: s.id for s in store.tasks.statuses()}
    flow = ["Backlog", "Next", "Doing", "Done"]
    for index, (
        title,
        column,
        channel,
        owner,
        priority,
        due,
        goal,
        campaign,
        tags,
        reason,
    ) in enumerate(TASKS):
        if index >= len(TASKS) - 4:  # added since the stand-up
            born = standup.add(hours=2 + 3 * (len(TASKS) - index), minutes=index % 50)
        else:
            born = today.subtract(days=14 - index % 10).add(
                hours=9 + index % 8, minutes=index * 7 % 60
            )
        born = min(born, latest)
        fields = {
            "title": title, "status_id": columns["Backlog"], "priority": priority, "owner": owner,
            "due": today.add(days=due).to_date_string() if due is not None else None,
            "goal_id": goal_ids.get(goal) if goal else None,
            "campaign_id": campaign_ids.get(campaign) if campaign else None,
            "channel_id": channel_ids[channel], "tags": tags,
            "notes": f"Context: part of {campaign or goal or 'general upkeep'}.",
        }  # fmt: skip
        with clock.frozen_at(born):
            task = actions.add(fields)
        # Walk the card along the board over the following days, like a real team would.
        steps = flow[1 : flow.index(column) + 1] if column in flow else ["Next", "Doing", column]
        moment = born
        for number, step in enumerate(steps, start=1):
            moment = min(moment.add(hours=rng.randint(5, 60)), latest)
            if number == len(steps) and index % 3 == 0:  # news for today's stand-up
                moment = min(max(moment, standup.add(hours=rng.randint(1, 22))), latest)
            with clock.frozen_at(moment):
                if step == "Blocked":
                    task = actions.mark_blocked(task, reason or "waiting")
                else:
                    task = actions.move_to(task, columns[step])
    return len(TASKS)


def _seed_metric_history(store: Store) -> None:
    """A week of hourly demo numbers, so sparklines and stand-up deltas have history.

    They come from the same drift functions the demo endpoint serves, read through the
    same extraction code as a live poll, so the history joins up with the live values.
    """
    try:
        from mtui.core.demo.metrics_server import aggregate_payload, sheet_csv
        from mtui.core.metrics.fetching.decode import parse_csv_bytes
        from mtui.core.metrics.fetching.kinds.csv_kind import extract_csv
    except ImportError:
        return
    sources = {s.name: s for s in store.metrics.metric_sources()}
    site, sheet = sources.get("demo-plausible"), sources.get("demo-sheet")
    now = clock.now().start_of("hour")
    for hours_ago in range(7 * 24, 0, -1):
        moment = now.subtract(hours=hours_ago)
        minute = int(moment.timestamp() // 60)
        stamp = clock.utc_stamp(moment)
        if site is not None:
            results = aggregate_payload(minute)["results"]
            values = {key: item["value"] for key, item in results.items()}
            store.metrics.record_fetch(
                site.id, fetched_at=stamp, values=values, error=None, period="demo"
            )
        if sheet is not None:
            rows = parse_csv_bytes(sheet_csv(minute).encode())
            extraction = extract_csv(rows, sheet)
            store.metrics.record_fetch(
                sheet.id, fetched_at=stamp, values=extraction.values, error=None
            )


def _generate_tasks(store: Store, count, today, rng, goal_ids, campaign_ids, channel_ids) -> int:
    """Bulk generated tasks for load tests: one transaction, no replayed history."""
    statuses = [s.id for s in store.tasks.statuses()]
    owners = ["ana", "raj", "mia", "tom", "lee", "sam"]
    goals, campaigns, channels = (
        list(goal_ids.values()),
        list(campaign_ids.values()),
        list(channel_ids.values()),
    )
    done_ids = {s.id for s in store.tasks.statuses() if s.is_done}
    stamp = clock.utc_stamp(today.subtract(days=20))

    def row(n: int) -> dict:
        status_id = rng.choice(statuses)
        return {
            "title": f"{rng.choice(GENERATED_VERBS)} {rng.choice(GENERATED_THINGS)} #{n}",
            "status_id": status_id,
            "position": float(1000 + n),
            "priority": rng.choice([None, 1, 2, 3]),
            "owner": rng.choice(owners),
            "due": today.add(days=rng.randint(-10, 40)).to_date_string()
            if rng.random() < 0.7
            else None,
            "goal_id": rng.choice(goals) if rng.random() < 0.5 else None,
            "campaign_id": rng.choice(campaigns) if rng.random() < 0.4 else None,
            "channel_id": rng.choice(channels),
            "tags": [],
            "created_at": stamp,
            "updated_at": stamp,
            "done_at": stamp if status_id in done_ids else None,
        }

    rows = (row(n) for n in range(count))
    return len(store.tasks.create_tasks(rows, action_id=new_action_id()))
