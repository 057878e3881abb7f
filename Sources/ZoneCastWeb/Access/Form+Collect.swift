import Hummingbird
import NIOCore

extension Form {
    /// Reads a form body once and keeps it in the request, so a handler after the middleware that read it can
    /// read it again.
    static func read(_ request: inout Request, limit: FormLimit = .standard) async throws -> Form {
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit.bytes) } catch {
            throw WebError(.payloadTooLarge, limit.message)
        }
        return try Form(strict: Array(buffer.readableBytesView))
    }
}
