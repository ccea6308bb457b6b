#!/usr/bin/env python3
"""Writes a package with quilt3 itself, as another writer would (the Python service via Quilt's packager, a user in
the catalog or with quilt3), for tests that start from a package our code did not write.

stdin: {"registry": "s3://bucket" | "file:///abs", "name": "prefix/name", "message": str,
        "meta": obj | null, "files": {logical_key: utf-8 text}}
stdout: {"top_hash": str, "entries": {logical_key: physical_key}}
quilt3 copies each file to {registry}/{name}/{logical_key}, the layout the Python service used.
Environment as for quilt_verify.py.
"""
import contextlib
import json
import os
import sys
import tempfile

import quilt3


def main():
    request = json.load(sys.stdin)
    package = quilt3.Package()
    with tempfile.TemporaryDirectory() as folder:
        for index, (logical_key, text) in enumerate(request["files"].items()):
            path = os.path.join(folder, str(index))
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            package.set(logical_key, path)
        if request.get("meta") is not None:
            package.set_meta(request["meta"])
        # quilt3 reports the push on stdout, which carries this script's answer.
        with contextlib.redirect_stdout(sys.stderr):
            pushed = package.push(request["name"], registry=request["registry"], message=request.get("message"),
                                  force=True)
    json.dump({"top_hash": pushed.top_hash,
               "entries": {lk: str(entry.physical_key) for lk, entry in pushed.walk()}}, sys.stdout)


if __name__ == "__main__":
    main()
