#!/usr/bin/env python3
"""quilt3 judges packages written by our Swift code.

stdin: {"registry": "file:///abs/path" | "s3://bucket",
        "packages": [{"name": "prefix/name", "top_hash": "<hex>", "verify_dir": optional URL}]}
stdout: {"packages": [{"name", "requested_top_hash", "top_hash", "latest_top_hash", "message", "user_meta",
                       "versions": [[timestamp, hash], ...],
                       "entries": [{"logical_key", "physical_key", "size", "meta", "hash_ok", "size_ok", "error"}],
                       "verify_dir_ok": bool | null, "dump_matches": bool, "error": str | null}]}

Run with QUILT_DISABLE_USAGE_METRICS=true and QUILT_DISABLE_CACHE=true (and AWS_* for moto).
"""
import json
import sys
import traceback

import io

import quilt3
from quilt3 import checksums
from quilt3.data_transfer import get_bytes
from quilt3.util import PhysicalKey


def judge_entry(logical_key, entry):
    result = {
        "logical_key": logical_key,
        "physical_key": str(entry.physical_key),
        "size": entry.size,
        "meta": entry.meta,
        "hash": entry.hash,
        "hash_ok": False,
        "size_ok": False,
        "error": None,
    }
    try:
        data = entry.get_bytes(use_cache_if_available=False)
        result["size_ok"] = len(data) == entry.size
        computed = checksums.calculate_multipart_checksum_bytes(data, checksum_type=entry.hash["type"])
        result["computed_hash"] = computed
        result["hash_ok"] = computed == entry.hash["value"]
    except Exception as error:  # report, the Swift test decides
        result["error"] = f"{type(error).__name__}: {error}"
    return result


def judge_package(registry, spec):
    name = spec["name"]
    out = {"name": name, "requested_top_hash": spec.get("top_hash"), "error": None}
    try:
        pkg = quilt3.Package.browse(name, registry=registry, top_hash=spec.get("top_hash"))
        out["top_hash"] = pkg.top_hash
        meta = pkg.meta
        out["user_meta"] = meta
        out["message"] = pkg._meta.get("message")
        out["entries"] = [judge_entry(lk, e) for lk, e in pkg.walk()]
        latest = quilt3.Package.browse(name, registry=registry)
        out["latest_top_hash"] = latest.top_hash
        out["versions"] = sorted(
            [list(v) for v in quilt3.list_package_versions(name, registry=registry)]
        )
        # quilt3 re-serialises what it parsed: byte equality means we write manifests exactly as quilt3 does.
        stored = get_bytes(PhysicalKey.from_url(registry.rstrip("/") + "/.quilt/packages/" + pkg.top_hash))
        buffer = io.BytesIO()
        pkg.dump(buffer)
        out["dump_matches"] = buffer.getvalue() == stored
        if not out["dump_matches"]:
            out["stored_manifest"] = stored.decode("utf-8", "replace")
            out["quilt3_manifest"] = buffer.getvalue().decode("utf-8", "replace")
        if spec.get("verify_dir"):
            out["verify_dir_ok"] = bool(pkg.verify(spec["verify_dir"]))
        else:
            out["verify_dir_ok"] = None
    except Exception as error:
        out["error"] = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
    return out


def main():
    request = json.load(sys.stdin)
    registry = request["registry"]
    results = [judge_package(registry, spec) for spec in request["packages"]]
    json.dump({"packages": results}, sys.stdout)


if __name__ == "__main__":
    main()
