import Hummingbird
import ZoneCastAccess

/// Lets a request through only with a viewer who may do what the route group is for: signed in, past a one-time
/// password, and holding `permission` in the matrix of ZoneCastAccess (`Role.may`). Registered on the group, so a
/// route is protected by where it is registered, not by its handler remembering to check.
struct PermissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// nil: any signed-in viewer.
    let permission: Permission?
    /// Further permissions that each let a viewer through as well ("runForecasts or viewAllZones").
    var orAnyOf: [Permission] = []
    /// API groups answer JSON; page groups redirect to sign-in or the password page.
    let api: Bool
    /// The password page itself is open to a viewer who must change the password.
    var allowsPendingPasswordChange = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let viewer = context.identity else {
            throw WebError(.signInRequired, api ? "sign in or send a bearer token" : "sign in first", api: api)
        }
        if viewer.account.mustChangePassword && !allowsPendingPasswordChange {
            throw api ? WebError(.forbidden, "change the one-time password first", api: true) : WebError.passwordChangeRequired
        }
        let required = [permission].compactMap { $0 } + orAnyOf
        if !required.isEmpty, !required.contains(where: viewer.may) {
            let names = required.map(\.rawValue).joined(separator: " or ")
            throw WebError(.forbidden, api ? "the \(viewer.role.rawValue) role may not do this (\(names))"
                                           : "The \(viewer.role.rawValue) role may not do this (\(names)).", api: api)
        }
        return try await next(request, context)
    }
}
