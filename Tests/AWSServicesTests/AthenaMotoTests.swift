import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport
import Testing

/// Athena (JSON 1.1) against moto, signing as the worker (the template's Athena statements) — moto runs no SQL:
/// results are queued through its API (see `MotoAthena`), so these tests check our calls, the parsing of
/// Athena's answers, the bounded wait, and IAM.
@Suite(.timeLimit(.minutes(5))) struct AthenaMotoTests {
    @Test func queryStartsAndItsFirstPageIsRead() async throws {
        let moto = try Moto()
        let env = moto.environment
        try await MotoAthena.exclusive(env) { control in
            try await control.queueResult(
                columns: ["pkg_name", "user_meta"],
                rows: [["team/a", #"{"experiment_id":"EXP1"}"#], ["team/b", nil]])
            try await moto.with(env.worker) { worker in
                let athena = Athena(client: worker, region: AWSRegion(env.region))
                let query = Athena.Query(sql: "SELECT pkg_name, user_meta FROM \"db\".\"t\"", database: "db")
                let id = try await athena.startQueryExecution(query)
                let execution = try await athena.getQueryExecution(id: id)
                #expect(execution.id == id && execution.state == .succeeded)
                let page = try await athena.getQueryResults(id: id, maxResults: 10)
                // The column-name row Athena repeats on the first page is not a data row.
                #expect(page.columns == ["pkg_name", "user_meta"])
                #expect(page.rows == [["team/a", #"{"experiment_id":"EXP1"}"#], ["team/b", nil]])
                #expect(page.values(of: "pkg_name") == ["team/a", "team/b"])
                #expect(page.values(of: "missing") == [nil, nil])
                #expect(page.nextToken == nil)
            }
        }
    }

    @Test func runPollsUntilTheQuerySucceeds() async throws {
        let moto = try Moto()
        let env = moto.environment
        try await MotoAthena.exclusive(env) { control in
            // QUEUED → RUNNING → SUCCEEDED, one step every second poll: `run` has to poll four times.
            try await control.progressManually(times: 2)
            try await control.queueResult(columns: ["pkg_name"], rows: [["lab/x"]])
            try await moto.with(env.worker) { worker in
                let page = try await Athena(client: worker).run(
                    Athena.Query(sql: "SELECT 1", database: "db"),
                    wait: Athena.Wait(timeout: .seconds(20), pollInterval: .milliseconds(10)), maxResults: 5)
                #expect(page.rows == [["lab/x"]])
            }
        }
    }

    /// `ResultConfiguration.OutputLocation` (as the worker sends it in `primary`): moto takes it from the request,
    /// reports `{location}{id}.csv` back and writes the result CSV there, so all three show the shape was right.
    @Test func runWritesResultsToTheOutputLocation() async throws {
        let moto = try Moto()
        let env = moto.environment
        let bucket = env.uniqueName("athena-results")
        try await moto.createBucket(bucket)
        try await MotoAthena.exclusive(env) { control in
            try await control.queueResult(columns: ["pkg_name"], rows: [["lab/x"], ["lab/y"]])
            let page = try await moto.with(env.worker) { worker in
                try await Athena(client: worker).run(
                    Athena.Query(
                        sql: "SELECT pkg_name FROM \"db\".\"t\"", database: "db", workGroup: "primary",
                        outputLocation: "s3://\(bucket)/benchling-quilt/"),
                    wait: Athena.Wait(timeout: .seconds(20), pollInterval: .milliseconds(10)), maxResults: 5)
            }
            #expect(page.rows == [["lab/x"], ["lab/y"]])
            let admin = moto.seeder.admin
            let objects = try await S3(client: admin).listObjectsV2(bucket: bucket).objects
            let key = try #require(objects.count == 1 ? objects[0].key : nil, "\(objects)")
            #expect(key.hasPrefix("benchling-quilt/") && key.hasSuffix(".csv"), "\(key)")
            let csv = String(
                decoding: try await S3(client: admin).getObject(bucket: bucket, key: key).data, as: UTF8.self)
            #expect(csv.contains("\"lab/x\"") && csv.contains("\"lab/y\""), "\(csv)")
            let id = String(key.dropFirst("benchling-quilt/".count).dropLast(".csv".count))
            let execution = try await admin.jsonRequest(
                service: "athena", target: "AmazonAthena.GetQueryExecution", body: ["QueryExecutionId": .string(id)])
            #expect(
                execution["QueryExecution"]?["ResultConfiguration"]?["OutputLocation"]?.stringValue
                    == "s3://\(bucket)/\(key)")
            #expect(execution["QueryExecution"]?["WorkGroup"]?.stringValue == "primary")
        }
    }

    @Test func aQueryStillRunningAtTheDeadlineIsStoppedAndReported() async throws {
        let moto = try Moto()
        let env = moto.environment
        try await MotoAthena.exclusive(env) { control in
            try await control.progressManually(times: 1_000_000)
            try await moto.with(env.worker) { worker in
                let athena = Athena(client: worker)
                let error = await #expect(throws: AthenaQueryError.self) {
                    try await athena.run(
                        Athena.Query(sql: "SELECT 1"),
                        wait: Athena.Wait(timeout: .milliseconds(300), pollInterval: .milliseconds(20)), maxResults: 5)
                }
                #expect(error?.kind == .timedOut(.milliseconds(300)))
                let id = try #require(error?.queryExecutionId)
                #expect(try await athena.getQueryExecution(id: id).state == .cancelled)
                #expect(error?.description.contains("did not finish") == true)
            }
        }
    }

    @Test func accessDeniedNamesTheAthenaAction() async throws {
        let moto = try Moto()
        let env = moto.environment
        try await MotoAthena.exclusive(env) { _ in
            let denied = await #expect(throws: AWSError.self) {
                try await moto.with(env.restricted) { restricted in
                    try await Athena(client: restricted).startQueryExecution(Athena.Query(sql: "SELECT 1"))
                }
            }
            #expect(denied?.isAccessDenied == true)
            #expect(denied?.description.contains("athena:StartQueryExecution") == true)
        }
    }

    @Test func anUnknownWorkgroupIsAnAWSError() async throws {
        let moto = try Moto()
        let env = moto.environment
        try await MotoAthena.exclusive(env) { _ in
            let error = await #expect(throws: AWSError.self) {
                try await moto.with(env.worker) { worker in
                    try await Athena(client: worker).startQueryExecution(
                        Athena.Query(sql: "SELECT 1", workGroup: env.uniqueName("wg")))
                }
            }
            #expect(error?.code == "InvalidRequestException")
            #expect(error?.operation == "StartQueryExecution")
        }
    }
}
