import JSONCore
import Quilt

/// Decides whether a planned package records anything the latest revision does not.
///
/// The top hash covers the manifest header (whose `message` names the event) and `entry.json` (whose
/// `export_timestamp` and `webhook_data` describe the event), so two events for an unchanged entry never share a
/// top hash. Comparing top hashes would write a new revision on every delivery; instead the content is compared:
/// every file but `entry.json` by logical key, hash, size and meta, and the package metadata (which is what
/// `entry.json` holds) without the event's own keys. A redelivery of the very same event is caught earlier, by the
/// job log and by the identical top hash.
public enum RevisionComparison {
    public static let metadataFile = "entry.json"

    public static func sameContent(
        _ candidate: Manifest, as latest: Manifest,
        ignoringMetadataKeys eventKeys: Set<String> = EntryDocuments.eventKeys
    ) -> Bool {
        func files(_ manifest: Manifest) -> [String: ManifestEntry] {
            var byKey: [String: ManifestEntry] = [:]
            for entry in manifest.entries where entry.logicalKey != metadataFile {
                byKey[entry.logicalKey] = entry
            }
            return byKey
        }
        func stable(_ manifest: Manifest) -> JSONObject {
            var meta = manifest.header.userMeta ?? JSONObject()
            for key in eventKeys { meta[key] = nil }
            return meta
        }
        // The workflow a revision was validated under (and the config version) is part of what it records.
        guard candidate.header.workflow == latest.header.workflow else { return false }
        let (a, b) = (files(candidate), files(latest))
        guard a.count == b.count else { return false }
        for (key, entry) in a {
            guard let other = b[key], other.hash == entry.hash, other.size == entry.size, other.meta == entry.meta
            else {
                return false
            }
        }
        // Key order in metadata is not content: compare canonically.
        return JSONValue.object(stable(candidate)).canonicalString()
            == JSONValue.object(stable(latest)).canonicalString()
    }
}
