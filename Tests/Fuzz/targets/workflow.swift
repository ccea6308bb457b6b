import Foundation
import JSONCore
import QuiltWorkflows

/// The Quilt workflows config reader (YAML subset, then the config's shape) and the JSON Schema validator: any
/// bytes are refused with an error or read into a value; a value that is a usable schema validates itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkflow(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    guard let value = try? YAMLSubsetParser.parse(bytes) else { return 0 }
    _ = try? WorkflowConfig(
        yaml: bytes, location: .s3(bucket: "fuzz", key: ".quilt/workflows/config.yml", versionId: nil))
    if let schema = try? JSONSchema(value) {
        _ = schema.isValid(value)
    }
    return 0
}
