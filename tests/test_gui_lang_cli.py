"""Command-line details of issue 11 item 20: a screenshot without a display draws offscreen."""

from __future__ import annotations

import sys

import pytest

from voicearchive.cli import offscreen_without_display


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are an X11/Wayland matter")
def test_a_screenshot_without_a_display_uses_the_offscreen_platform() -> None:
    env: dict[str, str] = {}
    assert offscreen_without_display(env) and env["QT_QPA_PLATFORM"] == "offscreen"
    for present in ({"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "xcb"}):
        env = dict(present)
        assert not offscreen_without_display(env) and env == present
