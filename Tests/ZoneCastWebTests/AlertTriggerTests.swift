import Foundation
import Synchronization
import Testing
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Background alert evaluation and request admission")
struct AlertTriggerTests {
    @Test("given a run in progress, when 50 more are asked for, then they fold into one further run that starts after the last request")
    func coalesces() async throws {
        let trigger = AlertTrigger(spacing: .zero)
        let runs = Mutex(0)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        let work: @Sendable () async -> Void = {
            let n = runs.withLock { $0 += 1; return $0 }
            started.continuation.yield()
            // The first run waits until the test has asked for the others.
            if n == 1 { for await _ in release.stream { break } }
        }
        trigger.request(work)
        var startedRuns = started.stream.makeAsyncIterator()
        _ = await startedRuns.next()
        for _ in 0..<50 { trigger.request(work) }
        release.continuation.yield()
        await trigger.settled()
        #expect(runs.withLock { $0 } == 2)
        // Idle again: the next request runs at once.
        trigger.request(work)
        await trigger.settled()
        #expect(runs.withLock { $0 } == 3)
    }

    @Test("given a limit of 3, when 40 tasks enter at once, then never more than 3 are inside and all get through")
    func admissionLimits() async throws {
        let admission = AsyncGate(limit: 3)
        let inside = Inside()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try? await admission.run {
                        inside.counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                        for _ in 0..<3 { await Task.yield() }
                        inside.counts.withLock { $0.now -= 1; $0.done += 1 }
                    }
                }
            }
        }
        let result = inside.counts.withLock { $0 }
        #expect(result.most <= 3 && result.most >= 1 && result.done == 40 && result.now == 0)
    }
}

/// How many tasks are inside now, the most at once, and how many got through.
private final class Inside: Sendable {
    let counts = Mutex((now: 0, most: 0, done: 0))
}
