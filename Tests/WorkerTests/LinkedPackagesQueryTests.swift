import Foundation
import Testing

@testable import Worker

/// The linked-packages SQL: user data never reaches Athena unescaped.
@Suite("Linked packages: Athena SQL", .timeLimit(.minutes(2)))
struct LinkedPackagesQueryTests {
    @Test("the query reads the latest rows of the bucket's packages view")
    func plainQuery() throws {
        let sql = try LinkedPackagesQuery.sql(
            database: "userathenadatabase-abc", bucket: "my-bucket", packageKey: "experiment_id", value: "EXP00000042",
            rowLimit: 52)
        #expect(
            sql == """
                SELECT DISTINCT "pkg_name"
                FROM "userathenadatabase-abc"."my-bucket_packages-view"
                WHERE "timestamp" = 'latest'
                  AND json_extract_scalar("user_meta", '$["experiment_id"]') = 'EXP00000042'
                ORDER BY "pkg_name"
                LIMIT 52
                """)
    }

    @Test("quotes in values and names are doubled, so they cannot end the literal or identifier")
    func hostileValues() throws {
        let sql = try LinkedPackagesQuery.sql(
            database: #"db"; DROP TABLE x; --"#, bucket: "b", packageKey: "exp id key",
            value: "EXP' OR '1'='1", rowLimit: 0)
        #expect(sql.contains(#"FROM "db""; DROP TABLE x; --"."b_packages-view""#))
        #expect(sql.contains(#"json_extract_scalar("user_meta", '$["exp id key"]') = 'EXP'' OR ''1''=''1'"#))
        #expect(sql.hasSuffix("LIMIT 1"))
        // Taking the quoted pieces out leaves only the fixed SQL around them.
        #expect(try LinkedPackagesQuery.literal("it's", what: "x") == "'it''s'")
        #expect(try LinkedPackagesQuery.identifier(#"a"b"#, what: "x") == #""a""b""#)
        #expect(try LinkedPackagesQuery.literal("日本語 – ünïcode", what: "x") == "'日本語 – ünïcode'")
    }

    @Test("a dotted PKG_KEY is a nested path, as the Python service's '$.a.b'; the manifest scan reads it the same way")
    func dottedKeyIsNestedPath() throws {
        #expect(try LinkedPackagesQuery.jsonPath(key: "sample.experiment id") == #"$["sample"]["experiment id"]"#)
        #expect(throws: LinkedPackagesQuery.Refused.self) { try LinkedPackagesQuery.jsonPath(key: "a..b") }
        #expect(throws: LinkedPackagesQuery.Refused.self) { try LinkedPackagesQuery.jsonPath(key: ".a") }
        let path = PackageKeyPath("sample.experiment id")
        #expect(path.matches(["sample": ["experiment id": "EXP1"]], value: "EXP1"))
        #expect(!path.matches(["sample.experiment id": "EXP1"], value: "EXP1"))
        #expect(!path.matches(["sample": "EXP1"], value: "EXP1"))
        #expect(PackageKeyPath("experiment_id").matches(["experiment_id": "EXP1"], value: "EXP1"))
    }

    @Test("control characters, empty names and JSON-path quotes are refused")
    func refusals() {
        #expect(throws: LinkedPackagesQuery.Refused.self) {
            try LinkedPackagesQuery.literal("EXP\u{0}1", what: "display id")
        }
        #expect(throws: LinkedPackagesQuery.Refused(description: "the display id contains control characters")) {
            try LinkedPackagesQuery.sql(database: "d", bucket: "b", packageKey: "k", value: "EXP\n1", rowLimit: 5)
        }
        #expect(throws: LinkedPackagesQuery.Refused.self) {
            try LinkedPackagesQuery.literal("EXP\u{7F}", what: "display id")
        }
        #expect(throws: LinkedPackagesQuery.Refused(description: "the Athena database is empty")) {
            try LinkedPackagesQuery.sql(database: "", bucket: "b", packageKey: "k", value: "v", rowLimit: 5)
        }
        #expect(throws: LinkedPackagesQuery.Refused.self) {
            try LinkedPackagesQuery.jsonPath(key: #"a"]"#)
        }
        #expect(throws: LinkedPackagesQuery.Refused.self) {
            try LinkedPackagesQuery.jsonPath(key: #"a\"#)
        }
    }
}
