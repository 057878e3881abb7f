import ZoneCastCore
import Foundation

/// Latency figures over a set of samples (nanoseconds), by the nearest-rank percentile.
struct LatencySummary: Sendable, Equatable {
    var count: Int
    var mean: Double
    var p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64

    init(samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count)
        p50 = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p99 = Self.percentile(sorted, 99)
        max = sorted.last ?? 0
    }

    /// The nearest-rank percentile of sorted values: the smallest value with at least p % of values at or below it.
    static func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}

/// One kind of request the generator sends; a response with another status is an error.
struct LoadTarget: Sendable {
    var name: String
    var expectedStatus: Int
    /// Turns per round in each connection's rotation, for a traffic mix (2: twice as often as a target of weight 1).
    var weight: Int
    /// The request for a connection's n-th use of this target (n from 0).
    private let make: @Sendable (_ connection: Int, _ n: Int) -> BenchRequest

    /// The same request every time.
    init(name: String, request: BenchRequest, expectedStatus: Int = 200, weight: Int = 1) {
        self.init(name: name, expectedStatus: expectedStatus, weight: weight) { _, _ in request }
    }

    /// Requests that differ each time (a new patrol visit, another zone).
    init(name: String, expectedStatus: Int = 200, weight: Int = 1, makeRequest: @escaping @Sendable (_ connection: Int, _ n: Int) -> BenchRequest) {
        self.name = name
        self.expectedStatus = expectedStatus
        self.weight = weight
        make = makeRequest
    }

    /// What connection `connection` sends on its n-th use of this target.
    func request(connection: Int, use n: Int) -> BenchRequest { make(connection, n) }
}

/// What one route saw during the measured window.
struct RouteLoadResult: Sendable {
    var name: String
    var latencies: [UInt64] = []          // successful requests, nanoseconds
    var startTimes: [UInt64] = []         // when each of `latencies` started (monotonicNanos), same order
    var errors: [String: Int] = [:]       // by kind ("status 500", "timeout", ...)
    var errorTimes: [UInt64] = []         // when each failed request started

    /// The successful requests that started in [from, to) (monotonicNanos).
    func latencies(startedFrom from: UInt64, to: UInt64) -> [UInt64] {
        zip(startTimes, latencies).compactMap { (from..<to).contains($0.0) ? $0.1 : nil }
    }

    func errorCount(startedFrom from: UInt64, to: UInt64) -> Int { errorTimes.filter { (from..<to).contains($0) }.count }
    var errorCount: Int { errors.values.reduce(0, +) }
    var summary: LatencySummary { LatencySummary(samples: latencies) }

    mutating func merge(_ other: RouteLoadResult) {
        latencies.append(contentsOf: other.latencies)
        startTimes.append(contentsOf: other.startTimes)
        errors.merge(other.errors, uniquingKeysWith: +)
        errorTimes.append(contentsOf: other.errorTimes)
    }
}

struct LoadResult: Sendable {
    var routes: [RouteLoadResult]
    var measuredSeconds: Double
    /// Connections the pool opened beyond the one per concurrent request it started with (after a timeout or a
    /// connection the server closed).
    var reconnects: Int
    var firstErrors: [String]             // a few error messages, for diagnosis
    var measureFrom: UInt64 = 0           // start of the measured window (monotonicNanos)

    var requestCount: Int { routes.reduce(0) { $0 + $1.latencies.count + $1.errorCount } }
    var errorCount: Int { routes.reduce(0) { $0 + $1.errorCount } }
    var overall: LatencySummary { LatencySummary(samples: routes.flatMap(\.latencies)) }

    /// "measured 30.01 s; throughput 1,234 req/s; 0 errors", the errors by kind per route and a few messages.
    func summaryLines() -> [String] {
        var lines = [String(format: "  measured %.2f s; throughput %@ req/s; %@ errors%@", measuredSeconds,
                            FixedText.grouped(Int((Double(requestCount) / measuredSeconds).rounded())), FixedText.grouped(errorCount),
                            reconnects > 0 ? ", \(reconnects) reconnects" : "")]
        for r in routes where r.errorCount > 0 {
            lines.append("  \(r.name) errors: " + r.errors.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
        }
        lines += firstErrors.map { "    e.g. \($0)" }
        return lines
    }
}
