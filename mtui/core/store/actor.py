"""Who a local change is recorded as: the config's ``user``, else the OS user."""

from __future__ import annotations

import os


def default_actor() -> str:
    from mtui.core.config.user_config import active_config

    configured = active_config().user
    if configured:
        return configured
    try:
        return os_user()
    except (KeyError, OSError):  # no passwd entry (containers) and no $USER
        return "unknown"


def os_user() -> str:
    """``getpass.getuser()``, without importing getpass (and the terminal module it
    loads) on every command: the first of $LOGNAME, $USER, $LNAME and $USERNAME, else
    the password database's name for this process's user."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(name)
        if user:
            return user
    import pwd

    return pwd.getpwuid(os.getuid())[0]
