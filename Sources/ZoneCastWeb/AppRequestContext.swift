public import Hummingbird
public import HummingbirdAuth
public import NIOCore

/// The request context of every route: Hummingbird's basics, the peer address (the public tips form rate-limits
/// by it; a forwarded header would be the client's to forge when no reverse proxy sets it), the signed-in viewer
/// that the route group's authenticator found, and the form that the CSRF middleware has already read and checked.
public struct AppRequestContext: AuthRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `SessionAuthenticator` or `APICallerAuthenticator`; the group's `PermissionMiddleware` has checked it.
    public var identity: Viewer?
    /// A state-changing form, read once by `CSRFMiddleware` after its token matched.
    var checkedForm: Form?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.identity = nil
        self.checkedForm = nil
    }

    /// The viewer of a route registered in a group that requires one. Throws only if a route that needs a viewer
    /// was registered outside such a group (a programming error the permission-matrix test catches).
    var viewer: Viewer {
        get throws(WebError) {
            guard let identity else { throw WebError(.signInRequired, "sign in first") }
            return identity
        }
    }

    /// The checked form of a state-changing page route (see `CSRFMiddleware`).
    var form: Form {
        get throws(WebError) {
            guard let checkedForm else { throw WebError(.badRequest, "this route expects a form") }
            return checkedForm
        }
    }
}
