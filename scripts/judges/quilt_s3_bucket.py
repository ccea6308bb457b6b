#!/usr/bin/env python3
"""Bucket set-up and inspection for the Quilt S3 tests, done with botocore (not our client).

argv: create BUCKET [--versioned]   -> {"bucket": ..., "versioned": bool}
      inventory BUCKET              -> {"versions": [[key, version_id, size, etag, content_type, last_modified], ...]}
Uses AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID/SECRET, AWS_DEFAULT_REGION from the environment.
"""
import json
import os
import sys

import botocore.session


def client():
    session = botocore.session.get_session()
    return session.create_client(
        "s3",
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    )


def create(bucket, versioned):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    if versioned:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return {"bucket": bucket, "versioned": versioned}


def inventory(bucket):
    s3 = client()
    rows = []
    paginator = s3.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            params = {"Bucket": bucket, "Key": version["Key"]}
            if version["VersionId"] != "null":
                params["VersionId"] = version["VersionId"]
            head = s3.head_object(**params)
            rows.append([version["Key"], version["VersionId"], version["Size"], version["ETag"],
                         head.get("ContentType"), version["LastModified"].isoformat()])
    rows.sort()
    return {"versions": rows}


def main():
    command, bucket = sys.argv[1], sys.argv[2]
    if command == "create":
        result = create(bucket, "--versioned" in sys.argv[3:])
    elif command == "inventory":
        result = inventory(bucket)
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
