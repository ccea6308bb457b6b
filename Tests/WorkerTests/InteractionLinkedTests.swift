import AWSCore
import AWSServices
import AsyncHTTPClient
import Benchling
import BenchlingSandbox
import Config
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing

@testable import Worker

/// Linked packages (metadata `PKG_KEY` = the entry's display id) found by the manifest fallback or by Athena,
/// shown on the main view with their own Browse buttons.
@Suite("Interaction: linked packages", .timeLimit(.minutes(10)))
struct InteractionLinkedTests {
    @Test("packages whose experiment_id names the entry are listed and browsable; others are not")
    func linkedPackagesFoundAndBrowsable() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let links = try #require(canvas.links)
            let e = world.entryId
            try await world.publish("benchling/EXP00000042", count: 2, userMeta: ["experiment_id": "EXP00000042"])
            try await world.publish(
                "team/assay-1", count: 20, userMeta: ["experiment_id": "EXP00000042", "owner": "alice"])
            try await world.publish("lab/plate_7", count: 1, userMeta: ["experiment_id": "EXP00000042"])
            try await world.publish("team/other", count: 1, userMeta: ["experiment_id": "EXP00000099"])
            try await world.publish("team/nometa", count: 1)

            let main = try await world.press("quilt:back:\(e)", canvas: canvas)
            #expect(
                main.blockIds == [
                    "quilt-summary", "quilt-actions", "quilt-linked", "quilt-linked-actions", "quilt-status",
                ])
            let linkedText = try #require(main.markdown("quilt-linked"))
            let lab = try PackageName("lab/plate_7"), assay = try PackageName("team/assay-1")
            #expect(
                linkedText == """
                    **Linked packages** (metadata `experiment\\_id` = EXP00000042)

                    - [lab/plate\\_7](\(links.packagePage(lab)))
                    - [team/assay\\-1](\(links.packagePage(assay)))
                    """)
            #expect(
                main.buttons(in: "quilt-linked-actions") == [
                    ButtonRow(id: "quilt:linked:\(e):0:lab/plate_7", text: "Browse lab/plate_7", enabled: true),
                    ButtonRow(id: "quilt:linked:\(e):0:team/assay-1", text: "Browse team/assay-1", enabled: true),
                ])

            // Browse a linked package: its own files, paging ids in the linked form, its own View Metadata.
            let browse = try await world.press("quilt:linked:\(e):1:team/assay-1", canvas: canvas)
            let paragraphs = try #require(browse.markdown("quilt-browse")).components(separatedBy: "\n\n")
            #expect(paragraphs[1] == "Linked package (metadata `experiment\\_id` names this entry)")
            #expect(paragraphs[2].hasPrefix("Package: [team/assay\\-1](\(links.packagePage(assay)))"))
            #expect(paragraphs[3] == "Files 16–20 of 20 · page 2 of 2")
            #expect(paragraphs[4].components(separatedBy: "\n").count == 5)
            #expect(
                browse.buttons(in: "quilt-browse-actions") == [
                    ButtonRow(id: "quilt:linked:\(e):0:team/assay-1", text: "Previous", enabled: true),
                    ButtonRow(id: "quilt:linked:\(e):2:team/assay-1", text: "Next", enabled: false),
                    ButtonRow(id: "quilt:back:\(e)", text: "Back to Package", enabled: true),
                    ButtonRow(id: "quilt:linked-metadata:\(e):team/assay-1", text: "View Metadata", enabled: true),
                ])

            // A linked id naming a package that does not link to the entry is refused (ids are checked, not trusted).
            let foreign = try await world.press("quilt:linked:\(e):0:team/other", canvas: canvas)
            #expect(
                foreign.markdown("quilt-problem")
                    == "## EXP00000042\n\n❌ Package team/other is no longer linked to EXP00000042\\.")
            #expect(foreign.buttons(in: "quilt-problem-actions").map(\.text) == ["Back to Package"])
            let missing = try await world.press("quilt:linked:\(e):0:team/gone", canvas: canvas)
            #expect(missing.markdown("quilt-problem")?.contains("does not exist") == true)

            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
            #expect(report.checked == 4)
        }
    }

    @Test("the lookup is bounded and says so; no linked packages gives a how-to line")
    func boundedLookupAndEmptyList() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            try await world.publish("benchling/EXP00000042", count: 1, userMeta: ["experiment_id": "EXP00000042"])
            for index in 0..<3 {
                try await world.publish("team/p\(index)", count: 1, userMeta: ["experiment_id": "EXP00000042"])
            }

            let bounded = LinkedPackageFinder(
                registry: world.registry, packageKey: "experiment_id", limit: 2, parallelism: 2)
            let found = await bounded.find(displayId: "EXP00000042", excluding: canvas.package)
            #expect(
                found == .found([try PackageName("team/p0"), try PackageName("team/p1")], examined: 2, truncated: true))
            let view = await CanvasInteraction(canvas: canvas, registry: world.registry, finder: bounded).mainView()
            #expect(
                view.markdown("quilt-linked")?.hasSuffix("Only the first 2 packages of the bucket were searched.")
                    == true)

            let other = try world.canvas(displayId: "EXP00000777")
            let none = await CanvasInteraction(canvas: other, registry: world.registry).mainView(status: .noPackage)
            #expect(
                none.markdown("quilt-linked") == """
                    **Linked packages** (metadata `experiment\\_id` = EXP00000777)

                    None yet. Set `experiment\\_id` to EXP00000777 in a package's metadata to link it here.
                    """)
            #expect(none.buttons(in: "quilt-linked-actions").isEmpty)
            let report = try await OpenAPIJudge.run(
                [.schema("AppCanvasUpdate", body: view.json), .schema("AppCanvasUpdate", body: none.json)],
                python: world.environment.python, repoRoot: world.environment.repoRoot)
            #expect(report.isClean, "\(report)")
        }
    }

    @Test("a failed lookup is said on the canvas, not hidden")
    func failedLookupIsShown() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            // A bucket that does not exist on moto: listing it fails for real.
            let environment = world.environment
            let aws = environment.awsClient(environment.worker, httpClient: HTTPClient.shared)
            let broken = S3Registry(s3: S3(client: aws), bucket: environment.uniqueName("bq-test-missing"))
            let view = await CanvasInteraction(canvas: canvas, registry: broken).mainView(status: .noPackage)
            let text = try #require(view.markdown("quilt-linked"))
            #expect(
                text.hasPrefix(
                    "**Linked packages**\n\n⚠️ Linked packages could not be looked up: the package list could not be read"
                ), "\(text)")
        }
    }
}

/// The Athena path against moto: the worker's credentials (the template's Athena statements), the query moto
/// received, and the canvas built from its rows. moto runs no SQL, so the rows are queued (`MotoAthena`).
@Suite("Interaction: linked packages via Athena", .timeLimit(.minutes(10)))
struct InteractionAthenaLinkedTests {
    static let columns = ["pkg_name"]

    /// The stack's `AthenaResultsBucketName` in these tests (moto writes the result CSV there when it exists).
    static let resultsBucket = "bq-test-athena-results"

    /// A configuration with a Quilt stack database, as the resolver gives it: by default no workgroup but a
    /// results bucket, so queries run in `primary` with an output location.
    static func configuration(
        bucket: String, workgroup: String? = nil, resultsBucket: String? = resultsBucket
    )
        -> Configuration
    {
        Configuration(
            stackARN: nil, catalogHost: InteractionWorld.catalogHost, athenaDatabase: "userathenadatabase-bq",
            athenaWorkgroup: workgroup, athenaResultsBucket: resultsBucket,
            parameters: SecretParameters(
                clientId: "id", clientSecret: "secret", tenant: "acme", appDefinitionId: "appdef_1",
                userBucket: .s3(bucket: bucket)),
            secretSource: "test")
    }

    static func athena(_ environment: TestEnvironment, _ credentials: TestEnvironment.Credentials) -> Athena {
        Athena(
            client: environment.awsClient(credentials, httpClient: HTTPClient.shared),
            region: AWSRegion(environment.region))
    }

    /// The SQL of the last query moto received (as admin: the listing is not part of the worker's policy).
    static func lastQuery(_ environment: TestEnvironment) async throws -> String {
        try #require(try await lastExecution(environment)["Query"]?.stringValue)
    }

    /// `GetQueryExecution.QueryExecution` of the last query moto received.
    static func lastExecution(_ environment: TestEnvironment) async throws -> JSONValue {
        let admin = MotoSeeder(environment).admin
        let ids = try await admin.jsonRequest(service: "athena", target: "AmazonAthena.ListQueryExecutions", body: [:])
        let id = try #require(ids["QueryExecutionIds"]?.arrayValue?.last?.stringValue)
        let execution = try await admin.jsonRequest(
            service: "athena", target: "AmazonAthena.GetQueryExecution", body: ["QueryExecutionId": .string(id)])
        return try #require(execution["QueryExecution"])
    }

    @Test("the stack's database makes the worker query Athena; the rows become the linked list and Browse buttons")
    func linkedPackagesFoundViaAthena() async throws {
        try await withInteractionWorld { (world) async throws in
            let environment = world.environment
            let canvas = try world.canvas()
            let e = world.entryId
            // Browse of a linked package reads its manifest: publish the one we will open.
            try await world.publish("team/assay-1", count: 3, userMeta: ["experiment_id": "EXP00000042"])
            let config = Self.configuration(bucket: "bq-test-bucket")
            let finder = LinkedPackageLookups.make(
                configuration: config, registry: world.registry, athena: Self.athena(environment, environment.worker))
            // No workgroup in the stack: `primary`, with results under benchling-quilt/ of the results bucket.
            let athenaFinder = try #require(finder as? AthenaLinkedPackageFinder)
            #expect(athenaFinder.workGroup == "primary")
            #expect(athenaFinder.outputLocation == "s3://\(Self.resultsBucket)/benchling-quilt/")
            // Without an Athena client, or without a database, the manifest scan is used.
            #expect(
                LinkedPackageLookups.make(configuration: config, registry: world.registry, athena: nil)
                    is LinkedPackageFinder)
            var noDatabase = config
            noDatabase.athenaDatabase = nil
            #expect(
                LinkedPackageLookups.make(
                    configuration: noDatabase, registry: world.registry,
                    athena: Self.athena(environment, environment.worker))
                    is LinkedPackageFinder)

            let (main, sql) = try await MotoAthena.exclusive(environment) { control in
                // Rows as Athena returns them: the entry's own package, a duplicate, a NULL and a name no package can have.
                try await control.queueResult(
                    columns: Self.columns,
                    rows: [
                        ["benchling/EXP00000042"], ["lab/plate_7"], ["team/assay-1"], ["team/assay-1"], [nil],
                        ["not a package"],
                    ])
                _ = try await world.sandbox.pressButton(canvasId: world.canvasId, buttonId: "quilt:back:\(e)")
                let view = await CanvasInteraction(canvas: canvas, registry: world.registry, finder: finder).mainView()
                _ = try await world.client.updateCanvas(world.canvasId, view)
                let execution = try await Self.lastExecution(environment)
                #expect(execution["WorkGroup"]?.stringValue == "primary")
                // moto reports the location it was sent, plus `{id}.csv`.
                #expect(
                    execution["ResultConfiguration"]?["OutputLocation"]?.stringValue?
                        .hasPrefix("s3://\(Self.resultsBucket)/benchling-quilt/") == true, "\(execution)")
                return (view, try #require(execution["Query"]?.stringValue))
            }
            #expect(sql.contains(#"FROM "userathenadatabase-bq"."bq-test-bucket_packages-view""#), "\(sql)")
            #expect(sql.contains(#"json_extract_scalar("user_meta", '$["experiment_id"]') = 'EXP00000042'"#), "\(sql)")
            #expect(sql.hasSuffix("LIMIT 52"), "\(sql)")

            let links = try #require(canvas.links)
            let lab = try PackageName("lab/plate_7"), assay = try PackageName("team/assay-1")
            #expect(
                main.blockIds == [
                    "quilt-summary", "quilt-actions", "quilt-linked", "quilt-linked-actions", "quilt-status",
                ])
            #expect(
                main.markdown("quilt-linked") == """
                    **Linked packages** (metadata `experiment\\_id` = EXP00000042)

                    - [lab/plate\\_7](\(links.packagePage(lab)))
                    - [team/assay\\-1](\(links.packagePage(assay)))
                    """)
            #expect(
                main.buttons(in: "quilt-linked-actions") == [
                    ButtonRow(id: "quilt:linked:\(e):0:lab/plate_7", text: "Browse lab/plate_7", enabled: true),
                    ButtonRow(id: "quilt:linked:\(e):0:team/assay-1", text: "Browse team/assay-1", enabled: true),
                ])
            let browse = try await world.press("quilt:linked:\(e):0:team/assay-1", canvas: canvas)
            #expect(browse.markdown("quilt-browse")?.contains("Files 1–3 of 3") == true)

            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
            #expect(report.checked == 2)
        }
    }

    @Test("more matches than the first page lists says so; a hostile display id is sent as one escaped literal")
    func truncatedAndEscaped() async throws {
        try await withInteractionWorld(displayId: "EXP'42") { (world) async throws in
            let environment = world.environment
            let canvas = try world.canvas(displayId: "EXP'42", package: "benchling/EXP42")
            let finder = AthenaLinkedPackageFinder(
                athena: Self.athena(environment, environment.worker), database: "db", workGroup: nil,
                bucket: "bq-test-bucket", packageKey: "experiment_id", limit: 2)
            let (found, sql) = try await MotoAthena.exclusive(environment) { control in
                try await control.queueResult(
                    columns: Self.columns, rows: [["a/one"], ["b/two"], ["c/three"], ["d/four"]])
                let found = await finder.find(displayId: canvas.displayId, excluding: canvas.package)
                return (found, try await Self.lastQuery(environment))
            }
            #expect(found == .queried([try PackageName("a/one"), try PackageName("b/two")], truncated: true))
            #expect(sql.contains("= 'EXP''42'"), "\(sql)")
            #expect(sql.hasSuffix("LIMIT 4"), "\(sql)")
            let text = LinkedPackagesView.blocks(canvas, linked: found).first.flatMap {
                if case .markdown(_, let value) = $0 { return value } else { return nil }
            }
            #expect(
                text?.hasSuffix(
                    "More packages link here than are listed; search the catalog for `experiment\\_id` = EXP'42.")
                    == true, "\(text ?? "")")
        }
    }

    @Test("a failed Athena lookup is said on the canvas, with the reason; it does not fall back silently")
    func failedAthenaLookupIsShown() async throws {
        try await withInteractionWorld { (world) async throws in
            let environment = world.environment
            let canvas = try world.canvas()
            // The lookup never sees packages that the manifest scan would find.
            try await world.publish("team/assay-1", count: 1, userMeta: ["experiment_id": "EXP00000042"])
            let views = try await MotoAthena.exclusive(environment) { _ in
                var views: [AppCanvasUpdate] = []
                for (credentials, workgroup) in [
                    (environment.worker, environment.uniqueName("wg")), (environment.restricted, nil),
                ] {
                    let finder = LinkedPackageLookups.make(
                        configuration: Self.configuration(bucket: "bq-test-bucket", workgroup: workgroup),
                        registry: world.registry, athena: Self.athena(environment, credentials))
                    views.append(
                        await CanvasInteraction(canvas: canvas, registry: world.registry, finder: finder)
                            .mainView(status: .noPackage))
                }
                return views
            }
            let unknownWorkgroup = try #require(views[0].markdown("quilt-linked"))
            #expect(
                unknownWorkgroup.hasPrefix(
                    "**Linked packages**\n\n⚠️ Linked packages could not be looked up: the Athena query failed \\(InvalidRequestException: WorkGroup does not exist"
                ), "\(unknownWorkgroup)")
            let denied = try #require(views[1].markdown("quilt-linked"))
            #expect(denied.contains("athena:StartQueryExecution"), "\(denied)")
            #expect(views.allSatisfy { $0.buttons(in: "quilt-linked-actions").isEmpty })
            let report = try await OpenAPIJudge.run(
                views.map { .schema("AppCanvasUpdate", body: $0.json) }, python: environment.python,
                repoRoot: environment.repoRoot)
            #expect(report.isClean, "\(report)")
        }
    }
}
