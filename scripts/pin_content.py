"""Recompute sha256 and size of every artifact in the content manifest from a mirror directory.

Usage: python scripts/pin_content.py MIRROR_DIR
Run after changing a URL in src/marse_oscal/content/manifest.json; review the diff before committing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

MANIFEST = Path(__file__).resolve().parents[1] / "src" / "marse_oscal" / "content" / "manifest.json"


def main(mirror: Path) -> int:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    missing = []
    for item in manifest["artifacts"]:
        parts = urlsplit(item["url"])
        path = mirror / parts.netloc / unquote(parts.path).lstrip("/")
        if not path.is_file():
            missing.append(item["url"])
            continue
        data = path.read_bytes()
        item["sha256"] = hashlib.sha256(data).hexdigest()
        item["size"] = len(data)
    if missing:
        print("not in the mirror:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"{len(manifest['artifacts'])} artifacts pinned in {MANIFEST}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
