"""The reliability suite with CI's reduced counts: hostile files through import and the window's
load path, hostile output in the view, kill -9 during a real chat, a disk that fills, and
injected download faults. Each figure must meet its goal (0 crashes, hangs, resources loaded,
navigations, lost messages, integrity failures, failed restarts, corrupt installs)."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.realmodel, pytest.mark.timeout(3600)]


def test_the_quick_reliability_suite_meets_every_goal(tmp_path):
    from benchmarks import reliability

    code = reliability.main(["--quick", "--out", str(tmp_path)])
    doc = json.loads((tmp_path / "reliability.json").read_text())
    assert doc["failed_parts"] == [], doc["failed_parts"]
    assert doc["missed"] == {}, doc["missed"]
    assert code == 0
    assert doc["hostile_files_tried"] >= 40 and doc["hostile_files_crashed"] == 0
    assert doc["hostile_files_hung"] == 0
    assert doc["hostile_outputs_tried"] >= 10
    assert doc["resources_loaded"] == 0 and doc["navigations"] == 0
    assert doc["kills"] == 8 and doc["lost_messages"] == 0 and doc["integrity_failures"] == 0
    assert doc["failed_restarts"] == 0
    assert doc["download_faults"] >= 10 and doc["corrupt_installs"] == 0
    assert doc["details"]["disk_failures"] == 0
