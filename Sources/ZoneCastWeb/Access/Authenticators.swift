import Hummingbird
import HummingbirdAuth

/// Finds the signed-in viewer of a page from the session cookie (sessions live in `SessionStore`, which also holds
/// each session's CSRF token and the account stamp it began under; hummingbird-auth's own session storage has
/// neither, so its `AuthenticatorMiddleware` protocol is used over ours).
struct SessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext
    let env: WebEnvironment

    func authenticate(request: Request, context: AppRequestContext) async throws -> Viewer? {
        try await env.signedIn(request)
    }
}

/// Finds the caller of an API route: `Authorization: Bearer <token>` (integrations) or a browser session. A bearer
/// token that is not valid is refused outright rather than falling back to the cookie.
struct APICallerAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext
    let env: WebEnvironment

    func authenticate(request: Request, context: AppRequestContext) async throws -> Viewer? {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            guard let caller = try await env.tokenCaller(String(header.dropFirst(7))) else {
                throw WebError(.signInRequired, "the API token is not valid (unknown, expired or revoked)", api: true)
            }
            return caller
        }
        return try await env.signedIn(request)
    }
}
