"""Turning an OSCAL href into a local file without an unpinned network fetch.

Handled: `#uuid` (a back-matter resource, trying each rlink), `trestle://path` (relative to the trestle
workspace holding the document), pinned `https://` URLs (through the content store), `file:` URLs and
relative or absolute paths. Relative hrefs inside a pinned artifact resolve against its canonical URL.
With a `boundary`, local paths that escape it are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from marse_oscal.content import ContentStore
from marse_oscal.errors import InputError
from marse_oscal.oscal import as_dict, dicts

Base = Path | str  # the referring file, or the canonical URL of a pinned artifact


class HrefError(InputError):
    """An href that cannot be followed; `reason` is one of not-found, unpinned, escapes, no-resource."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def find_trestle_root(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / ".trestle").is_dir():
            return folder
    return None


@dataclass
class HrefLocator:
    """Locates hrefs found in a document whose location is `base`."""

    store: ContentStore
    boundary: Path | None = None

    def locate(self, base: Base, root: dict[str, Any], href: str) -> tuple[Path, Base]:
        """The local file for `href` and the base to resolve hrefs inside it."""
        if href.startswith("#"):
            return self._from_back_matter(base, root, href[1:])
        if isinstance(base, str):
            href = urljoin(base, href)
        parts = urlsplit(href)
        if parts.scheme in {"http", "https"}:
            artifact = self.store.manifest.find_url(href)
            if artifact is None:
                raise HrefError(f"{href} is not pinned content and is not fetched; use a local copy", "unpinned")
            return self.store.path(artifact.key), artifact.url
        if parts.scheme == "trestle":
            workspace = find_trestle_root(Path(base).parent)
            if workspace is None:
                raise HrefError(f"{href}: no trestle workspace (.trestle) above {base}", "not-found")
            path = workspace / (parts.netloc + parts.path).lstrip("/")
        elif parts.scheme in {"", "file"}:
            raw = Path(unquote(parts.path))
            path = raw if raw.is_absolute() else Path(base).parent / raw
        else:
            raise HrefError(f"{href}: unsupported URL scheme {parts.scheme!r}", "unpinned")
        path = path.resolve()
        if self.boundary is not None and not path.is_relative_to(self.boundary):
            raise HrefError(f"{href} resolves outside {self.boundary}; refused", "escapes")
        if not path.is_file():
            raise HrefError(f"{href} not found at {path}", "not-found")
        return path, path

    def _from_back_matter(self, base: Base, root: dict[str, Any], uuid: str) -> tuple[Path, Base]:
        resources = dicts(as_dict(root.get("back-matter")).get("resources"))
        resource = next((r for r in resources if r.get("uuid") == uuid), None)
        if resource is None:
            raise HrefError(f"#{uuid} names no back-matter resource", "no-resource")
        errors: list[HrefError] = []
        for rlink in dicts(resource.get("rlinks")):
            href = str(rlink.get("href", ""))
            if href.lower().endswith(".json"):
                try:
                    return self.locate(base, root, href)
                except HrefError as exc:
                    errors.append(exc)
        if errors:
            raise errors[-1]
        raise HrefError(f"back-matter resource #{uuid} has no JSON rlink", "not-found")
