#!/usr/bin/env python3
"""botocore as an independent SigV4 oracle for our Swift signer.

Reads a JSON array of request descriptions on stdin and prints a JSON array of botocore's results:
[{"authorization": "...", "canonical_request": "...", "string_to_sign": "..."}].

Each description gives the request in decoded form, so the URL is built here with Python's own encoding:
  {"service": "sqs", "region": "us-east-1", "method": "POST", "host": "example.amazonaws.com",
   "path": "/raw path/ü",          # decoded; encoded here with quote(path, safe="/~")
   "query": [["name", "value"]],    # decoded pairs (repeats allowed); encoded here with quote(safe="-_.~")
   "headers": [["Name", "value"]],
   "body": "text",                  # UTF-8
   "access_key": "...", "secret_key": "...", "token": null,
   "timestamp": "20150830T123600Z",
   "s3": false,                     # S3SigV4Auth (unnormalised single-encoded path, x-amz-content-sha256)
   "unsigned_payload": false,       # S3 only: UNSIGNED-PAYLOAD
   "presign_expires": null}         # when set, also presign (SigV4QueryAuth / S3SigV4QueryAuth) -> "presigned_url"
Run: python scripts/judges/sigv4_oracle.py < cases.json
"""
import datetime
import json
import sys
from unittest import mock
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials


def sign(case):
    path = quote(case["path"], safe="/~")
    query = "&".join(
        quote(name, safe="-_.~") + "=" + quote(value, safe="-_.~") for name, value in case.get("query", [])
    )
    url = "https://" + case["host"] + path + ("?" + query if query else "")
    headers = [(name, value) for name, value in case.get("headers", [])]
    request = AWSRequest(method=case["method"], url=url, data=case.get("body", "").encode("utf-8"))
    for name, value in headers:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    credentials = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    if case.get("s3"):
        auth = botocore.auth.S3SigV4Auth(credentials, "s3", case["region"])
        request.context["client_config"] = Config(
            s3={"payload_signing_enabled": not case.get("unsigned_payload", False)}
        )
    else:
        auth = botocore.auth.SigV4Auth(credentials, case["service"], case["region"])
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # recompute the intermediate forms as signed
    canonical = auth.canonical_request(request)
    presigned_url = None
    if case.get("presign_expires"):
        query_class = botocore.auth.S3SigV4QueryAuth if case.get("s3") else botocore.auth.SigV4QueryAuth
        presign_auth = query_class(credentials, "s3" if case.get("s3") else case["service"], case["region"],
                                   expires=case["presign_expires"])
        presign_request = AWSRequest(method=case["method"], url=url)
        for name, value in headers:
            presign_request.headers[name] = value
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            presign_auth.add_auth(presign_request)
        presigned_url = presign_request.url
    return {
        "presigned_url": presigned_url,
        "authorization": authorization,
        "canonical_request": canonical,
        "string_to_sign": auth.string_to_sign(request, canonical),
        "url": url,
    }


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
