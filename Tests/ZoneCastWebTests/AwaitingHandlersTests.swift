import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import ZoneCastStore
@testable import ZoneCastWeb

/// Replaces the handler-threads test: store calls now suspend instead of blocking a thread, so the runtime's
/// threads (one per core) carry any number of handlers waiting on a database at once.
@Suite("Awaiting handlers")
struct AwaitingHandlersTests {
    @Test("given handlers that await as a PostgreSQL query does, when 12 requests arrive at once, then all 12 wait together and all are answered")
    func awaitingHandlersHoldNoThread() async throws {
        let inFlight = Mutex(0)
        let mostAtOnce = Mutex(0)
        let router = buildRouter(WebEnvironment(store: InMemoryIncidentStore()))
        router.get("/test/wait") { _, _ -> String in
            let now = inFlight.withLock { n in
                n += 1
                return n
            }
            mostAtOnce.withLock { $0 = max($0, now) }
            // Wait (suspended) until every request is in a handler, or give up after 10 s: were the handlers blocking
            // their threads, at most one per core would ever be in here.
            for _ in 0..<1_000 where inFlight.withLock({ $0 }) < 12 { try await Task.sleep(for: .milliseconds(10)) }
            return "ok"
        }
        try await Application(router: router).test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await client.execute(uri: "/test/wait", method: .get) { String(buffer: $0.body) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers == Array(repeating: "ok", count: 12))
        }
        #expect(mostAtOnce.withLock { $0 } == 12)
    }
}
