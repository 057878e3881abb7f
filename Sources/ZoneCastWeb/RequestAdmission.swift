import Hummingbird
import Synchronization

/// Lets at most `limit` requests run their handlers at once; the rest wait their turn in arrival order.
///
/// With async handlers every open connection's request runs at once and they share the cores: a heavy page (the
/// officer's home, four zone cards) then takes as many times longer as there are requests in flight, and the slowest
/// percent of requests of `bench load` took 2 to 5 times the median. Admitted in order, a request waits for the ones
/// before it and then runs at full speed, which is how the old handler threads behaved. The limit is well above
/// the cores, so requests waiting on the database or the network still leave work for every core.
struct RequestAdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: RequestAdmission

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await admission.enter()
        defer { admission.leave() }
        return try await next(request, context)
    }
}

/// The counting turnstile behind `RequestAdmissionMiddleware`.
final class RequestAdmission: Sendable {
    private struct State {
        var available: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    func enter() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.available > 0 {
                    s.available -= 1
                    return true
                }
                s.waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// Hands the place straight to the longest waiter, or frees it.
    func leave() {
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
