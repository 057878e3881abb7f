import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import ZoneCastCore

/// The edge of every authorised API operation, inside its group's authentication, permission and CSRF checks:
/// reads a request body once with its limit (413) and UTF-8 check (400), hands the caller to the generated
/// handler (`APICaller.current`), and turns whatever the handler or the generated code throws into one JSON error
/// `{"error": ...}` with the right status (`APIErrorText`).
struct APIEdgeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// "GET /api/incidents", as in the document.
    let operation: String

    /// The largest JSON body accepted (POST /api/patrols).
    static let maxBodyBytes = 64 * 1024

    /// Headers every API response carries.
    static func headers(contentType: String) -> HTTPFields {
        [.contentType: contentType, .cacheControl: "no-store", HTTPField.Name("X-Content-Type-Options")!: "nosniff"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var body: [UInt8]?
        if request.method == .post || request.method == .put || request.method == .patch {
            let buffer: ByteBuffer
            do { buffer = try await request.collectBody(upTo: Self.maxBodyBytes) } catch {
                throw WebError(.payloadTooLarge, "the request body is larger than \(Self.maxBodyBytes / 1024) KiB", api: true)
            }
            body = Array(buffer.readableBytesView)
            if InputText.utf8(body!) == nil { throw WebError(.badRequest, "body: not valid UTF-8", api: true) }
        }
        // The API answers JSON whatever a client says it accepts, as it always has (the generated code would 406).
        var head = request.head
        head.headerFields[.accept] = nil
        request = Request(head: head, body: request.body)
        do {
            var response = try await APICaller.$current.withValue(context.identity) { try await next(request, context) }
            Self.finish(&response)
            return response
        } catch {
            throw APIErrorText.failure(for: error, .init(operation: operation, request: request, body: body))
        }
    }

    /// The generated code writes header values URI-encoded (`attachment%3B%20filename...`); ZoneCast's headers are
    /// plain ASCII text, sent as they were written.
    static func finish(_ response: inout Response) {
        for name in [HTTPField.Name.location, .contentDisposition] {
            if let value = response.headers[name], let plain = value.removingPercentEncoding { response.headers[name] = plain }
        }
        // JSON is UTF-8 by definition: the types are sent bare, as they always were ("application/json").
        if let type = response.headers[.contentType], type.hasSuffix("; charset=utf-8"), type.hasPrefix("application/") {
            response.headers[.contentType] = String(type.dropLast("; charset=utf-8".count))
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
    }
}
