import Foundation
import Hummingbird
import ZoneCastStore

/// The router: every page and API route, each concern in its own `Routes+*.swift`. Kept separate from the
/// application so tests drive it directly.
public func buildRouter(_ env: WebEnvironment) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.get("/health") { _, _ in "ok" }
    addSessionRoutes(to: router, env: env)
    addDashboardRoutes(to: router, env: env)
    addZoneRoutes(to: router, env: env)
    addProposalsRoutes(to: router, env: env)
    addMeetingsRoutes(to: router, env: env)
    addDeploymentRoutes(to: router, env: env)
    addIntelligenceRoutes(to: router, env: env)
    addOfficerRoutes(to: router, env: env)
    addAuditRoutes(to: router, env: env)
    addTokensRoutes(to: router, env: env)
    addOutcomesRoutes(to: router, env: env)
    addOversightRoutes(to: router, env: env)
    addAPIRoutes(to: router, env: env)
    return router
}

/// The application, ready to run (`zonecast serve`).
public func buildApplication(_ env: WebEnvironment) -> some ApplicationProtocol {
    Application(router: buildRouter(env), configuration: .init(address: .hostname(env.configuration.host, port: env.configuration.port), serverName: "ZoneCast"))
}
