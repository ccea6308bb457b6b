import AWSCore
import AWSServices
import Foundation
import TestSupport
import Testing

/// Ranged GETs against moto, signing as the worker.
@Suite(.timeLimit(.minutes(5))) struct S3RangeMotoTests {
    @Test func rangesReturnTheirBytesAndTheObjectSize() async throws {
        let moto = try Moto()
        let bucket = try await S3MotoTests.bucket(moto)
        let body = Data((0..<1000).map { UInt8($0 % 251) })
        try await moto.with(moto.environment.worker) { worker in
            let s3 = S3(client: worker)
            let key = "benchling/range/object.bin"
            try await s3.putObject(bucket: bucket, key: key, body: body)

            let head = try await s3.getObjectRange(bucket: bucket, key: key, offset: 0, length: 100)
            #expect(head.data == body[0..<100] && head.totalSize == 1000 && !head.reachesEnd)
            let middle = try await s3.getObjectRange(bucket: bucket, key: key, offset: 900, length: 100)
            #expect(middle.data == body[900..<1000] && middle.reachesEnd)
            // Asking past the end gives what there is; starting past it gives nothing (S3 answers 416).
            let tail = try await s3.getObjectRange(bucket: bucket, key: key, offset: 990, length: 100)
            #expect(tail.data == body[990..<1000] && tail.reachesEnd)
            let beyond = try await s3.getObjectRange(bucket: bucket, key: key, offset: 1000, length: 10)
            #expect(beyond.data.isEmpty && beyond.reachesEnd)

            let missing = await #expect(throws: AWSError.self) {
                try await s3.getObjectRange(bucket: bucket, key: "benchling/range/missing", offset: 0, length: 10)
            }
            #expect(missing?.statusCode == 404)
        }
    }
}
