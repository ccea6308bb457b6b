#!/usr/bin/env python3
"""The package documents the Python service (quiltdata/benchling-webhook 0.18) writes for an entry, built from the
compatibility reference (docs: upstream-compat.md, section 1), independently of the Swift code under test.

stdin: {"entry": <GET /entries/{id} entry object>, "message": <webhook message>, "package_name": str,
        "registry": str, "base_url": str, "canvas_id": str | null,
        "members": [{"path": str, "size": int}]  # the export ZIP's members, in ZIP order}
stdout: {"entry.json": obj, "entry_data.json": obj, "links.json": obj, "input.json": obj, "README.md": str,
         "commit_message": str}

The reference's deliberate differences are applied: input.json's export_url is "" (no presigned URL). Names of
linked objects stay null here (they are resolved against Benchling, which this script does not call).
"""
import json
import sys
from datetime import datetime

ENTITY_TYPES = {"custom_entity", "dna_sequence", "aa_sequence", "batch"}


def isoformat(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()


def user_label(user):
    if not isinstance(user, dict) or not user.get("name"):
        return ""
    return f"{user['name']} <{user.get('handle', '')}@{user.get('id', '')}>"


def note_links(entry):
    for day in entry.get("days") or []:
        for note in day.get("notes") or []:
            for link in note.get("links") or []:
                if isinstance(link, dict):
                    yield link


def classified_links(entry):
    seen, out = set(), []
    for link in note_links(entry):
        web_url = link.get("webURL") or link.get("web_url")
        key = link.get("id") or web_url
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append({"id": link.get("id"), "type": link.get("type") or "", "web_url": web_url})
    return out


def slug(web_url, link_id):
    if not web_url or not link_id:
        return None
    path = web_url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    prefix = f"{link_id}-".replace("_", "-")
    for segment in [p for p in path.split("/") if p and p != "edit"]:
        if segment.replace("_", "-").startswith(prefix):
            return segment[len(prefix):] or None
    return None


def links_document(entry):
    seen, entities = set(), []
    for link in note_links(entry):
        link_id, link_type = link.get("id"), link.get("type")
        if not link_id or link_type not in ENTITY_TYPES or link_id in seen:
            continue
        seen.add(link_id)
        entities.append({"id": link_id, "type": link_type, "web_url": link.get("webURL") or link.get("web_url"),
                         "source": "note_link"})
    for field in (entry.get("fields") or {}).values():
        ftype = field.get("type")
        if not ftype or "entity" not in str(ftype).lower():
            continue
        value = field.get("value")
        if isinstance(value, str):
            ids = [value] if value else []
        elif isinstance(value, list):
            ids = [v for v in value if isinstance(v, str) and v]
        else:
            ids = []
        for value_id in ids:
            if value_id in seen:
                continue
            seen.add(value_id)
            entities.append({"id": value_id, "type": ftype, "web_url": None, "source": "entity_field"})
    tables, table_keys = [], set()
    for day in entry.get("days") or []:
        for note in day.get("notes") or []:
            if note.get("type") != "results_table" or not note.get("assayResultSchemaId"):
                continue
            key = (note.get("apiId"), note["assayResultSchemaId"])
            if key in table_keys:
                continue
            table_keys.add(key)
            tables.append({"assay_result_schema_id": note["assayResultSchemaId"], "api_id": note.get("apiId"),
                           "name": note.get("name")})
    return {"schema_version": 2, "entities": entities,
            "links": [{"id": l["id"], "type": l["type"], "web_url": l["web_url"]} for l in classified_links(entry)],
            "results_tables": tables}


def main():
    request = json.load(sys.stdin)
    entry, message, pkg = request["entry"], request["message"], request["package_name"]
    members = request["members"]
    timestamp = message.get("timestamp") or ""
    created = isoformat(entry["createdAt"])
    modified = entry["modifiedAt"]
    creator = user_label(entry.get("creator"))
    authors = [label for label in (user_label(a) for a in entry.get("authors") or []) if label]
    entry_json = {
        "package_name": pkg, "entry_id": entry["id"], "display_id": entry["displayId"], "name": entry["name"],
        "web_url": entry["webURL"], "creator": creator, "authors": authors, "created_at": created,
        "modified_at": modified, "export_timestamp": timestamp, "benchling_base_url": request["base_url"],
        "webhook_data": message,
        "files": {m["path"]: {"s3_key": f"{pkg}/{m['path']}", "size": m["size"]} for m in members},
    }
    if request.get("canvas_id") is not None:
        entry_json["canvas_id"] = request["canvas_id"]
    entry_json["links"] = [{"type": l["type"], "id": l["id"], "name": None, "slug": slug(l["web_url"], l["id"])}
                           for l in classified_links(entry)]
    entry_data = dict(entry)
    entry_data["createdAt"] = created
    entry_data.update({"display_id": entry["displayId"], "web_url": entry["webURL"], "created_at": created,
                       "modified_at": modified})
    input_json = {"source": "benchling_webhook", "export_url": "", "processing_timestamp": timestamp,
                  "package_metadata": {"name": pkg, "registry": request["registry"], "total_files": len(members)}}
    readme = f"# {entry['displayId']} - {entry['name']}\n\n## Overview\n"  # the headings are what is compared
    readme += "\n".join(["## Entry Information", "## Export Information", "## Files Included", "## Metadata Files",
                         "## Usage"])
    event = message.get("type") or "webhook payload"
    json.dump({"entry.json": entry_json, "entry_data.json": entry_data, "links.json": links_document(entry),
               "input.json": input_json, "README.md": readme,
               "commit_message": f"Benchling {event}" + (f" at {timestamp}" if timestamp else "")}, sys.stdout)


if __name__ == "__main__":
    main()
