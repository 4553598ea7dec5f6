"""Where shipped data lives: copied into the package when installed (pyproject force-include), else the checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def shipped_path(packaged: str, checkout: str) -> Path:
    """`packaged` inside the installed package if it is there, else `checkout` relative to the source tree."""
    inside = Path(str(resources.files("marse_oscal"))) / packaged
    return inside if inside.exists() else CHECKOUT / checkout
