"""Pinned upstream content (NIST catalog and baselines, OSCAL schemas): manifest, cache, mirror, download."""

from marse_oscal.content.manifest import Artifact, Manifest, load_manifest
from marse_oscal.content.store import ArtifactStatus, ContentStore

__all__ = ["Artifact", "ArtifactStatus", "ContentStore", "Manifest", "load_manifest"]
