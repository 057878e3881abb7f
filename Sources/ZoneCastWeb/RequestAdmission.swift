import Hummingbird
import ZoneCastStore

/// Lets at most a set number of requests run their handlers at once (an `AsyncGate` with that limit); the rest wait
/// their turn in arrival order.
///
/// With async handlers every open connection's request runs at once and they share the cores: a heavy page (the
/// officer's home, four zone cards) then takes as many times longer as there are requests in flight, and the slowest
/// percent of requests of `bench load` took 2 to 5 times the median. Admitted in order, a request waits for the ones
/// before it and then runs at full speed, which is how the old handler threads behaved. The limit is well above
/// the cores, so requests waiting on the database or the network still leave work for every core.
struct RequestAdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: AsyncGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await admission.run { try await next(request, context) }
    }
}
