import Hummingbird
import HTTPTypes
import NIOCore

extension Form {
    /// Reads a form body once and keeps it in the request, so a handler after the middleware that read it can
    /// read it again.
    static func read(_ request: inout Request, limit: FormLimit = .standard) async throws -> Form {
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit.bytes) } catch {
            throw WebError(.payloadTooLarge, limit.message)
        }
        // A form that takes a file may come as multipart/form-data (the file checked against `limit.fileBytes`).
        if limit.fileBytes > 0, let boundary = try MultipartForm.boundary(contentType: request.headers[.contentType] ?? "") {
            let parsed = try MultipartForm.parse(Array(buffer.readableBytesView), boundary: boundary, fileBytes: limit.fileBytes)
            var form = parsed.form
            form.file = parsed.file
            return form
        }
        return try Form(strict: Array(buffer.readableBytesView))
    }
}
