import HTTPTypes
import Hummingbird

/// Every state-changing request of a signed-in browser session must carry the session's CSRF token: page forms in
/// their `csrf` field (the form is read here once and handed to the handler in the context), API requests in the
/// `X-CSRF-Token` header. Bearer-token callers have no cookie for a forged request to ride on and are exempt.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let api: Bool
    var formLimit: FormLimit = .standard

    static let header = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), let session = context.identity?.session else {
            return try await next(request, context)
        }
        if api {
            guard let sent = request.headers[Self.header], constantTimeEquals(sent, session.csrfToken) else {
                throw WebError(.csrf, "send the session's CSRF token in the X-CSRF-Token header (or use a bearer token)", api: true)
            }
            return try await next(request, context)
        }
        var request = request
        let form = try await Form.read(&request, limit: formLimit)
        guard let sent = form["csrf"], constantTimeEquals(sent, session.csrfToken) else {
            throw WebError(.csrf, "This form has expired or did not come from ZoneCast. Reload the page and try again.")
        }
        var context = context
        context.checkedForm = form
        return try await next(request, context)
    }
}

/// How large a form a page group reads, and what a larger one is told.
struct FormLimit: Sendable {
    var bytes: Int
    var message: String
    /// The largest file a multipart/form-data form may carry; 0: the group takes url-encoded forms only.
    var fileBytes: Int = 0

    static let standard = FormLimit(bytes: Form.maxBytes, message: "the form is larger than \(Form.maxBytes / 1024) KiB")
}
