import Foundation
import Testing

@testable import Quilt

@Suite(.timeLimit(.minutes(2))) struct NamingTests {
    @Test func packageNames() throws {
        let name = try PackageName("benchling/EXP00001234")
        #expect(name.prefix == "benchling")
        #expect(name.name == "EXP00001234")
        #expect(name.description == "benchling/EXP00001234")
        #expect((try? PackageName("a-b_c/D-9")) != nil)
        for bad in ["", "a", "a/", "/b", "a/b/c", "a b/c", "a/é", "a.b/c", "a/b\n", "a//b"] {
            #expect(throws: QuiltError.invalidPackageName(bad)) { try PackageName(bad) }
        }
    }

    @Test func walkOrderSortsBySegments() {
        let keys = ["a-b/y.txt", "é.txt", "a/x.txt", "Zeta.txt", "a/b/c", "sp ace/f+1.txt", "a/a", "a0", "b"]
        let sorted = keys.sorted(by: LogicalKey.walkOrderPrecedes)
        #expect(sorted == ["Zeta.txt", "a/a", "a/b/c", "a/x.txt", "a-b/y.txt", "a0", "b", "sp ace/f+1.txt", "é.txt"])
        let bySortKey = keys.sorted { LogicalKey.walkSortKey($0).lexicographicallyPrecedes(LogicalKey.walkSortKey($1)) }
        #expect(bySortKey == sorted)
    }

    @Test func logicalKeyValidation() throws {
        try LogicalKey.validate("a/b c/é.txt")
        for bad in ["", "/a", "a/", "a//b", "./a", "a/../b", "a/."] {
            #expect(throws: QuiltError.self) { try LogicalKey.validate(bad) }
        }
        #expect(throws: QuiltError.duplicateLogicalKey("a")) { try LogicalKey.checkUnique(["a", "a/b"]) }
        #expect(throws: QuiltError.duplicateLogicalKey("x")) { try LogicalKey.checkUnique(["x", "x"]) }
    }

    @Test func physicalKeysQuoteLikePython() {
        // Expected values: urllib.parse.quote("/" + key) in CPython.
        #expect(PhysicalKey.s3(bucket: "b", key: "sp ace/f+1.txt") == "s3://b/sp%20ace/f%2B1.txt")
        #expect(PhysicalKey.s3(bucket: "b", key: "é/☃😀.txt") == "s3://b/%C3%A9/%E2%98%83%F0%9F%98%80.txt")
        #expect(PhysicalKey.s3(bucket: "b", key: "a~b_c.d-e/#?&=%'") == "s3://b/a~b_c.d-e/%23%3F%26%3D%25%27")
        #expect(PhysicalKey.s3(bucket: "b", key: "k", versionId: "v1.2_x") == "s3://b/k?versionId=v1.2_x")
        #expect(PhysicalKey.s3(bucket: "b", key: "k", versionId: "null") == "s3://b/k")
        #expect(PhysicalKey.file(path: "/tmp/a b/c") == "file:///tmp/a%20b/c")
        #expect(PhysicalKey.unquote("/tmp/a%20b/%C3%A9%") == "/tmp/a b/é%")
    }

    @Test func catalogLinks() throws {
        let links = CatalogLinks(host: "https://quilt.example.com/", bucket: "my-bucket")
        let package = try PackageName("benchling/EXP1")
        #expect(links.packagePage(package) == "https://quilt.example.com/b/my-bucket/packages/benchling/EXP1")
        #expect(
            links.filePage(package, logicalKey: "data/a b+é.csv")
                == "https://quilt.example.com/b/my-bucket/packages/benchling/EXP1/tree/latest/data/a%20b%2B%C3%A9.csv")
        let hash = String(repeating: "ab", count: 32)
        #expect(
            links.revisionPage(package, revision: .topHash(hash))
                == "https://quilt.example.com/b/my-bucket/packages/benchling/EXP1/tree/\(hash)")
        #expect(
            links.quiltSyncLink(package)
                == "https://quilt.example.com/redir/quilt%2Bs3%3A%2F%2Fmy-bucket%23package%3Dbenchling%2FEXP1%3Alatest%26catalog%3Dquilt.example.com"
        )
        #expect(
            links.quiltURI(package, revision: .topHash(hash), logicalKey: "a b.txt")
                == "quilt+s3://my-bucket#package=benchling/EXP1@\(hash)&catalog=quilt.example.com&path=a%20b.txt")
    }
}
