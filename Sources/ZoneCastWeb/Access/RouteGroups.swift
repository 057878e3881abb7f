import Hummingbird
import ZoneCastAccess

/// Route groups by what they require. Every page and API route is registered in one of these, so its access
/// rules (authentication, the permission from the matrix, CSRF on state-changing requests) come from where it is
/// registered. Public routes (sign-in, the tips form, health) are registered on the router itself.
extension Router where Context == AppRequestContext {
    /// Pages for viewers holding `permission` or one of `orAnyOf` (neither: anyone signed in). Forms posted to
    /// them are read (up to `formLimit`) and their CSRF token checked before the handler runs.
    func pages(requiring permission: Permission?, orAnyOf others: [Permission] = [], env: WebEnvironment,
               allowsPendingPasswordChange: Bool = false, formLimit: FormLimit = .standard) -> RouterGroup<AppRequestContext> {
        group()
            .add(middleware: DomainErrorMiddleware(api: false))
            .add(middleware: SessionAuthenticator(env: env))
            .add(middleware: PermissionMiddleware(permission: permission, orAnyOf: others, api: false,
                                                  allowsPendingPasswordChange: allowsPendingPasswordChange))
            .add(middleware: CSRFMiddleware(api: false, formLimit: formLimit))
            .add(middleware: StreetLayerMiddleware(env: env))  // the street layer for the page's maps
    }

    /// Routes open to anyone that act on a session when there is one (sign-out): the viewer, if any, is found and a
    /// signed-in viewer's form must carry the session's CSRF token.
    func sessionOptional(env: WebEnvironment) -> RouterGroup<AppRequestContext> {
        group()
            .add(middleware: DomainErrorMiddleware(api: false))
            .add(middleware: SessionAuthenticator(env: env))
            .add(middleware: CSRFMiddleware(api: false))
    }

    /// API routes for callers holding `permission` or one of `orAnyOf` (neither: any signed-in caller or valid token).
    func api(requiring permission: Permission?, orAnyOf others: [Permission] = [], env: WebEnvironment) -> RouterGroup<AppRequestContext> {
        group()
            .add(middleware: DomainErrorMiddleware(api: true))
            .add(middleware: APICallerAuthenticator(env: env))
            .add(middleware: PermissionMiddleware(permission: permission, orAnyOf: others, api: true))
            .add(middleware: CSRFMiddleware(api: true))
    }
}
