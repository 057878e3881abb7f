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
            return currentThread()
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let threads = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await client.execute(uri: "/test/thread", method: .get) { String(buffer: $0.body) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(threads.count == 12)
            #expect(threads.allSatisfy { $0.hasPrefix("handler ") }, "\(threads)")
            #expect(Set(threads).count <= 3)
        }
        // Without the option the runtime's threads run them (the default for SQLite and the tests).
        let plain = Application(router: { let r = buildRouter(WebEnvironment(store: InMemoryIncidentStore())); r.get("/test/thread") { _, _ in currentThread() }; return r }())
        try await plain.test(.router) { client in
            let thread = try await client.execute(uri: "/test/thread", method: .get) { String(buffer: $0.body) }
            #expect(thread.hasPrefix("runtime "))
        }
    }
}

/// Whose thread runs the caller ("handler" or "runtime") and which one.
private func currentThread() -> String { "\(BlockingWorkExecutor.isHandlerThread ? "handler" : "runtime") \(pthread_self())" }
