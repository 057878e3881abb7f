import Hummingbird
import NIOCore

extension Form {
    /// Reads a form body once and keeps it in the request, so a handler after the middleware that read it can
    /// read it again.
    static func read(_ request: inout Request) async throws -> Form {
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxBytes) } catch {
            throw WebError(.payloadTooLarge, "the form is larger than \(maxBytes / 1024) KiB")
        }
        return try Form(strict: Array(buffer.readableBytesView))
    }
}
