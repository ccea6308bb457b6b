#!/usr/bin/env python3
"""PyYAML and jsonschema (the libraries quilt3 reads workflow configs and checks metadata with) as oracles for
our YAML subset reader and JSON Schema validator.

stdin: {"yaml": [text, ...], "schema": [[schema, instance], ...]}
stdout: {"yaml": [{"value": any | null, "error": str | null}],
         "schema": [{"valid": bool | null, "error": str | null}]}
yaml: yaml.safe_load; a value JSON cannot hold (dates, ...) is reported as an error.
schema: jsonschema.Draft7Validator without a format checker, as quilt3 uses it; error = SchemaError.
"""
import json
import sys

import jsonschema
import yaml


def load(text):
    try:
        value = yaml.safe_load(text)
        return {"value": json.loads(json.dumps(value, allow_nan=False)), "error": None}
    except Exception as error:
        return {"value": None, "error": f"{type(error).__name__}: {error}"}


def check(schema, instance):
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        return {"valid": None, "error": f"SchemaError: {error.message}"}
    return {"valid": jsonschema.Draft7Validator(schema).is_valid(instance), "error": None}


def main():
    request = json.load(sys.stdin)
    json.dump({"yaml": [load(text) for text in request.get("yaml", [])],
               "schema": [check(schema, instance) for schema, instance in request.get("schema", [])]}, sys.stdout)


if __name__ == "__main__":
    main()
