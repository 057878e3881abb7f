public import Foundation
public import ZoneCastOversight
public import ZoneCastServices
public import ZoneCastStore
import ZoneCastHTML
import ZoneCastStreets

/// How the server runs. TLS is a reverse proxy's job; `secureCookies` marks cookies Secure behind it.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var secureCookies: Bool
    /// An optional tile server (e.g. "http://tiles.local/{z}/{x}/{y}.png") for a base map under the app's SVG.
    public var tileURLTemplate: String?
    /// Timeouts and the connection cap against slow and idle clients.
    public var limits: ConnectionLimits
    /// Reverse proxies whose X-Forwarded-For is believed (see `ClientAddress`); empty: the peer address is the client.
    public var trustedProxies: TrustedProxies
    /// The non-enforcement monitor's thresholds in force (`serve` reads `ZONECAST_ENFORCEMENT_*` into them at start).
    public var enforcementThresholds: EnforcementThresholds
    /// Low-patrol thresholds in force (`serve` reads `ZONECAST_DOSAGE_*` into them at start).
    public var dosageThresholds: DosageThresholds
    /// Alert e-mail (`serve` builds it when `ZONECAST_SMTP_URL` is set); nil: alerts are notices only.
    public var alertMail: AlertMail?
    /// Alert e-mail recipients until an admin saves others at /settings/alerts (`ZONECAST_ALERT_RECIPIENTS`).
    public var alertRecipients: [String] = []
    /// Where the alert evaluation that patrol logs and page views ask for runs: inside the request (tests, whose
    /// audit-log checks then see a settled log), or in the background at least `spacing` apart (`serve`, 5 s; see
    /// `AlertTrigger`).
    public var alertEvaluation: AlertEvaluation = .inRequest
    /// Requests whose handlers run at once; the rest wait in arrival order (see `RequestAdmissionMiddleware`).
    public var maxConcurrentRequests = 8

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, tileURLTemplate: String? = nil,
                limits: ConnectionLimits = ConnectionLimits(), trustedProxies: TrustedProxies = TrustedProxies(),
                enforcementThresholds: EnforcementThresholds = .standard, dosageThresholds: DosageThresholds = .standard) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.tileURLTemplate = tileURLTemplate
        self.limits = limits
        self.trustedProxies = trustedProxies
        self.enforcementThresholds = enforcementThresholds
        self.dosageThresholds = dosageThresholds
    }
}

/// Where an asked-for alert evaluation runs (`WebConfiguration.alertEvaluation`).
public enum AlertEvaluation: Sendable, Equatable {
    case inRequest
    case background(spacing: Duration)

    var spacing: Duration {
        if case .background(let spacing) = self { return spacing }
        return .zero
    }
}

/// Everything the routes need, shared by all requests. Time comes from `clock` so tests fix it.
public struct WebEnvironment: Sendable {
    public let store: any AppStore
    public let sessions: SessionStore
    public let throttle: LoginThrottle
    public let passwordCheck: PasswordCheck
    /// Community tips: per client and overall, so a flood cannot bury the analysts' queue.
    public let tipLimiter: RateLimiter
    public let surfaces: SurfaceCache
    public let dashboard: DashboardCache
    let decodedCycles = DecodedCycles()
    let placeQueries = IncidentQueryCache()
    let patrolVisitsCache = PatrolVisitsCache()
    let zonePageParts = RenderedParts<ZoneView.DataSections>()
    /// The dashboard's city map per content and view (see `DashboardData.map`).
    let dashboardMaps = RenderedParts<HTML>()
    /// Zone location descriptions per street-layer version and zone set (see `zoneLocations`).
    let zoneLocationCache = RenderedParts<[String: ZoneLocation]>(capacity: 64)
    let equityAreas = EquityAreaCache()
    let auditChain = AuditChainMonitor()
    let alertTrigger: AlertTrigger
    /// The built street layer, kept until the next street import (`streetLayer()`).
    public let streetLayers = StreetLayerCache()
    /// How each proposal's model did at its zones' area before its cycle, worked out once per cycle.
    let recentRecords = RecentRecordCache()
    /// One meeting change at a time (decisions, minutes, closing): each reads the meeting, changes it and saves it
    /// whole, so two at once lost one of them, and three simultaneous closes of one meeting approved its cycle twice.
    /// They are rare and quick, so one gate for all meetings costs nothing.
    let meetingChanges = AsyncGate(limit: 1)
    public let configuration: WebConfiguration
    public let clock: @Sendable () -> Date

    public init(store: any AppStore, sessions: SessionStore = SessionStore(), throttle: LoginThrottle = LoginThrottle(),
                tipLimiter: RateLimiter = RateLimiter(perClient: 5, overall: 200, window: 3_600),
                configuration: WebConfiguration = WebConfiguration(), passwordCheck: PasswordCheck = .bcrypt,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.sessions = sessions
        self.throttle = throttle
        self.passwordCheck = passwordCheck
        self.tipLimiter = tipLimiter
        self.surfaces = SurfaceCache()
        self.dashboard = DashboardCache()
        self.configuration = configuration
        self.clock = clock
        self.alertTrigger = AlertTrigger(spacing: configuration.alertEvaluation.spacing)
    }

    /// A new record id: a readable prefix, the time and random bits (unique without a counter in the database).
    public func newID(_ prefix: String) -> String {
        let t = Int64(clock().timeIntervalSince1970)
        return "\(prefix)-\(String(t, radix: 36))-\(randomToken().prefix(6))"
    }
}
