// A closed-loop HTTP/1.1 load generator for `zonecast bench http` and `zonecast bench load`, on async-http-client:
// as many concurrent requests as keep-alive connections in the client's pool, each waiting for its response before
// the next, every request's latency recorded.

/// Each of `connections` concurrent loops sends the targets in turn (loop i starts at turn i of the rotation),
/// waiting for each response before the next request; the pool holds one keep-alive connection per loop.
/// Requests that start during the warm-up are not recorded; the measured window ends `seconds` after the warm-up,
/// and requests in flight then are completed and recorded.
enum LoadGenerator {
    static func run(port: Int, connections: Int, warmupSeconds: Double, seconds: Double, targets: [LoadTarget],
                    timeoutSeconds: Double = 10) async throws -> LoadResult {
        precondition(!targets.isEmpty && connections > 0)
        return try await BenchHTTPClient.with(port: port, connections: connections, retryConnecting: true) { client in
            let start = monotonicNanos()
            let window = Window(from: start + UInt64(warmupSeconds * 1e9), until: start + UInt64((warmupSeconds + seconds) * 1e9))
            var routes = targets.map { RouteLoadResult(name: $0.name) }
            var firstErrors: [String] = []
            await withTaskGroup(of: LoopResult.self) { group in
                for i in 0..<connections {
                    group.addTask { await loop(index: i, client: client, targets: targets, window: window, timeoutSeconds: timeoutSeconds) }
                }
                for await r in group {
                    for i in routes.indices { routes[i].merge(r.routes[i]) }
                    for m in r.messages where firstErrors.count < 5 { firstErrors.append(m) }
                }
            }
            let finished = monotonicNanos()
            return LoadResult(routes: routes, measuredSeconds: Double(finished - max(window.from, start)) / 1e9,
                              reconnects: max(0, client.connectionsOpened - connections), firstErrors: firstErrors, measureFrom: window.from)
        }
    }

    /// The rotation: each target's index as many turns as its weight, in order.
    static func rotation(_ targets: [LoadTarget]) -> [Int] {
        targets.indices.flatMap { Array(repeating: $0, count: max(1, targets[$0].weight)) }
    }

    /// The targets loop `index` sends, in order, for its first `count` requests, with each one's use number (the n
    /// that `makeRequest` gets).
    static func turns(index: Int, targets: [LoadTarget], count: Int) -> [(target: Int, use: Int)] {
        let schedule = rotation(targets)
        var uses = [Int](repeating: 0, count: targets.count)
        return (0..<count).map { k in
            let t = schedule[(index + k) % schedule.count]
            defer { uses[t] += 1 }
            return (t, uses[t])
        }
    }

    struct Window: Sendable {
        var from: UInt64
        var until: UInt64
    }

    private struct LoopResult: Sendable {
        var routes: [RouteLoadResult]
        var messages: [String] = []
    }

    private static func loop(index: Int, client: BenchHTTPClient, targets: [LoadTarget], window: Window, timeoutSeconds: Double) async -> LoopResult {
        var result = LoopResult(routes: targets.map { RouteLoadResult(name: $0.name) })
        for i in result.routes.indices {
            result.routes[i].latencies.reserveCapacity(4_096)
            result.routes[i].startTimes.reserveCapacity(4_096)
        }
        let schedule = rotation(targets)
        var uses = [Int](repeating: 0, count: targets.count)
        var next = index % schedule.count
        while true {
            let t0 = monotonicNanos()
            if t0 >= window.until { break }
            let recording = t0 >= window.from
            let route = schedule[next]
            let target = targets[route]
            next = (next + 1) % schedule.count
            let request = target.request(connection: index, use: uses[route])
            uses[route] += 1
            do {
                let startedAt = monotonicNanos()
                let response = try await client.send(request, timeoutSeconds: timeoutSeconds)
                let elapsed = monotonicNanos() - startedAt
                guard recording else { continue }
                if response.status == target.expectedStatus {
                    result.routes[route].latencies.append(elapsed)
                    result.routes[route].startTimes.append(startedAt)
                } else {
                    result.routes[route].errors["status \(response.status)", default: 0] += 1
                    result.routes[route].errorTimes.append(startedAt)
                    if result.messages.count < 3 { result.messages.append("\(target.name): status \(response.status): \(response.bodyText.prefix(200))") }
                }
            } catch {
                if recording {
                    result.routes[route].errors[BenchHTTPClient.errorKind(error), default: 0] += 1
                    result.routes[route].errorTimes.append(t0)
                    if result.messages.count < 3 { result.messages.append("\(target.name): \(error)") }
                }
                try? await Task.sleep(for: .milliseconds(10))   // do not spin if the server is gone
            }
        }
        return result
    }
}
