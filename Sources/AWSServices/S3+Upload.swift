import AWSCore
import Foundation

extension S3 {
    /// S3's smallest part (every part but the last).
    public static let minimumPartSize = 5 * 1024 * 1024
    /// Parts sent at once by `upload`.
    public static let uploadConcurrency = 4

    /// Uploads a file: one streamed PUT when it is smaller than `partSize`, otherwise a multipart upload whose parts
    /// are streamed from file ranges (the file is never loaded whole). Any failure aborts the multipart upload so no
    /// orphaned parts are billed. `condition` applies to the PUT or to CompleteMultipartUpload.
    @discardableResult
    public func upload(
        file: URL, bucket: String, key: String, contentType: String = defaultContentType,
        partSize: Int = 8 * 1024 * 1024, condition: S3WriteCondition = .none,
        metadata: [String: String] = [:]
    ) async throws -> S3PutResult {
        let size = try AWSRequestBody.file(file).length
        guard size >= Int64(partSize) else {
            return try await putObject(
                bucket: bucket, key: key, file: file, contentType: contentType,
                condition: condition, metadata: metadata)
        }
        let partSize = Int64(max(partSize, Self.minimumPartSize))
        let uploadId = try await createMultipartUpload(
            bucket: bucket, key: key, contentType: contentType,
            metadata: metadata)
        do {
            let partCount = Int((size + partSize - 1) / partSize)
            let etags = try await uploadParts(
                file: file, bucket: bucket, key: key, uploadId: uploadId,
                size: size, partSize: partSize, partCount: partCount)
            return try await completeMultipartUpload(
                bucket: bucket, key: key, uploadId: uploadId, etags: etags,
                condition: condition)
        } catch {
            // Best effort: the original error is what the caller needs to see.
            try? await abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw error
        }
    }

    private func uploadParts(
        file: URL, bucket: String, key: String, uploadId: String, size: Int64, partSize: Int64,
        partCount: Int
    ) async throws -> [String] {
        var etags = [String](repeating: "", count: partCount)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var next = 1
            func addPart(_ number: Int) {
                let offset = Int64(number - 1) * partSize
                let length = min(partSize, size - offset)
                group.addTask {
                    let etag = try await self.uploadPart(
                        bucket: bucket, key: key, uploadId: uploadId,
                        partNumber: number,
                        body: .file(file, offset: offset, length: length))
                    return (number, etag)
                }
            }
            while next <= min(partCount, Self.uploadConcurrency) {
                addPart(next)
                next += 1
            }
            while let (number, etag) = try await group.next() {
                etags[number - 1] = etag
                if next <= partCount {
                    addPart(next)
                    next += 1
                }
            }
        }
        return etags
    }

    /// Starts a multipart upload; returns its upload id.
    public func createMultipartUpload(
        bucket: String, key: String, contentType: String = defaultContentType,
        metadata: [String: String] = [:]
    ) async throws -> String {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
        headers += metadata.sorted { $0.key < $1.key }.map { ("x-amz-meta-\($0.key)", $0.value) }
        let response = try await client.send(
            request(
                "CreateMultipartUpload", iamAction: "s3:PutObject", method: "POST", bucket: bucket, key: key,
                query: [("uploads", "")], headers: headers))
        guard let uploadId = try AWSXMLElement.parse(response.body).text(of: "UploadId") else {
            throw AWSClientError(
                .invalidResponse, service: "s3", operation: "CreateMultipartUpload",
                detail: "no UploadId")
        }
        return uploadId
    }

    /// Uploads one part (1...10000); returns its ETag.
    public func uploadPart(
        bucket: String, key: String, uploadId: String, partNumber: Int, body: AWSRequestBody
    )
        async throws -> String
    {
        let response = try await client.send(
            request(
                "UploadPart", iamAction: "s3:PutObject", method: "PUT", bucket: bucket, key: key,
                query: [("partNumber", String(partNumber)), ("uploadId", uploadId)],
                headers: [("Content-Type", Self.defaultContentType)], body: body, timeout: Self.transferTimeout))
        guard let etag = response.header("ETag") else {
            throw AWSClientError(
                .invalidResponse, service: "s3", operation: "UploadPart",
                detail: "part \(partNumber) has no ETag")
        }
        return etag
    }

    /// Completes an upload from the parts' ETags in part order.
    public func completeMultipartUpload(
        bucket: String, key: String, uploadId: String, etags: [String],
        condition: S3WriteCondition = .none
    ) async throws -> S3PutResult {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.xmlEscape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await client.send(
            request(
                "CompleteMultipartUpload", iamAction: "s3:PutObject", method: "POST", bucket: bucket, key: key,
                query: [("uploadId", uploadId)],
                headers: [("Content-Type", "application/xml")] + Self.conditionHeaders(condition),
                body: .data(Data(xml.utf8)), timeout: Self.transferTimeout))
        let root = try AWSXMLElement.parse(response.body)
        // S3 may answer 200 and put the error in the body.
        if root.name == "Error" {
            throw AWSError(
                code: root.text(of: "Code") ?? "InternalError", message: root.text(of: "Message") ?? "",
                requestId: root.text(of: "RequestId"), statusCode: response.statusCode, service: "s3",
                operation: "CompleteMultipartUpload", iamAction: "s3:PutObject")
        }
        return S3PutResult(
            etag: root.text(of: "ETag") ?? response.header("ETag") ?? "",
            versionId: S3Parsing.versionId(
                response.header("x-amz-version-id")
                    ?? root.text(of: "VersionId")))
    }

    /// Abandons an upload and frees its parts.
    public func abortMultipartUpload(bucket: String, key: String, uploadId: String) async throws {
        _ = try await client.send(
            request(
                "AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadId)]))
    }

    static func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
