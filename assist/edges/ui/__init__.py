"""Gradio consoles for staff (the sidebar), trainers (evaluation, practice, document review): classes that receive
their services and build their Blocks; mounted in the web app."""

from __future__ import annotations

import os
from pathlib import Path


def prepare_gradio(temp_dir: Path) -> None:
    """Gradio reads these when it is first imported: no analytics calls, and uploads kept under ``temp_dir``."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("GRADIO_TEMP_DIR", str(temp_dir))
