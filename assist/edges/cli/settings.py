"""Settings for a command: loaded once, from --config or the environment."""

from __future__ import annotations

import argparse

from assist.settings import Settings, load_settings


def settings_of(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))
