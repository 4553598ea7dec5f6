"""Finds pinned artifacts: user cache, then the offline mirror, then a download; every byte sha256-checked."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from marse_oscal.content.manifest import Artifact, Manifest, load_manifest
from marse_oscal.errors import ContentError, DigestMismatchError
from marse_oscal.files import default_file_mode
from marse_oscal.settings import MIRROR_ENV, Settings

CHUNK = 1 << 20
DOWNLOAD_TIMEOUT_S = 60


@dataclass(frozen=True)
class ArtifactStatus:
    """Where one artifact can be had from right now."""

    artifact: Artifact
    cached: bool
    in_mirror: bool

    @property
    def state(self) -> str:
        if self.cached:
            return "cached"
        if self.in_mirror:
            return "mirror"
        return "missing"


def _digest_file(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


class ContentStore:
    """Hands out local, verified paths for pinned artifacts."""

    def __init__(self, settings: Settings | None = None, manifest: Manifest | None = None) -> None:
        self.settings = settings or Settings.load()
        self.manifest = manifest or load_manifest()
        self._verified: dict[str, Path] = {}

    def cache_path(self, artifact: Artifact) -> Path:
        return self.settings.cache_dir / artifact.relative_path

    def mirror_path(self, artifact: Artifact) -> Path | None:
        if self.settings.mirror_dir is None:
            return None
        return self.settings.mirror_dir / artifact.relative_path

    def path(self, key_or_url: str) -> Path:
        """A verified local path for a manifest artifact, fetching it into the cache if needed."""
        return self.fetch(self.manifest.get(key_or_url))

    def fetch(self, artifact: Artifact) -> Path:
        """A verified local path for any pinned artifact (also those pinned outside the manifest)."""
        if artifact.key in self._verified:
            return self._verified[artifact.key]
        cached = self.cache_path(artifact)
        if cached.is_file():
            self._verify(artifact, cached, "cached copy; run `marse-oscal content sync --refresh` to replace it")
        else:
            self._fetch(artifact, cached)
        self._verified[artifact.key] = cached
        return cached

    def status(self) -> list[ArtifactStatus]:
        result = []
        for artifact in self.manifest.artifacts:
            mirror = self.mirror_path(artifact)
            result.append(
                ArtifactStatus(
                    artifact=artifact,
                    cached=self.cache_path(artifact).is_file(),
                    in_mirror=bool(mirror and mirror.is_file()),
                )
            )
        return result

    def sync(self, keys: list[str] | None = None, refresh: bool = False) -> list[Artifact]:
        """Make every (or each named) artifact present and verified in the cache."""
        wanted = [self.manifest.get(k) for k in keys] if keys else list(self.manifest.artifacts)
        for artifact in wanted:
            if refresh:
                self.cache_path(artifact).unlink(missing_ok=True)
                self._verified.pop(artifact.key, None)
            self.path(artifact.key)
        return wanted

    def _verify(self, artifact: Artifact, path: Path, where: str) -> None:
        size = path.stat().st_size
        actual = _digest_file(path)
        if size != artifact.size or actual != artifact.sha256:
            raise DigestMismatchError(artifact.url, artifact.sha256, actual, f"{where}: {path}")

    def _fetch(self, artifact: Artifact, target: Path) -> None:
        mirror = self.mirror_path(artifact)
        if mirror is not None and mirror.is_file():
            self._verify(artifact, mirror, "offline mirror")
            self._install(artifact, target, lambda out: _copy(mirror, out))
            return
        if self.settings.offline:
            raise ContentError(self._unavailable(artifact, "offline mode is on"))
        self._install(artifact, target, lambda out: _download(artifact, out, self._unavailable))

    def _install(self, artifact: Artifact, target: Path, produce) -> None:
        """Write via a temp file, verify the digest, then rename: the cache never holds a bad file."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        except OSError as exc:
            raise ContentError(f"cannot write to cache {self.settings.cache_dir}: {exc.strerror or exc}") from None
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                produce(out)
            self._verify(artifact, tmp, "downloaded bytes")
            os.chmod(tmp, default_file_mode())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def _unavailable(self, artifact: Artifact, reason: str) -> str:
        where = (
            f"not in the offline mirror {self.settings.mirror_dir}"
            if self.settings.mirror_dir
            else f"no offline mirror is set (set {MIRROR_ENV} to a directory laid out as <host>/<path>)"
        )
        return f"cannot get {artifact.url}: {reason}; {where}"


def _copy(source: Path, out: BinaryIO) -> None:
    with source.open("rb") as handle:
        shutil.copyfileobj(handle, out, CHUNK)


def _download(artifact: Artifact, out: BinaryIO, explain) -> None:
    """Stream the URL into `out` with a progress bar on stderr."""
    import urllib.error
    import urllib.request

    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    try:
        response = urllib.request.urlopen(artifact.url, timeout=DOWNLOAD_TIMEOUT_S)  # noqa: S310 - pinned https URL
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ContentError(explain(artifact, f"download failed ({reason})")) from None
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with response, Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(artifact.url.rsplit("/", 1)[-1], total=artifact.size)
        try:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                progress.advance(task, len(chunk))
        except OSError as exc:
            raise ContentError(explain(artifact, f"download interrupted ({exc})")) from None
