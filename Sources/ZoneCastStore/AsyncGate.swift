import Synchronization

/// Runs at most `limit` bodies at a time across suspension points (a lock cannot be held over an `await`): callers
/// queue in arrival order and each waits, suspended, until a body before it has finished. With the default limit of
/// one it serialises (a store's writes, a cache's reload); the web layer's request admission uses a larger limit.
public final class AsyncGate: Sendable {
    private struct State {
        var available: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
        /// The first waiter not yet let in: taking from the front by index keeps a long queue O(1) per turn.
        var head = 0
    }

    private let state: Mutex<State>

    /// `limit` below one is taken as one.
    public init(limit: Int = 1) {
        state = Mutex(State(available: max(1, limit)))
    }

    public func run<T>(_ body: () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let enterNow = state.withLock { s in
                if s.available > 0 {
                    s.available -= 1
                    return true
                }
                s.waiting.append(c)
                return false
            }
            if enterNow { c.resume() }
        }
    }

    /// Hands the place straight to the longest waiter (it stays taken) or frees it.
    private func leave() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { s in
            guard s.head < s.waiting.count else {
                s.available += 1
                return nil
            }
            let c = s.waiting[s.head]
            s.head += 1
            if s.head > 1_024 && s.head * 2 > s.waiting.count {
                s.waiting.removeFirst(s.head)
                s.head = 0
            }
            return c
        }
        next?.resume()
    }
}
