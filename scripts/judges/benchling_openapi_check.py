#!/usr/bin/env python3
"""Judge recorded Benchling API traffic against Benchling's own OpenAPI spec (api-v2-stable.yaml).

Input: a JSON list of items.
  request  (default kind): {"method", "path", "query"?, "contentType"?, "body": text | null}
           -> the operation must exist in the spec, query names must be declared, and the body must validate
              against the operation's requestBody schema (JSON, or form-encoded for /token).
  response: {"kind": "response", "method", "path", "status", "body": text | JSON}
           -> the body must validate against the operation's response schema for that status.
  schema:   {"kind": "schema", "schema": "EntryById", "body": text | JSON}
           -> the body must validate against that component schema.
Paths may carry the /api/v2 prefix; other paths (downloads, JWKS) are skipped and counted.

Output (stdout): {"spec", "checked", "skipped", "failures": [{"index", "method", "path", "operation", "errors"}]}.
Exit status: 0 clean, 1 failures or unknown operations, 2 unusable input or spec.

OpenAPI 3.0 schemas are not JSON Schema; they are translated (once, cached) before validating with Draft 2020-12:
  * allOf members are merged into one object schema (properties, required, additionalProperties) as OpenAPI tools
    do, so `additionalProperties: false` next to `allOf` (e.g. AppCanvasUpdate) forbids only undeclared keys;
    where a member cannot be merged the restriction becomes `unevaluatedProperties: false`;
  * `nullable: true` admits null;
  * `discriminator` + `oneOf` selects the mapped schema by the discriminator value (strict);
  * `oneOf` without discriminator is checked as `anyOf` (the spec's oneOf lists overlap, e.g. getTask's tasks).

--spec auto: $BENCHLING_OPENAPI_SPEC, else ../shared/vectors/benchling-openapi/api-v2-stable.yaml next to the
repository, else the benchling-api-client 2.0.434 wheel from PyPI (downloaded once into .testenv/cache/).
--spec wheel: always the wheel's copy. --spec PATH: that file.
"""
import argparse
import copy
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.parse
import zipfile

import jsonschema
import referencing
import referencing.jsonschema

SPEC_URI = "urn:benchling-openapi-v2"
WHEEL = "benchling-api-client==2.0.434"
WHEEL_MEMBER_SUFFIX = "v2/stable/openapi.yaml"
MERGEABLE_KEYS = {"properties", "required", "type", "additionalProperties", "description", "title", "example",
                  "readOnly", "writeOnly", "nullable", "format", "default", "deprecated"}


def repo_root():
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def locate_spec(option):
    if option not in ("auto", "wheel"):
        return option
    env = os.environ.get("BENCHLING_OPENAPI_SPEC")
    if option == "auto" and env and os.path.exists(env):
        return env
    sibling = os.path.join(repo_root(), "..", "shared", "vectors", "benchling-openapi", "api-v2-stable.yaml")
    if option == "auto" and os.path.exists(sibling):
        return os.path.abspath(sibling)
    cache = os.path.join(repo_root(), ".testenv", "cache", "benchling-api-client")
    extracted = os.path.join(cache, "api-v2-stable.yaml")
    if os.path.exists(extracted):
        return extracted
    os.makedirs(cache, exist_ok=True)
    wheels = glob.glob(os.path.join(cache, "benchling_api_client-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", cache, WHEEL],
                       check=True, timeout=600, stdout=sys.stderr)
        wheels = glob.glob(os.path.join(cache, "benchling_api_client-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        member = next(n for n in wheel.namelist() if n.endswith(WHEEL_MEMBER_SUFFIX) and "/v2/" in "/" + n)
        with wheel.open(member) as source, open(extracted + ".part", "wb") as target:
            target.write(source.read())
    os.replace(extracted + ".part", extracted)
    return extracted


def load_spec(path):
    """Parsed spec, cached as JSON by content hash (PyYAML takes seconds on the 1 MB file)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    cache_dir = os.path.join(repo_root(), ".testenv", "cache", "openapi")
    cached = os.path.join(cache_dir, digest + ".json")
    if os.path.exists(cached):
        with open(cached) as handle:
            return json.load(handle)
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = json.loads(json.dumps(yaml.load(raw, Loader=loader), default=str))
    try:
        os.makedirs(cache_dir, exist_ok=True)
        with open(cached + ".part", "w") as handle:
            json.dump(spec, handle, default=str)
        os.replace(cached + ".part", cached)
    except OSError:
        pass
    return spec


class Translator:
    """OpenAPI 3.0 schema objects -> JSON Schema 2020-12 (see module doc)."""

    def __init__(self, spec):
        self.components = spec.get("components", {}).get("schemas", {})

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.components[name]
            seen += 1
            if seen > 50:
                raise ValueError("$ref loop")
        return schema

    def flatten(self, schema, depth=0):
        """Merge allOf members (resolving their $refs) into the schema itself."""
        if not isinstance(schema, dict) or "allOf" not in schema or depth > 30:
            return schema
        merged = {k: copy.deepcopy(v) for k, v in schema.items() if k != "allOf"}
        residual = []
        for member in schema["allOf"]:
            member = self.flatten(self.resolve(member), depth + 1)
            if not isinstance(member, dict) or not set(member) <= MERGEABLE_KEYS:
                residual.append(member)
                continue
            for name, prop in member.get("properties", {}).items():
                props = merged.setdefault("properties", {})
                props[name] = {"allOf": [props[name], prop]} if name in props else copy.deepcopy(prop)
            if member.get("required"):
                merged["required"] = sorted(set(merged.get("required", [])) | set(member["required"]))
            if "type" in member and "type" not in merged:
                merged["type"] = member["type"]
            if member.get("additionalProperties") is False:
                merged["additionalProperties"] = False
            elif isinstance(member.get("additionalProperties"), dict) and "additionalProperties" not in merged:
                merged["additionalProperties"] = member["additionalProperties"]
        if residual:
            merged["allOf"] = residual
        return merged

    def ref(self, ref):
        return {"$ref": SPEC_URI + "#/components/schemas/" + ref.rsplit("/", 1)[-1]}

    def walk(self, schema):
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        schema = self.flatten(schema)
        out = {}
        for key, value in schema.items():
            if key in ("properties", "patternProperties"):
                out[key] = {name: self.walk(sub) for name, sub in value.items()}
            elif key in ("items", "not", "additionalProperties"):
                out[key] = self.walk(value) if isinstance(value, dict) else value
            elif key in ("allOf", "anyOf"):
                out[key] = [self.walk(sub) for sub in value]
            elif key == "oneOf" and "discriminator" not in schema:
                out["anyOf"] = [self.walk(sub) for sub in value]
            elif key in ("oneOf", "discriminator", "nullable", "example", "readOnly", "writeOnly",
                         "xml", "externalDocs", "deprecated") or key.startswith("x-"):
                continue
            else:
                out[key] = copy.deepcopy(value)
        if "discriminator" in schema:
            out = self.discriminated(schema, out)
        if out.get("additionalProperties") is False and any(k in out for k in ("allOf", "anyOf", "$ref")):
            del out["additionalProperties"]
            out["unevaluatedProperties"] = False
        if schema.get("nullable") is True:
            out = self.nullable(out)
        return out

    def discriminated(self, schema, out):
        prop = schema["discriminator"]["propertyName"]
        mapping = dict(schema["discriminator"].get("mapping") or {})
        for sub in schema.get("oneOf", []):
            if "$ref" in sub and sub["$ref"] not in mapping.values():
                mapping[sub["$ref"].rsplit("/", 1)[-1]] = sub["$ref"]
        branches = [{"if": {"properties": {prop: {"const": value}}, "required": [prop]}, "then": self.ref(target)}
                    for value, target in mapping.items()]
        out.setdefault("required", [])
        if prop not in out["required"]:
            out["required"] = out["required"] + [prop]
        out.setdefault("properties", {})[prop] = {"enum": sorted(mapping)}
        out["allOf"] = out.get("allOf", []) + branches
        return out

    @staticmethod
    def nullable(out):
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = types + ["null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
            return out
        return {"anyOf": [{"type": "null"}, out]}

    def document(self):
        return {"components": {"schemas": {name: self.walk(s) for name, s in self.components.items()}}}


class Judge:
    def __init__(self, spec):
        self.spec = spec
        self.translator = Translator(spec)
        resource = referencing.Resource.from_contents(
            self.translator.document(), default_specification=referencing.jsonschema.DRAFT202012)
        self.registry = referencing.Registry().with_resource(SPEC_URI, resource)
        self.routes = []
        for template, item in spec.get("paths", {}).items():
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            literal = len(re.sub(r"\{[^}]+\}", "", template))
            self.routes.append((literal, template, re.compile(pattern), item))
        self.routes.sort(key=lambda route: -route[0])

    def operation(self, method, path):
        for _, template, pattern, item in self.routes:
            if pattern.match(path) and method.lower() in item:
                op = item[method.lower()]
                params = item.get("parameters", []) + op.get("parameters", [])
                return template, op, params
        return None, None, None

    def errors(self, schema, body):
        validator = jsonschema.Draft202012Validator(self.translator.walk(schema), registry=self.registry)
        found = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        messages = []
        for error in found[:8]:
            leaf = jsonschema.exceptions.best_match([error])
            where = "/".join(str(p) for p in leaf.absolute_path) or "(body)"
            messages.append(f"{where}: {leaf.message[:300]}")
        return messages

    def check(self, item):
        kind = item.get("kind", "request")
        if kind == "schema":
            return item["schema"], self.errors({"$ref": "#/components/schemas/" + item["schema"]}, parse(item))
        method = item["method"].upper()
        path = item["path"]
        if not path.startswith("/api/v2/"):
            return None, None
        template, op, params = self.operation(method, path[len("/api/v2"):])
        if op is None:
            return f"{method} ?", [f"unknown operation {method} {path}"]
        name = f"{op.get('operationId', '?')} ({method} {template})"
        if kind == "response":
            response = op.get("responses", {}).get(str(item["status"])) or op.get("responses", {}).get("default")
            schema = ((response or {}).get("content", {}).get("application/json", {}) or {}).get("schema")
            if schema is None:
                return name, [f"status {item['status']} is not a documented JSON response"]
            return name, self.errors(schema, parse(item))
        problems = []
        declared = {p["name"] for p in (self.translator.resolve(p) for p in params) if p.get("in") == "query"}
        for key, _ in urllib.parse.parse_qsl(item.get("query") or "", keep_blank_values=True):
            if key not in declared:
                problems.append(f"query parameter {key!r} is not declared")
        body_text = item.get("body")
        content = (op.get("requestBody") or {}).get("content", {})
        if body_text in (None, ""):
            if (op.get("requestBody") or {}).get("required"):
                problems.append("request body required")
            return name, problems
        if not content:
            return name, problems + ["operation takes no request body"]
        content_type = (item.get("contentType") or "").split(";")[0].strip().lower()
        if "application/x-www-form-urlencoded" in content and content_type != "application/json":
            body = dict(urllib.parse.parse_qsl(body_text, keep_blank_values=True))
            schema = content["application/x-www-form-urlencoded"]["schema"]
        elif "application/json" in content:
            if content_type and content_type != "application/json":
                problems.append(f"content-type {content_type!r}, expected application/json")
            try:
                body = json.loads(body_text)
            except ValueError as error:
                return name, problems + [f"body is not JSON: {error}"]
            schema = content["application/json"]["schema"]
        else:
            return name, problems + [f"no schema for content-type {content_type!r}"]
        return name, problems + self.errors(schema, body)


def parse(item):
    body = item.get("body")
    return json.loads(body) if isinstance(body, str) else body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", default="auto")
    parser.add_argument("recordings", help="JSON file: list of request/response/schema items")
    args = parser.parse_args()
    try:
        spec_path = locate_spec(args.spec)
        judge = Judge(load_spec(spec_path))
        with open(args.recordings) as handle:
            items = json.load(handle)
    except Exception as error:  # noqa: BLE001 - report any setup failure as unusable input
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 2
    report = {"spec": spec_path, "checked": 0, "skipped": 0, "failures": []}
    for index, item in enumerate(items):
        operation, problems = judge.check(item)
        if operation is None:
            report["skipped"] += 1
            continue
        report["checked"] += 1
        if problems:
            report["failures"].append({"index": index, "method": item.get("method"), "path": item.get("path"),
                                       "operation": operation, "errors": problems})
    print(json.dumps(report, indent=1))
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
