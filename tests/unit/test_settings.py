from pathlib import Path

import pytest

from marse_oscal.errors import InputError
from marse_oscal.settings import Settings


def test_precedence_argument_env_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('mirror = "/from/config"\ncache = "/cache/config"\noffline = true\n')
    monkeypatch.setenv("MARSE_OSCAL_CONFIG", str(config))
    monkeypatch.delenv("MARSE_OSCAL_MIRROR", raising=False)
    monkeypatch.delenv("MARSE_OSCAL_CACHE", raising=False)
    loaded = Settings.load()
    assert loaded.mirror_dir == Path("/from/config") and loaded.cache_dir == Path("/cache/config") and loaded.offline
    monkeypatch.setenv("MARSE_OSCAL_MIRROR", "/from/env")
    assert Settings.load().mirror_dir == Path("/from/env")
    assert Settings.load(mirror=Path("/from/cli")).mirror_dir == Path("/from/cli")


def test_broken_config_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("mirror = [unclosed\n")
    monkeypatch.setenv("MARSE_OSCAL_CONFIG", str(config))
    with pytest.raises(InputError, match=r"config\.toml: not a valid TOML"):
        Settings.load()
