import Synchronization

/// Runs the alert evaluation that patrol logs and page views ask for in the background: one run at a time, the
/// requests that arrive meanwhile folded into one further run, and runs at least `spacing` apart. No officer's
/// request waits for the evaluation or its e-mail, and a busy shift (`bench load` logs 90 visits a second) costs
/// one evaluation per `spacing` instead of one per log. A request always gets a run that starts after it, so the
/// last log of a burst is evaluated; alerts are raised once per zone and day, so a few seconds' delay changes nothing
/// a commander sees.
final class AlertTrigger: Sendable {
    private struct State {
        var running = false
        var pending = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let spacing: Duration

    init(spacing: Duration) {
        self.spacing = spacing
    }

    /// Asks for a run of `work` that starts after this call.
    func request(_ work: @escaping @Sendable () async -> Void) {
        let start = state.withLock { s in
            if s.running {
                s.pending = true
                return false
            }
            s.running = true
            return true
        }
        if start { Task { await self.loop(work) } }
    }

    private func loop(_ work: @escaping @Sendable () async -> Void) async {
        let clock = ContinuousClock()
        while true {
            let started = clock.now
            await work()
            // A request that came during the run gets another run; otherwise the trigger goes idle.
            let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { s in
                if s.pending {
                    s.pending = false
                    return nil
                }
                s.running = false
                defer { s.idleWaiters = [] }
                return s.idleWaiters
            }
            if let waiters {
                for waiter in waiters { waiter.resume() }
                return
            }
            try? await clock.sleep(until: started.advanced(by: spacing))
        }
    }

    /// Returns once no run is in progress or asked for: for tests, which check what the runs raised.
    func settled() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { s in
                if !s.running { return true }
                s.idleWaiters.append(c)
                return false
            }
            if idle { c.resume() }
        }
    }
}
