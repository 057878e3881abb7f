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
            // A program reads the permission's name; a person reads what it allows.
            throw WebError(.forbidden, api ? "the \(viewer.role.rawValue) role may not do this (\(required.map(\.rawValue).joined(separator: " or ")))"
                                           : "The \(viewer.role.rawValue) role may not \(required.map(Self.words).joined(separator: " or ")).", api: api)
        }
        return try await next(request, context)
    }

    /// What a permission allows, as the refusal page says it ("The auditor role may not see every zone.").
    static func words(_ permission: Permission) -> String {
        switch permission {
        case .viewZoneLocations: "see zone locations"
        case .viewAllZones: "see every zone"
        case .importData: "import data"
        case .runForecasts: "run forecasts"
        case .proposeZones: "propose zones"
        case .adjustProposal: "adjust a proposal"
        case .decideZones: "decide zones at an IRIS meeting"
        case .assignUnits: "deploy units"
        case .recordIntelligence: "record intelligence"
        case .triageTips: "triage community tips"
        case .logPatrols: "log patrols"
        case .viewAuditLog: "read the audit log"
        case .manageAccounts: "manage accounts"
        case .exportData: "export data"
        case .viewOversight: "see the oversight reports"
        }
    }
}
