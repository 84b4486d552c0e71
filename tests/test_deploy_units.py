"""The systemd units we ship (deploy/systemd/): how each service is stopped.

q2's cluster stops cleanly only when SIGTERM reaches its main process alone: sent to the whole process group
(KillMode=control-group) it killed the sentinel first and the main process waited for it for ever (tried on this
machine: still running after 40 s, against 2 s for the main process alone), so every `systemctl stop` or restart
ended in SIGKILL after TimeoutStopSec, killing tasks mid-way."""

import configparser
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.db_independent
UNITS = Path(settings.BASE_DIR) / "deploy" / "systemd"


def service(name: str) -> configparser.SectionProxy:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # keys as systemd spells them
    unit.read(UNITS / name, encoding="utf-8")
    return unit["Service"]


@pytest.mark.parametrize("name", ["zk-worker@.service", "zk-web@.service"])
def test_a_stop_signals_the_main_process_and_leaves_it_time_to_finish(name):
    unit = service(name)
    assert unit["KillMode"] == "mixed"  # SIGTERM to the main process; SIGKILL to what is left after the timeout
    assert unit.get("KillSignal", "SIGTERM") == "SIGTERM"
    assert int(unit["TimeoutStopSec"]) >= 30
    assert unit["Restart"] == "always"
