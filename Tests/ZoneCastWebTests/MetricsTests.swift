import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import ZoneCastAccess
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Log lines captured in memory (a swift-log handler for tests; the process-wide LoggingSystem is left alone).
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []

    var lines: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { lock.lock(); defer { lock.unlock() }; return entries }

    /// Every captured line as one text (message and metadata), to search for what must never be there.
    var text: String { lines.map { "\($0.message) \($0.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))" }.joined(separator: "\n") }

    func append(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) { lock.lock(); entries.append((level, message, metadata)); lock.unlock() }

    var logger: Logger {
        Logger(label: "zonecast.http.test") { _ in CapturingHandler(log: self) }
    }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            log.append(level, message.description, self.metadata.merging(metadata ?? [:]) { $1 })
        }
    }
}

@Suite("Metrics, request logs and health", .serialized)
struct MetricsTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }

    /// Samples of the exposition: (name, labels, value), and the HELP/TYPE lines by metric name.
    struct Parsed {
        var samples: [(name: String, labels: [String: String], value: Double)] = []
        var help: [String: String] = [:]
        var type: [String: String] = [:]
        var order: [String] = []   // metric names (HELP/TYPE) and sample names in order of appearance

        init(_ text: String) throws {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                if line.hasPrefix("# HELP ") {
                    let rest = line.dropFirst(7)
                    let name = String(rest.prefix { $0 != " " })
                    help[name] = String(rest.dropFirst(name.count + 1))
                    order.append("#" + name)
                } else if line.hasPrefix("# TYPE ") {
                    let parts = line.dropFirst(7).split(separator: " ")
                    type[String(parts[0])] = String(parts[1])
                } else {
                    let nameEnd = line.firstIndex { $0 == "{" || $0 == " " }!
                    let name = String(line[..<nameEnd])
                    var labels: [String: String] = [:]
                    var rest = line[nameEnd...]
                    if rest.first == "{" {
                        let close = rest.lastIndex(of: "}")!
                        let inner = String(rest[rest.index(after: rest.startIndex)..<close])
                        let pattern = try NSRegularExpression(pattern: #"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
                        for m in pattern.matches(in: inner, range: NSRange(inner.startIndex..., in: inner)) {
                            labels[String(inner[Range(m.range(at: 1), in: inner)!])] = String(inner[Range(m.range(at: 2), in: inner)!])
                        }
                        rest = rest[rest.index(after: close)...]
                    }
                    let valueText = rest.trimmingCharacters(in: .whitespaces)
                    let value = valueText == "+Inf" ? Double.infinity : try #require(Double(valueText), "sample value \(valueText) in \(line)")
                    samples.append((name, labels, value))
                    order.append(name)
                }
            }
        }

        func values(_ name: String, where match: [String: String] = [:]) -> [(labels: [String: String], value: Double)] {
            samples.filter { sample in sample.name == name && match.allSatisfy { k, v in sample.labels[k] == v } }.map { ($0.labels, $0.value) }
        }
    }

    @Test("given recorded requests, then the exposition has HELP and TYPE lines, cumulative buckets ending in +Inf equal to _count, and _sum")
    func expositionFormat() async throws {
        // Given
        let metrics = ServerMetrics(startedAt: Date(timeIntervalSince1970: 1_700_000_000))
        for seconds in [0.001, 0.004, 0.03, 0.03, 0.15, 0.7, 20.0] {
            metrics.record(method: "GET", route: "/zones/{cycle}/{zone}", status: 200, seconds: seconds)
        }
        metrics.record(method: "POST", route: "/api/patrols", status: 400, seconds: 0.002)
        metrics.record(method: "GET", route: "unmatched", status: 404, seconds: 0.0001)
        // When
        let text = await metrics.exposition(store: Self.store)
        let parsed = try Parsed(text)
        // Then: every sample's metric family is announced before its samples, with a type
        for name in Set(parsed.samples.map(\.name)) {
            let family = ["_bucket", "_sum", "_count"].reduce(name) { $1.isEmpty || !$0.hasSuffix($1) || parsed.type[$0] != nil ? $0 : String($0.dropLast($1.count)) }
            #expect(parsed.type[family] != nil, "no TYPE for \(name)")
            #expect(parsed.help[family]?.isEmpty == false, "no HELP for \(name)")
            let helpAt = parsed.order.firstIndex(of: "#" + family)!, sampleAt = parsed.order.firstIndex(of: name)!
            #expect(helpAt < sampleAt)
        }
        #expect(parsed.type["zonecast_http_requests_total"] == "counter")
        #expect(parsed.type["zonecast_http_request_duration_seconds"] == "histogram")
        #expect(text.hasSuffix("\n"))
        // counters by method, route pattern and status class
        let zone = ["route": "/zones/{cycle}/{zone}", "method": "GET", "status": "2xx"]
        #expect(parsed.values("zonecast_http_requests_total", where: zone).map(\.value) == [7])
        #expect(parsed.values("zonecast_http_requests_total", where: ["route": "/api/patrols", "status": "4xx"]).map(\.value) == [1])
        // buckets: cumulative, non-decreasing, the last is +Inf and equals _count; hand-counted for these latencies
        let buckets = parsed.values("zonecast_http_request_duration_seconds_bucket", where: zone)
        let byBound = Dictionary(uniqueKeysWithValues: buckets.map { ($0.labels["le"]!, $0.value) })
        #expect(buckets.last?.labels["le"] == "+Inf")
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
        #expect(byBound["0.005"] == 2 && byBound["0.01"] == 2 && byBound["0.05"] == 4 && byBound["0.2"] == 5 && byBound["1"] == 6 && byBound["10"] == 6 && byBound["+Inf"] == 7)
        #expect(parsed.values("zonecast_http_request_duration_seconds_count", where: zone).map(\.value) == [7])
        let sum = try #require(parsed.values("zonecast_http_request_duration_seconds_sum", where: zone).first?.value)
        #expect(abs(sum - 20.915) < 1e-9)
        #expect(buckets.count == ServerMetrics.latencyBuckets.count + 1)
        // gauges from the store and the process
        #expect(parsed.values("zonecast_store_up").map(\.value) == [1])
        #expect(parsed.values("zonecast_store_data_version").first.map { $0.value >= 1 } == true)
        #expect(parsed.type["zonecast_audit_entries"] == "gauge")
        #expect(parsed.values("process_start_time_seconds").map(\.value) == [1_700_000_000])
    }

    @Test("given label values with quotes, backslashes and line feeds, then they are escaped as the text format requires")
    func labelEscaping() async {
        var out = PrometheusText()
        out.metric("x_total", type: "counter", help: "a \\ b\nc")
        out.sample("x_total", labels: [("route", "a\"b\\c\nd")], value: 1.5)
        #expect(out.text == "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{route=\"a\\\"b\\\\c\\nd\"} 1.5\n")
        #expect(PrometheusText.number(3) == "3" && PrometheusText.number(.infinity) == "+Inf" && PrometheusText.number(.nan) == "NaN")
    }

    @Test("given requests to zone pages of different cycles and zones and to unknown paths, then series are labelled by route pattern, never by path or query")
    func countsByRoutePattern() async throws {
        // Given
        let observability = WebObservability()
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store), observability: observability))
        try await app.test(.router) { client in
            let admin = try #require(try await signIn(client, as: "admin").cookieValue("zc_session"))
            // When
            for path in ["/zones/C1/Z1", "/zones/C1/Z2?secret=hunter2", "/zones/C-hidden-cycle/Z9", "/no/such/place-42?q=1", "/api/zones"] {
                _ = try await client.execute(uri: path, method: .get, headers: [.cookie: "zc_session=\(admin)"])
            }
            // Then
            #expect(observability.metrics.requestCount(route: "/zones/{cycle}/{zone}") == 3)
            #expect(observability.metrics.requestCount(route: "unmatched", statusClass: "4xx") == 1)
            #expect(observability.metrics.requestCount(route: "/api/zones", statusClass: "2xx") == 1)
            #expect(observability.metrics.requestCount(route: "/login") == 2)   // GET the form, POST it
            // a page's sign-in error is sent as a 303 to /login, and counted as what was sent
            _ = try await client.execute(uri: "/audit", method: .get)
            #expect(observability.metrics.requestCount(route: "/audit", statusClass: "3xx") == 1)
            let page = try await client.execute(uri: "/metrics", method: .get, headers: [.cookie: "zc_session=\(admin)"])
            #expect(page.status == .ok)
            for leak in ["C1", "Z1", "Z2", "C-hidden-cycle", "hunter2", "secret", "place-42", "q=1"] {
                #expect(!page.text.contains(leak), "the exposition names \(leak)")
            }
            #expect(page.text.contains("route=\"/zones/{cycle}/{zone}\""))
        }
    }

    @Test("given each role and no session, then GET /metrics answers admins only: officer 403, anonymous to sign-in")
    func metricsAdminOnly() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let anonymous = try await client.execute(uri: "/metrics", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")
            for role in Role.allCases {
                let token = try #require(try await signIn(client, as: role.rawValue).cookieValue("zc_session"))
                let r = try await client.execute(uri: "/metrics", method: .get, headers: [.cookie: "zc_session=\(token)"])
                if role == .admin {
                    #expect(r.status == .ok)
                    #expect(r.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                    #expect(r.text.contains("# TYPE zonecast_http_requests_total counter"))
                } else {
                    #expect(r.status == .forbidden, "\(role.rawValue) read /metrics")
                    #expect(!r.text.contains("zonecast_http_requests_total"))
                }
            }
        }
    }

    @Test("given the separate metrics router, then it serves the exposition and health without sign-in, and nothing else")
    func separateMetricsRouter() async throws {
        let metrics = ServerMetrics()
        metrics.record(method: "GET", route: "/", status: 200, seconds: 0.01)
        let app = await Application(router: buildMetricsRouter(WebFixture.environment(Self.store), metrics: metrics))
        try await app.test(.router) { client in
            let r = try await client.execute(uri: "/metrics", method: .get)
            #expect(r.status == .ok)
            #expect(r.text.contains("zonecast_http_requests_total{method=\"GET\",route=\"/\",status=\"2xx\"} 1"))
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/login", method: .get).status == .notFound)
        }
    }

    @Test("given /health and /health?deep=1, then both answer ok without sign-in and say nothing more")
    func health() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let plain = try await client.execute(uri: "/health", method: .get)
            let deep = try await client.execute(uri: "/health?deep=1", method: .get)
            #expect(plain.status == .ok && plain.text == "ok")
            #expect(deep.status == .ok && deep.text == "ok")
        }
    }

    @Test("given sign-in, zone views with query strings and an API call with a token, then one log line per request with route pattern, status, duration, user and request id, and no secrets, paths, queries or cells")
    func requestLogLines() async throws {
        // Given
        let log = CapturedLog()
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store), observability: WebObservability(requestLogger: log.logger)))
        let forgedToken = "zc_T-forged_s3cr3t-token-value"
        let (sessionToken, csrfCookie, requestIDs) = try await app.test(.router) { client in
            var requestIDs: [String] = []
            let form = try await client.execute(uri: "/login", method: .get)
            let csrfCookie = try #require(form.cookieValue("zc_login_csrf"))
            let login = try await signIn(client, as: "officer")
            let sessionToken = try #require(login.cookieValue("zc_session"))
            // When
            for path in ["/zones/C1/Z1?cells=1234,5678", "/api/zones?token=abc123"] {
                let r = try await client.execute(uri: path, method: .get, headers: [.cookie: "zc_session=\(sessionToken)"])
                requestIDs.append(try #require(r.headers[HTTPField.Name("X-Request-Id")!]))
            }
            let api = try await client.execute(uri: "/api/zones", method: .get, headers: [.authorization: "Bearer \(forgedToken)"])
            #expect(api.status == .unauthorized)
            let injected = try await client.execute(uri: "/health", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "abc\ndef"])
            #expect(injected.headers[HTTPField.Name("X-Request-Id")!] != "abc\ndef")
            let kept = try await client.execute(uri: "/health", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "lb-7f3a"])
            #expect(kept.headers[HTTPField.Name("X-Request-Id")!] == "lb-7f3a")
            return (sessionToken, csrfCookie, requestIDs)
        }
        // Then: GET /login twice, POST /login, two zone requests, the API call, two health checks
        let lines = log.lines
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.message == "request" })
        for key in ["request_id", "method", "route", "status", "duration_ms", "user"] {
            #expect(lines.allSatisfy { $0.metadata[key] != nil }, "a line without \(key)")
        }
        let routes = lines.map { $0.metadata["route"]?.description ?? "" }
        #expect(routes == ["/login", "/login", "/login", "/zones/{cycle}/{zone}", "/api/zones", "/api/zones", "/health", "/health"])
        let users = lines.map { $0.metadata["user"]?.description ?? "" }
        #expect(users == ["anonymous", "anonymous", "anonymous", "officer", "officer", "token:T-forged", "anonymous", "anonymous"])
        #expect(lines[2].metadata["status"]?.description == "303")
        #expect(lines[5].metadata["status"]?.description == "401")
        let loggedIDs = Array(lines.map { $0.metadata["request_id"]?.description ?? "" }[3...4])
        #expect(loggedIDs == requestIDs)
        #expect(lines.allSatisfy { Double($0.metadata["duration_ms"]?.description ?? "") != nil })
        let text = log.text
        for secret in [WebFixture.password, "correct", sessionToken, csrfCookie, "s3cr3t", forgedToken, "C1", "Z1", "1234", "5678", "abc123", "cells=", "token=", "?"] {
            #expect(!text.contains(secret), "a log line contains \(secret)")
        }
        #expect(!text.contains("\n") || text.split(separator: "\n").count == lines.count)
    }
}
