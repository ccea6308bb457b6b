import JSONCore

/// quilt3's `config-1.schema.json` (workflows config 1.1.0), with its two `$ref`s written out in place, so our
/// own validator checks a config's shape as quilt3 does before it is used.
enum WorkflowConfigSchema {
    static let schema: JSONSchema = {
        // The text below is fixed and valid: failing here is a programming error caught by every test run.
        try! JSONSchema(try! JSONValue.parse(text))
    }()

    private static let version = #"{"type": "string", "pattern": "^[1-9][0-9]*(\\.(0|[1-9][0-9]*)){0,2}$"}"#

    private static let text = """
        {
          "type": "object",
          "required": ["version", "workflows"],
          "additionalProperties": false,
          "properties": {
            "catalog": true,
            "version": {"oneOf": [
              \(version),
              {"type": "object", "additionalProperties": false, "required": ["base"],
               "properties": {"base": \(version), "catalog": \(version)}}
            ]},
            "is_workflow_required": {"type": "boolean"},
            "default_workflow": {"type": "string"},
            "workflows": {
              "type": "object",
              "minProperties": 1,
              "propertyNames": {"pattern": "^[A-Za-z_-][A-Za-z0-9_-]*$", "maxLength": 64},
              "additionalProperties": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": {
                  "catalog": true,
                  "name": {"type": "string", "minLength": 1},
                  "description": {"type": "string", "minLength": 1},
                  "handle_pattern": {"type": "string"},
                  "metadata_schema": {"type": "string"},
                  "entries_schema": {"type": "string"},
                  "is_message_required": {"type": "boolean"}
                }
              }
            },
            "schemas": {
              "type": "object",
              "minProperties": 1,
              "additionalProperties": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}
            },
            "successors": {
              "type": "object",
              "minProperties": 1,
              "additionalProperties": {
                "type": "object",
                "required": ["title"],
                "properties": {"title": {"type": "string", "minLength": 1}, "copy_data": {"type": "boolean"}}
              }
            }
          }
        }
        """
}
