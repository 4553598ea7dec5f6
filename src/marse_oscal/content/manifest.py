"""The manifest that pins each upstream artifact by canonical URL, sha256 and size."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import unquote, urlsplit

from marse_oscal.errors import ContentError

NIST_REV4_CATALOG = "nist-800-53-rev4-catalog"
OSCAL_SCHEMA_VERSION = "1.2.3"


@dataclass(frozen=True)
class Artifact:
    """One pinned upstream file."""

    key: str
    url: str
    sha256: str
    size: int
    kind: str
    description: str

    @property
    def relative_path(self) -> str:
        """`<host>/<path>`: where the file sits in a mirror and in the cache."""
        parts = urlsplit(self.url)
        return f"{parts.netloc}{unquote(parts.path)}"


@dataclass(frozen=True)
class Manifest:
    """All pinned artifacts, addressable by key or by canonical URL."""

    artifacts: tuple[Artifact, ...]

    def get(self, key_or_url: str) -> Artifact:
        for artifact in self.artifacts:
            if key_or_url in (artifact.key, artifact.url):
                return artifact
        raise ContentError(f"{key_or_url}: not a pinned artifact (see `marse-oscal content status`)")

    def find_url(self, url: str) -> Artifact | None:
        return next((a for a in self.artifacts if a.url == url), None)

    def schema(self, model: str, fmt: str = "json") -> Artifact:
        return self.get(f"oscal-{OSCAL_SCHEMA_VERSION}-{model}-{fmt}")


@lru_cache(maxsize=1)
def load_manifest() -> Manifest:
    """Read the manifest shipped inside the package."""
    raw = json.loads(resources.files("marse_oscal.content").joinpath("manifest.json").read_text("utf-8"))
    fields = Artifact.__dataclass_fields__
    return Manifest(tuple(Artifact(**{k: v for k, v in item.items() if k in fields}) for item in raw["artifacts"]))
