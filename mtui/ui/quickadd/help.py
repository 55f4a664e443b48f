"""The quick-add grammar as shown by ``f1`` on the quick-add screen (mirrors the README)."""

from __future__ import annotations

HINTS = "enter save · tab complete · ↑↓ choose · esc close · f1 grammar"

GRAMMAR = """\
[b]Quick-add language[/b]: free text is the title; these tokens can go anywhere.
  [b]#name[/b]  channel (created on first use)      #email #linkedin
  [b]@name[/b]  owner                                @ana
  [b]!1 !2 !3[/b] or [b]!high !med !low[/b]  priority
  [b]^slug[/b]  goal (must exist)                    ^signups
  [b]c:slug[/b] / campaign:slug  campaign (must exist)  c:spring-launch  c:"spring launch"
  [b]due:WHEN[/b] / d:WHEN  due date   today tmr fri +3d +2w eow eom eoq 2026-12-03 dec3 fri15:00 tomorrow9am
  [b]s:name[/b] / status:name  column (prefix is enough)  s:doing s:next
  [b]+word[/b]  tag                                  +copy
  [b]est:DURATION[/b]  estimate                      est:2h est:30m est:1h30m
  [b]"..."[/b]  literal text, no tokens inside       "#1 tip" post
[i]Example:[/i] Launch email #email @ana due:fri !1 ^signups c:spring-launch +copy est:2h
Weekdays always mean the next such day. Paste several lines to add several tasks."""
