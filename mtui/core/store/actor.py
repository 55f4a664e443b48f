"""Who a local change is recorded as: the config's ``user``, else the OS user."""

from __future__ import annotations

import getpass


def default_actor() -> str:
    from mtui.core.config.user_config import active_config

    configured = active_config().user
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) and no $USER
        return "unknown"
