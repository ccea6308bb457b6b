#!/usr/bin/env python3
"""quilt3 as the judge of Quilt workflows: builds packages under a registry's .quilt/workflows/config.yml, or
validates a package already written, exactly as quilt3 does before a push.

stdin: {"cases": [{"registry": "file:///abs" | "s3://bucket", "name": "prefix/name", "message": str | null,
                   "meta": obj | null, "files": {logical_key: utf-8 text} (build),
                   "top_hash": str (validate: browse this revision instead of building),
                   "workflow": {"default": true} | {"id": str | null}}]}
stdout: {"cases": [{"top_hash": str | null, "workflow": obj | null (the header quilt3 records),
                    "error": "<ExceptionType>: message" | null}]}
build writes the manifest into the registry (Package.build: no data copy); validate writes nothing.
Environment as for quilt_verify.py.
"""
import contextlib
import json
import os
import sys
import tempfile

import quilt3
from quilt3 import workflows
from quilt3.backends import get_package_registry


def workflow_argument(spec):
    return ... if spec.get("default") else spec.get("id")


def build(case, folder):
    package = quilt3.Package()
    for index, (logical_key, text) in enumerate(case.get("files", {}).items()):
        path = os.path.join(folder, str(index))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        package.set(logical_key, path)
    if case.get("meta") is not None:
        package.set_meta(case["meta"])
    top_hash = package.build(case["name"], registry=case["registry"], message=case.get("message"),
                             workflow=workflow_argument(case["workflow"]))
    return top_hash, package._meta.get("workflow")


def validate(case):
    package = quilt3.Package.browse(case["name"], registry=case["registry"], top_hash=case["top_hash"])
    header = workflows.validate(registry=get_package_registry(case["registry"]),
                                workflow=workflow_argument(case["workflow"]), name=case["name"], pkg=package,
                                message=package._meta.get("message"))
    return package.top_hash, header


def run(case):
    try:
        with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(sys.stderr):
            top_hash, header = validate(case) if case.get("top_hash") else build(case, folder)
        return {"top_hash": top_hash, "workflow": header, "error": None}
    except Exception as error:  # the Swift test compares refusals
        return {"top_hash": None, "workflow": None, "error": f"{type(error).__name__}: {error}"}


def main():
    request = json.load(sys.stdin)
    json.dump({"cases": [run(case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
