#!/usr/bin/env python
"""Check a built edge.cloudfront tarball: nothing but collection content, and all of plugins/.

usage: python scripts/check_tarball.py COLLECTION_DIR TARBALL

COLLECTION_DIR is the build copy the tarball was built from. Prints the tarball's file list;
exits non-zero if a tooling/output path was packed or a file of plugins/ is missing.
"""

import fnmatch
import os
import sys
import tarfile

# Paths that must never be in the artifact (checked against each member and its parent dirs).
FORBIDDEN = [
    ".ansible", ".build", ".ci", ".git", ".gitignore", ".pytest_cache", ".venv", ".venv-*",
    "Makefile", "pytest.ini", "scripts", "tests/output",
    "tests/integration/inventory", "__pycache__", "*.pyc", "*.tar.gz", "changelogs/.plugin-cache.yaml",
]


def forbidden(path):
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(os.path.basename(p), pat)
               for p in prefixes for pat in FORBIDDEN)


def main():
    coll, tarball = sys.argv[1], sys.argv[2]
    with tarfile.open(tarball) as tar:
        members = sorted(m.name for m in tar.getmembers() if not m.isdir())
    print(f"{tarball}: {len(members)} files")
    for name in members:
        print(f"  {name}")

    errors = [f"packed but must not be: {m}" for m in members if forbidden(m)]
    for required in ("MANIFEST.json", "FILES.json", "meta/runtime.yml"):
        if required not in members:
            errors.append(f"missing: {required}")
    for root, dirs, files in os.walk(os.path.join(coll, "plugins")):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), coll)
            if not forbidden(rel) and rel not in members:
                errors.append(f"plugins/ file not packed: {rel}")
    if not any(m.startswith("plugins/modules/") for m in members):
        errors.append("no plugins/modules/ file packed")

    for error in errors:
        print(f"ERROR: {error}")
    if errors:
        sys.exit(1)
    print("tarball contents OK: no tooling or output files, plugins/ complete")


if __name__ == "__main__":
    main()
