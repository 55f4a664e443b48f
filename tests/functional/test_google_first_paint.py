"""A Google source costs the first frame nothing: ``cryptography`` (the google extra,
slow to import) is loaded when its token is first requested, after the first frame."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.google import GA4_SCOPE, write_key
from tests.support.metrics import closed_port_url

SCRIPT = """
import asyncio, json, sys
from pathlib import Path

import mtui.ui.app as app_module
from mtui.core.store import open_store

seen = {}
first_frame = app_module.resume_after_first_frame


def at_first_frame():  # the app's own first-frame hook
    seen.setdefault("first_frame", "cryptography" in sys.modules)
    first_frame()


app_module.resume_after_first_frame = at_first_frame
store = open_store(Path(sys.argv[1]))


async def main():
    app = app_module.MtuiApp(store)
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(600):  # until the Google source has been fetched (and failed)
            if store.metrics.metric_sources()[0].last_status:
                break
            await pilot.pause(0.05)
        seen["after_poll"] = "cryptography" in sys.modules
        seen["status"] = store.metrics.metric_sources()[0].last_error


asyncio.run(main())
print(json.dumps(seen))
"""


def test_a_google_source_does_not_import_cryptography_before_the_first_frame(tmp_path) -> None:
    from mtui.core.store import open_store

    key = write_key(tmp_path / "key.json", closed_port_url("/token"))
    db = tmp_path / "g.db"
    store = open_store(db)
    store.metrics.save_metric_source({
        "name": "GA4", "kind": "ga4",
        "url": "https://analyticsdata.googleapis.com/v1beta/properties/1:runReport",
        "method": "POST", "body": "{}", "selectors": {"sessions": "sessions"},
        "auth_type": "google-service-account", "auth_env": "MTUI_TEST_GA4_KEY",
        "auth_param": GA4_SCOPE,
    })  # fmt: skip
    store.close()
    env = {"MTUI_TEST_GA4_KEY": str(key), "PATH": "/usr/bin:/bin",
           "MTUI_CONFIG_DIR": str(Path(__file__).resolve().parents[1] / "fixtures" / "no-config")}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(db)], capture_output=True,
                            text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["first_frame"] is False, "cryptography was imported before the first frame"
    # The source was then fetched: signing its token request loaded the extra.
    assert seen["after_poll"] is True, seen
    assert seen["status"], "the token endpoint refused the connection: the source failed"
