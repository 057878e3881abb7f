import Foundation
public import Hummingbird
public import Logging
import ZoneCastStore

/// What the server observes about itself: the request metrics behind GET /metrics and the request log.
public struct WebObservability: Sendable {
    public var metrics: ServerMetrics
    /// One line per request (see `RequestLoggingMiddleware`); nil logs nothing.
    public var requestLogger: Logger?

    public init(metrics: ServerMetrics = ServerMetrics(), requestLogger: Logger? = nil) {
        self.metrics = metrics
        self.requestLogger = requestLogger
    }
}

/// The router: every page and API route, each concern in its own `Routes+*.swift`. Kept separate from the
/// application so tests drive it directly.
public func buildRouter(_ env: WebEnvironment, observability: WebObservability = WebObservability()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    // Outermost first: the log line's duration includes the metrics' bookkeeping.
    if let logger = observability.requestLogger {
        router.add(middleware: RequestLoggingMiddleware(logger: logger, sessions: env.sessions, clock: env.clock))
    }
    router.add(middleware: RequestMetricsMiddleware(metrics: observability.metrics))
    router.add(middleware: RequestAdmissionMiddleware(admission: AsyncGate(limit: env.configuration.maxConcurrentRequests),
                                                      largeBodyPaths: [equityAreasUploadPath]))
    router.add(middleware: InputEdgeMiddleware())  // control characters, broken encoding in paths and query strings: 400
    router.add(middleware: MapRequestMiddleware(configuration: env.configuration))  // map zoom views, the map script, tiles in img-src
    router.add(middleware: DataTimeMiddleware(env: env))  // the database's time (live or an exercise) for the page banner and handlers
    // Public, and says only ok or fail: ?deep=1 also asks the store a trivial question (a load balancer's check).
    router.get("/health") { request, _ -> Response in
        if request.uri.queryParameters["deep"] == "1" {
            let ok = (try? await env.store.dataVersion()) != nil
            return Response(status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: ok ? "ok" : "fail")))
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }
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
    addAccountsRoutes(to: router, env: env)
    addOutcomesRoutes(to: router, env: env)
    addOversightRoutes(to: router, env: env)
    addPatrolOversightRoutes(to: router, env: env)
    addAlertRoutes(to: router, env: env)
    addMetricsRoutes(to: router, env: env, metrics: observability.metrics)
    addAPIRoutes(to: router, env: env)
    return router
}

/// The application, ready to run (`zonecast serve`).
public func buildApplication(_ env: WebEnvironment, observability: WebObservability = WebObservability()) -> some ApplicationProtocol {
    Application(router: buildRouter(env, observability: observability), server: env.configuration.limits.server,
                configuration: env.configuration.limits.applicationConfiguration(host: env.configuration.host, port: env.configuration.port,
                                                                                 serverName: "ZoneCast"))
}
