import hashlib
import io
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from marse_oscal.content import Artifact, ContentStore, Manifest, load_manifest
from marse_oscal.errors import ContentError, DigestMismatchError
from marse_oscal.settings import Settings

PAYLOAD = b'{"catalog": {"uuid": "x"}}\n'
URL = "https://example.org/content/cat.json"


def artifact(payload: bytes = PAYLOAD) -> Artifact:
    return Artifact(
        key="cat",
        url=URL,
        sha256=hashlib.sha256(payload).hexdigest(),
        size=len(payload),
        kind="catalog",
        description="test catalog",
    )


def make_store(tmp_path: Path, mirror_bytes: bytes | None = PAYLOAD, offline: bool = True) -> ContentStore:
    mirror = tmp_path / "mirror"
    if mirror_bytes is not None:
        (mirror / "example.org/content").mkdir(parents=True)
        (mirror / "example.org/content/cat.json").write_bytes(mirror_bytes)
    settings = Settings(cache_dir=tmp_path / "cache", mirror_dir=mirror, offline=offline)
    return ContentStore(settings, Manifest((artifact(),)))


def test_mirror_copy_lands_in_cache_verified(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    assert [s.state for s in store.status()] == ["mirror"]
    path = store.path("cat")
    assert path == tmp_path / "cache/example.org/content/cat.json"
    assert path.read_bytes() == PAYLOAD
    assert [s.state for s in store.status()] == ["cached"]
    assert store.path(URL) == path


def test_mirror_with_wrong_bytes_is_a_digest_error(tmp_path: Path) -> None:
    store = make_store(tmp_path, mirror_bytes=b"tampered")
    with pytest.raises(DigestMismatchError) as err:
        store.path("cat")
    message = str(err.value)
    assert URL in message and artifact().sha256 in message and hashlib.sha256(b"tampered").hexdigest() in message
    assert not (tmp_path / "cache/example.org/content/cat.json").exists()


def test_corrupted_cache_is_reported_not_used(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.path("cat").write_bytes(b"corrupted")
    fresh = ContentStore(store.settings, store.manifest)
    with pytest.raises(DigestMismatchError, match="cached copy"):
        fresh.path("cat")
    fresh.sync(["cat"], refresh=True)
    assert fresh.path("cat").read_bytes() == PAYLOAD


def test_offline_without_mirror_explains_how_to_set_one(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", mirror_dir=None, offline=True)
    store = ContentStore(settings, Manifest((artifact(),)))
    with pytest.raises(ContentError, match="MARSE_OSCAL_MIRROR"):
        store.path("cat")


def test_unknown_artifact(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="not a pinned artifact"):
        make_store(tmp_path).path("nope")


class FakeResponse(io.BytesIO):
    def __enter__(self) -> "FakeResponse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def test_download_is_verified_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: FakeResponse(PAYLOAD))
    store = make_store(tmp_path, mirror_bytes=None, offline=False)
    assert store.path("cat").read_bytes() == PAYLOAD


def test_download_with_wrong_bytes_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: FakeResponse(b"evil"))
    store = make_store(tmp_path, mirror_bytes=None, offline=False)
    with pytest.raises(DigestMismatchError, match="downloaded bytes"):
        store.path("cat")
    assert list((tmp_path / "cache/example.org/content").iterdir()) == []


def test_download_failure_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(url: str, timeout: float) -> None:
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    store = make_store(tmp_path, mirror_bytes=None, offline=False)
    with pytest.raises(ContentError) as err:
        store.path("cat")
    assert "download failed" in str(err.value) and "\n" not in str(err.value)


def test_shipped_manifest_pins_every_artifact_the_tool_needs() -> None:
    manifest = load_manifest()
    keys = {a.key for a in manifest.artifacts}
    assert "nist-800-53-rev4-catalog" in keys
    assert {f"nist-800-53-rev4-{b}-profile" for b in ("low", "moderate", "high")} <= keys
    for model in ("catalog", "profile", "component", "ssp", "complete"):
        assert manifest.schema(model, "json").url.endswith(f"oscal_{model}_schema.json")
        assert manifest.schema(model, "xsd").url.endswith(f"oscal_{model}_schema.xsd")
    for item in manifest.artifacts:
        assert item.url.startswith("https://")
        assert len(item.sha256) == 64 and item.size > 0


def test_digest_error_survives_pickling() -> None:
    import pickle

    error = DigestMismatchError(URL, "a" * 64, "b" * 64, "cached copy")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.url == URL
