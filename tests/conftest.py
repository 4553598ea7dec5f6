"""Shared fixtures: the network is blocked, the offline mirror is found, every test gets its own cache."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from marse_oscal.content import ContentStore
from marse_oscal.settings import Settings

REPO = Path(__file__).resolve().parents[1]
PROFILE_DIR = REPO / "profiles" / "mars-e-2.0"
SHARED = REPO.parent / "shared"


def _mirror() -> Path | None:
    configured = os.environ.get("MARSE_OSCAL_MIRROR")
    candidate = Path(configured) if configured else SHARED / "mirror"
    return candidate.resolve() if candidate.is_dir() else None


MIRROR = _mirror()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: any outbound connection fails loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access is disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's own config file or cache."""
    monkeypatch.setenv("MARSE_OSCAL_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))
    monkeypatch.setenv("MARSE_OSCAL_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("MARSE_OSCAL_OFFLINE", raising=False)


@pytest.fixture(scope="session")
def mirror() -> Path:
    if MIRROR is None:
        message = "no offline mirror: set MARSE_OSCAL_MIRROR (e.g. ../shared/mirror)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the integration tests")
        pytest.skip(message)
    return MIRROR


@pytest.fixture(scope="session")
def real_store(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> ContentStore:
    """A content store over the real pinned content, read through the offline mirror."""
    settings = Settings(cache_dir=tmp_path_factory.mktemp("real-cache"), mirror_dir=mirror, offline=True)
    return ContentStore(settings)
