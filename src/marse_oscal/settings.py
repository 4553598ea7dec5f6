"""Where content comes from: cache directory, offline mirror, and whether the network may be used.

Precedence: explicit argument (CLI option) > environment variable > user config file > default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from marse_oscal.errors import InputError

MIRROR_ENV = "MARSE_OSCAL_MIRROR"
CACHE_ENV = "MARSE_OSCAL_CACHE"
OFFLINE_ENV = "MARSE_OSCAL_OFFLINE"
CONFIG_ENV = "MARSE_OSCAL_CONFIG"


def _config_path() -> Path:
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "marse-oscal" / "config.toml"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marse-oscal"


def _read_config(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid TOML config file: {exc}") from None


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Resolved content settings; build one with `Settings.load` rather than by hand."""

    cache_dir: Path
    mirror_dir: Path | None
    offline: bool

    @classmethod
    def load(
        cls,
        mirror: Path | None = None,
        cache: Path | None = None,
        offline: bool | None = None,
    ) -> Settings:
        config = _read_config(_config_path())
        mirror_value = mirror or os.environ.get(MIRROR_ENV) or config.get("mirror")
        cache_value = cache or os.environ.get(CACHE_ENV) or config.get("cache")
        if offline is None:
            offline = _truthy(os.environ.get(OFFLINE_ENV, config.get("offline", False)))
        return cls(
            cache_dir=Path(str(cache_value)).expanduser() if cache_value else _default_cache(),
            mirror_dir=Path(str(mirror_value)).expanduser() if mirror_value else None,
            offline=offline,
        )
