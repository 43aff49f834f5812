#!/usr/bin/env python
"""Refresh the build copy of the collection that ansible-test, pytest and ansible-galaxy use.

usage: PYTHON_WITH_ANSIBLE scripts/sync_collection.py BUILD_DIR

Makes BUILD_DIR/ansible_collections/edge/cloudfront a real directory holding the repo's
tracked and untracked-but-not-ignored files (`git ls-files -co --exclude-standard`), and
symlinks BUILD_DIR/ansible_collections/amazon/aws to the amazon.aws bundled in the
`ansible` package of the running interpreter (Galaxy is not reachable). ansible-test
needs the real directory and amazon.aws beside it (shared/TOOLING.md §2).

The copy is made a git repository of its own (`git init`, nothing committed): ansible-test lists
the files to test with `git ls-files --cached --others --exclude-standard` from the nearest
`.git` upwards, and without this it would find the repo's own .git, in which .build/ is
ignored, and skip every sanity target. The copy's tests/output/ (ansible-test's cached
sanity venvs) and .git are kept across refreshes.
"""

import os
import shutil
import subprocess
import sys
import sysconfig

KEEP = {".git", "tests/output"}  # relative to the collection copy


def clear(dest, rel=""):
    """Remove everything under dest except the KEEP paths."""
    for name in os.listdir(os.path.join(dest, rel)):
        sub = os.path.join(rel, name)
        path = os.path.join(dest, sub)
        if sub in KEEP:
            continue
        if any(k.startswith(sub + "/") for k in KEEP) and os.path.isdir(path) and not os.path.islink(path):
            clear(dest, sub)
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)


def main():
    build = os.path.abspath(sys.argv[1])
    repo = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True, text=True
    ).stdout.strip()
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout.split("\0")

    dest = os.path.join(build, "ansible_collections", "edge", "cloudfront")
    os.makedirs(dest, exist_ok=True)
    clear(dest)
    count = 0
    for rel in files:
        src = os.path.join(repo, rel)
        if not rel or not os.path.lexists(src):  # deleted in the work tree but still in the index
            continue
        if os.path.isdir(src) and not os.path.islink(src):  # a nested repository / submodule
            continue
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
        count += 1

    if not os.path.isdir(os.path.join(dest, ".git")):
        subprocess.run(["git", "init", "-q", dest], check=True)
    with open(os.path.join(dest, ".git", "info", "exclude"), "w", encoding="utf-8") as f:
        f.write("tests/output/\n.ansible/\n__pycache__/\n")

    site = sysconfig.get_paths()["purelib"]
    amazon_aws = os.path.join(site, "ansible_collections", "amazon", "aws")
    if not os.path.isdir(amazon_aws):
        sys.exit(f"amazon.aws not found at {amazon_aws}: is the `ansible` package installed?")
    link = os.path.join(build, "ansible_collections", "amazon", "aws")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(amazon_aws, link)
    print(f"collection: {count} files -> {os.path.relpath(dest, repo)}; amazon.aws -> {amazon_aws}")


if __name__ == "__main__":
    main()
