public import Foundation
import HTTPTypes
public import Hummingbird
public import ZoneCastStore
import ZoneCastOperations
import ZoneCastAccess
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Prometheus metrics, written by hand in the text exposition format (version 0.0.4) rather than through
// swift-metrics + swift-prometheus: the few series below do not justify a new package dependency (and a rebuild for
// every developer), and the format is small and stable. `MetricsTests` checks it: a HELP and a TYPE line per metric,
// label values escaped, histogram buckets cumulative and ending with le="+Inf", equal to `_count`, plus `_sum`.
//
// Series are labelled by the route *pattern* ("/zones/{cycle}/{zone}"), the method and the status class ("2xx"),
// never the raw path, so cycle names, zone ids and query strings never become labels (they would leak locations into
// a monitoring system and grow the series without bound). Requests that match no route share the route "unmatched".

/// Request counters and latency histograms, shared by the middleware that records and the route that exposes them.
public final class ServerMetrics: @unchecked Sendable {
    /// Upper bounds of the latency histogram's buckets, in seconds (fixed; the goal is p99 under 200 ms).
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10]

    struct Key: Hashable, Comparable {
        var method: String
        var route: String
        var statusClass: String
        static func < (a: Key, b: Key) -> Bool { (a.route, a.method, a.statusClass) < (b.route, b.method, b.statusClass) }
    }

    struct Histogram {
        var counts = [UInt64](repeating: 0, count: ServerMetrics.latencyBuckets.count + 1)   // per bucket, last is above every bound
        var sum = 0.0
        var count: UInt64 = 0
    }

    private let lock = NSLock()
    private var requests: [Key: UInt64] = [:]
    private var latency: [Key: Histogram] = [:]
    private var inFlight = 0
    public let startedAt: Date

    public init(startedAt: Date = Date()) { self.startedAt = startedAt }

    func begin() { lock.lock(); inFlight += 1; lock.unlock() }

    /// Records one finished request.
    public func record(method: String, route: String, status: Int, seconds: Double, endInFlight: Bool = false) {
        let key = Key(method: method, route: route, statusClass: "\(min(max(status / 100, 1), 5))xx")
        let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 } ?? Self.latencyBuckets.count
        lock.lock()
        defer { lock.unlock() }
        if endInFlight { inFlight -= 1 }
        requests[key, default: 0] += 1
        var h = latency[key] ?? Histogram()
        h.counts[bucket] += 1
        h.sum += seconds
        h.count += 1
        latency[key] = h
    }

    /// Requests recorded so far for a route pattern (all methods and statuses), for tests and the bench.
    public func requestCount(route: String, statusClass: String? = nil) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return requests.filter { $0.key.route == route && (statusClass == nil || $0.key.statusClass == statusClass) }.values.reduce(0, +)
    }

    /// The whole exposition: request series, then the gauges read now from the store and the process.
    public func exposition(store: (any AppStore)?) async -> String {
        let (requests, latency, inFlight) = lock.withLock { (self.requests, self.latency, self.inFlight) }
        var out = PrometheusText()
        out.metric("zonecast_http_requests_total", type: "counter", help: "HTTP requests answered, by method, route pattern and status class.")
        for (key, n) in requests.sorted(by: { $0.key < $1.key }) {
            out.sample("zonecast_http_requests_total", labels: key.labels, value: Double(n))
        }
        out.metric("zonecast_http_request_duration_seconds", type: "histogram",
                   help: "Time from the request reaching the router to its response being ready (before the body is written), "
                       + "by method, route pattern and status class.")
        for (key, h) in latency.sorted(by: { $0.key < $1.key }) {
            var cumulative: UInt64 = 0
            for (i, bound) in Self.latencyBuckets.enumerated() {
                cumulative += h.counts[i]
                out.sample("zonecast_http_request_duration_seconds_bucket", labels: key.labels + [("le", PrometheusText.number(bound))],
                           value: Double(cumulative))
            }
            out.sample("zonecast_http_request_duration_seconds_bucket", labels: key.labels + [("le", "+Inf")], value: Double(h.count))
            out.sample("zonecast_http_request_duration_seconds_sum", labels: key.labels, value: h.sum)
            out.sample("zonecast_http_request_duration_seconds_count", labels: key.labels, value: Double(h.count))
        }
        out.metric("zonecast_http_requests_in_flight", type: "gauge", help: "Requests being handled now (this scrape included when served by the application).")
        out.sample("zonecast_http_requests_in_flight", labels: [], value: Double(inFlight))
        if let store {
            // Store gauges: each is one small query; a failing store shows as zonecast_store_up 0, not a failed scrape.
            var up = 1.0
            let version = (try? await store.dataVersion()).map(Double.init)
            let audit = try? await store.latestAuditEntries(limit: 1)
            if version == nil || audit == nil { up = 0 }
            out.metric("zonecast_store_up", type: "gauge", help: "1 when the store answered the scrape's queries, 0 when one failed.")
            out.sample("zonecast_store_up", labels: [], value: up)
            if let version {
                out.metric("zonecast_store_data_version", type: "gauge",
                           help: "The store's data version (the newest import batch id); changes with every import.")
                out.sample("zonecast_store_data_version", labels: [], value: version)
            }
            if let audit {
                out.metric("zonecast_audit_entries", type: "gauge", help: "Entries in the hash-chained audit log (the newest entry's sequence number).")
                out.sample("zonecast_audit_entries", labels: [], value: Double(audit.first?.sequence ?? 0))
            }
        }
        out.metric("process_start_time_seconds", type: "gauge", help: "Start time of the process since the Unix epoch in seconds.")
        out.sample("process_start_time_seconds", labels: [], value: startedAt.timeIntervalSince1970.rounded())
        out.metric("process_cpu_seconds_total", type: "counter", help: "Total user and system CPU time spent in seconds.")
        out.sample("process_cpu_seconds_total", labels: [], value: ProcessFigures.cpuSeconds())
        if let rss = ProcessFigures.residentBytes() {
            out.metric("process_resident_memory_bytes", type: "gauge", help: "Resident memory size in bytes.")
            out.sample("process_resident_memory_bytes", labels: [], value: rss)
        }
        return out.text
    }
}

extension ServerMetrics.Key {
    var labels: [(String, String)] { [("method", method), ("route", route), ("status", statusClass)] }
}

/// Builds Prometheus text exposition lines.
struct PrometheusText {
    private(set) var text = ""

    mutating func metric(_ name: String, type: String, help: String) {
        text += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))\n"
        text += "# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, labels: [(String, String)], value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.number(value) + "\n"
    }

    /// A label value with backslash, double quote and line feed escaped, as the format requires.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value: integers without a fraction, others in Go's shortest form; +Inf, -Inf and NaN spelled out.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// This process's resource use, from the kernel.
enum ProcessFigures {
    /// Resident set size (VmRSS) in bytes, from /proc/self/status; nil where there is no /proc.
    static func residentBytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib * 1024
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// Counts every request by route pattern and status class and times it (until the response is ready, before the
/// body is written). Errors that reach it are rendered here as the server would render them and counted with the
/// status sent; any other error counts as 500.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    public init(metrics: ServerMetrics) { self.metrics = metrics }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        metrics.begin()
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method.rawValue, route: routePattern(context), status: response.status.code,
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, endInFlight: true)
            return response
        } catch let error as any HTTPResponseError {
            // Rendered here, as the server would, so the status counted is the one sent (sign-in required is a 303
            // to the login page for pages, not the error's 401).
            let response: Response
            do { response = try error.response(from: request, context: context) } catch {
                metrics.record(method: request.method.rawValue, route: routePattern(context), status: 500,
                               seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, endInFlight: true)
                throw error
            }
            metrics.record(method: request.method.rawValue, route: routePattern(context), status: response.status.code,
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, endInFlight: true)
            return response
        } catch {
            metrics.record(method: request.method.rawValue, route: routePattern(context), status: 500,
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, endInFlight: true)
            throw error
        }
    }
}

/// The route pattern the router matched ("/zones/{cycle}/{zone}"), or "unmatched": never the raw path.
func routePattern(_ context: some RequestContext) -> String {
    guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
    return path
}

/// GET /metrics on the application's own port: admins only (manageAccounts), like account management, since
/// the figures describe who uses the system how much. `metricsRouter` serves the same text without sign-in on a
/// separate loopback-only listener for a scraper on the host (`zonecast serve --metrics-port`).
func addMetricsRoutes(to router: Router<AppRequestContext>, env: WebEnvironment, metrics: ServerMetrics) {
    router.pages(requiring: .manageAccounts, env: env).get("/metrics") { _, _ -> Response in
        await metricsResponse(metrics.exposition(store: env.store))
    }
}

func metricsResponse(_ text: String) -> Response {
    Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store",
                                    HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// The router of the separate metrics listener: GET /metrics and GET /health only, no sessions, no pages. Bind it to
/// the loopback interface only (the serve command does): anyone who can reach it reads the figures.
public func buildMetricsRouter(_ env: WebEnvironment, metrics: ServerMetrics) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.get("/metrics") { _, _ -> Response in await metricsResponse(metrics.exposition(store: env.store)) }
    router.get("/health") { _, _ in "ok" }
    return router
}
