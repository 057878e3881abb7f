import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ZoneCastOversight
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastPlanning
import ZoneCastServices
import ZoneCastWeb
import ZoneCastOperations
import ZoneCastMail

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web application (127.0.0.1:8080 by default). TLS belongs to a reverse proxy in front; use --secure-cookies behind it.",
        discussion: "Example: zonecast serve --db kc.sqlite --port 8080")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (keep the loopback default unless a reverse proxy needs another).") var host = "127.0.0.1"
    @Option(help: "Port.") var port = 8080
    @Flag(help: "Mark cookies Secure (when served over HTTPS by a reverse proxy).") var secureCookies = false
    @Flag(help: "Do not run the scheduler that prepares the next cycle's proposal and notifies analysts.") var noScheduler = false
    @Option(help: """
        Time between scheduler checks: minutes (10), or a number with a unit (30s, 5m, 2h); from 5 seconds to 24 hours.
        """) var scheduleEvery = SchedulePeriod(seconds: 600)
    @Option(help: "Hours before the cycle in force ends when the scheduler proposes the next one (1-96).") var leadTime = 24.0
    @Option(help: """
        Also serve GET /metrics (Prometheus text, no sign-in) on this port of 127.0.0.1 only, for a scraper on the same host \
        (default: none; admins can read /metrics on the main port).
        """) var metricsPort: Int?
    @Option(help: "Log format on standard error: text, or json (one object per line, for log shippers).") var logFormat: LogFormat = .text
    @Option(help: "Lowest level logged: trace, debug, info (one line per request), notice, warning, error, critical.") var logLevel: Logger.Level = .info
    @Option(help: """
        Seconds a connection may stay open without a complete request head before it is closed: idle keep-alive connections, \
        and clients that send headers slowly (1-3600).
        """) var idleTimeout = ConnectionLimits.defaultIdleSeconds
    @Option(help: "Seconds a request's body may take to arrive after its head (1-3600).") var requestTimeout = ConnectionLimits.defaultRequestSeconds
    @Option(help: "Seconds a response may wait on a client that has stopped reading it before the connection closes (1-3600).")
    var writeTimeout = ConnectionLimits.defaultWriteSeconds
    @Option(help: "Open connections at most; past it new ones wait until one closes (16-100000).") var maxConnections = ConnectionLimits.defaultMaxConnections
    @Option(help: """
        Requests handled at once; the others wait in arrival order, so a heavy page waits its turn and then runs at \
        full speed instead of sharing the cores with every open request (1-1024).
        """) var maxConcurrentRequests = 8
    @Option(help: """
        A reverse proxy's IP address whose X-Forwarded-For is believed for the public tip limit (repeatable; default: none, \
        the peer address is the client).
        """) var trustedProxy: [String] = []
    @Option(help: """
        Base-map tiles from the department's own tile server, e.g. "http://tiles.local/{z}/{x}/{y}.png" \
        (default: none; the app's SVG maps need no network).
        """) var tileUrl: String?

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        if let metricsPort {
            guard (1...65_535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 1-65535") }
            guard metricsPort != port else { throw ValidationError("--metrics-port must differ from --port") }
        }
        guard (1...3_600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1-3600 seconds (got \(idleTimeout))") }
        guard (1...3_600).contains(requestTimeout) else { throw ValidationError("--request-timeout must be 1-3600 seconds (got \(requestTimeout))") }
        guard (1...3_600).contains(writeTimeout) else { throw ValidationError("--write-timeout must be 1-3600 seconds (got \(writeTimeout))") }
        guard (16...100_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 16-100000 (got \(maxConnections))") }
        guard (1...1_024).contains(maxConcurrentRequests) else {
            throw ValidationError("--max-concurrent-requests must be 1-1024 (got \(maxConcurrentRequests))")
        }
        do { _ = try TrustedProxies(trustedProxy) } catch { throw ValidationError("--trusted-proxy \(error)") }
        guard (1...96).contains(leadTime) else { throw ValidationError("--lead-time must be 1-96 hours (got \(leadTime))") }
        if let tileUrl {
            guard ["{z}", "{x}", "{y}"].allSatisfy(tileUrl.contains),
                  let url = URL(string: tileUrl.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")),
                  ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--tile-url \"\(tileUrl)\" must be an http(s) URL with {z}, {x} and {y}")
            }
        }
    }

    /// SQLite's page cache per connection for the server: its reads come from the mapped file (`ZONECAST_CACHE_MIB`
    /// overrides).
    static let pageCacheMiB = 16

    func run() async throws {
        MemoryArenas.limit(to: 2)
        ServerLogging.bootstrap(format: logFormat, level: logLevel)
        let edge = database.edge
        // The store's checkpoint failures (warning) in the server's log; its timings too with ZONECAST_TRACE.
        var storeLogger = Logger(label: "zonecast.store")
        if edge.trace { storeLogger.logLevel = min(storeLogger.logLevel, .debug) }
        let store: any AppStore
        do {
            let opened = try await database.openStore(pageCacheMiB: Self.pageCacheMiB, logger: storeLogger)
            if let sqlite = opened as? SQLiteIncidentStore { try sqlite.checkpointInBackground() }
            // Each request's repeated small reads (jurisdiction, cycle in force, the viewer's account, ...) are
            // answered from the last 250 ms; see RecentReadsStore for what another process's changes then wait.
            store = RecentReadsStore(opened)
        } catch {
            FileHandle.standardError.write(Data("zonecast: error: \(error)\n".utf8))
            throw CLIFailure.exitCode(for: error)
        }
        print("ZoneCast serving \(database.label) on http://\(host):\(port) (sign in with an account from zonecast users add)")
        let limits = ConnectionLimits(idleTimeout: .seconds(idleTimeout), requestTimeout: .seconds(requestTimeout),
                                      writeTimeout: .seconds(writeTimeout), maxConnections: maxConnections)
        let (enforcement, dosage, thresholdWarnings) = Self.thresholds(edge)
        var configuration = WebConfiguration(host: host, port: port, secureCookies: secureCookies, tileURLTemplate: tileUrl,
                                             limits: limits,
                                             trustedProxies: try TrustedProxies(trustedProxy), enforcementThresholds: enforcement, dosageThresholds: dosage)
        // Patrol logs and page views ask for the alert evaluation; a busy shift gets one every 5 s, not one per log.
        configuration.alertEvaluation = .background(spacing: .seconds(5))
        configuration.maxConcurrentRequests = maxConcurrentRequests
        for warning in thresholdWarnings + configuration.startWarnings { FileHandle.standardError.write(Data("zonecast: \(warning)\n".utf8)) }
        print("Connections: at most \(maxConnections), \(maxConcurrentRequests) requests handled at once, "
              + "idle timeout \(idleTimeout) s, request timeout \(requestTimeout) s, write timeout \(writeTimeout) s"
              + (trustedProxy.isEmpty ? "" : "; X-Forwarded-For believed from \(trustedProxy.joined(separator: ", "))"))
        do {
            // A relay that is set but wrong stops the start: alerts silently not mailed would be worse.
            configuration.alertMail = try edge.alertMail(defaultBaseURL: "http://\(host):\(port)")
            configuration.alertRecipients = try edge.alertRecipients()
        } catch {
            throw ValidationError("\(error)")
        }
        print(configuration.alertMail.map { "Alert e-mail: from \($0.from.address) via ZONECAST_SMTP_URL, links to \($0.baseURL)" }
              ?? "Alert e-mail: off (ZONECAST_SMTP_URL not set); alerts are notices only")
        let env = WebEnvironment(store: store, configuration: configuration, clock: EdgeConfiguration.wallClock)
        let observability = WebObservability(requestLogger: Logger(label: "zonecast.http"))
        var app = Application(router: buildRouter(env, observability: observability), server: limits.server,
                              configuration: limits.applicationConfiguration(host: host, port: port, serverName: "ZoneCast"),
                              logger: Logger(label: "zonecast.server"))
        if let metricsPort {
            // Loopback only, whatever --host says: this listener has no sign-in.
            let metricsApp = Application(router: buildMetricsRouter(env, metrics: observability.metrics),
                                         configuration: .init(address: .hostname("127.0.0.1", port: metricsPort), serverName: "ZoneCast metrics"),
                                         logger: Logger(label: "zonecast.metrics"))
            app.addServices(metricsApp)
            print("Metrics: GET http://127.0.0.1:\(metricsPort)/metrics (Prometheus text, loopback only, no sign-in)")
        }
        if !noScheduler {
            // Proposals made by the scheduler log their phase timings like `zonecast propose` (ZONECAST_TRACE).
            var planningLogger = Logger(label: "zonecast.planning")
            if edge.trace { planningLogger.logLevel = min(planningLogger.logLevel, .debug) }
            let schedulerLogger = Logger(label: "zonecast.scheduler")
            let scheduler = ProposalScheduler(store: store, leadTime: leadTime * 3_600, defaultService: ProposalService(logger: planningLogger),
                                              alerts: env.alertService)
            app.addServices(SchedulerService(scheduler: scheduler, interval: .seconds(scheduleEvery.seconds), clock: EdgeConfiguration.wallClock,
                                             log: { schedulerLogger.notice("\($0)") }))
            print("Scheduler: every \(scheduleEvery), proposes the next cycle \(leadTime.formatted()) h before the current one ends "
                  + "(--no-scheduler to turn off)")
        }
        await recordCheckpoint(store, when: "start")
        try await app.runService()
        await recordCheckpoint(store, when: "stop")
    }

    /// The oversight thresholds from the environment, read once at start. A variable that does not parse leaves
    /// the defaults in force (the pages state the thresholds they use) and is named in a start warning.
    static func thresholds(_ edge: EdgeConfiguration) -> (EnforcementThresholds, DosageThresholds, [String]) {
        var warnings: [String] = []
        var enforcement = EnforcementThresholds.standard, dosage = DosageThresholds.standard
        do { enforcement = try edge.enforcementThresholds() } catch { warnings.append("\(error); the default enforcement thresholds apply") }
        do { dosage = try edge.dosageThresholds() } catch { warnings.append("\(error); the default dosage thresholds apply") }
        return (enforcement, dosage, warnings)
    }

    /// A signed audit checkpoint when the server starts and when it stops (see `zonecast audit checkpoint`); a
    /// failure is reported, never fatal (the server's work does not depend on it).
    func recordCheckpoint(_ store: any AppStore, when: String) async {
        do {
            let (result, checkpoint) = try await AuditCheckpoints.record(store: store, database: database, at: Date())
            if let checkpoint {
                print("Audit checkpoint at \(when): \(checkpoint.text) (appended to \(database.checkpointPath))")
            } else if let problem = result.problem {
                FileHandle.standardError.write(Data(("zonecast: warning: audit chain broken at entry \(problem.sequence) (\(problem.reason)); "
                                                     + "no checkpoint signed at \(when)\n").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("zonecast: warning: no audit checkpoint at \(when): \(error)\n".utf8))
        }
    }
}
