import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Handler threads")
struct HandlerThreadsTests {
    @Test("given handler threads configured, when requests arrive at once, then every handler runs on one of those threads and every request is answered")
    func handlersRunOnTheirOwnThreads() async throws {
        let env = WebEnvironment(store: InMemoryIncidentStore(), configuration: WebConfiguration(handlerThreads: 3))
        let router = buildRouter(env)
        router.get("/test/thread") { _, _ -> String in
            // A blocking wait, as a PostgreSQL query's: it must hold a handler thread, not the runtime's.
            usleep(20_000)
            return currentThreadName()
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let names = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await client.execute(uri: "/test/thread", method: .get) { String(buffer: $0.body) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(names.count == 12)
            #expect(names.allSatisfy { $0.hasPrefix("zc-handler-") }, "\(names)")
            #expect(Set(names).count <= 3)
        }
        // Without the option the runtime's threads run them (the default for SQLite and the tests).
        let plain = Application(router: { let r = buildRouter(WebEnvironment(store: InMemoryIncidentStore())); r.get("/test/thread") { _, _ in currentThreadName() }; return r }())
        try await plain.test(.router) { client in
            let name = try await client.execute(uri: "/test/thread", method: .get) { String(buffer: $0.body) }
            #expect(!name.hasPrefix("zc-handler-"))
        }
    }
}

/// The calling thread's name (Thread.current is off limits in async code; a synchronous function may read it).
private func currentThreadName() -> String { Thread.current.name ?? "unnamed" }
