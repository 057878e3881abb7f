import Hummingbird
import HTTPTypes
import ZoneCastStore

/// Lets at most a set number of requests run their handlers at once (an `AsyncGate` with that limit); the rest wait
/// their turn in arrival order.
///
/// With async handlers every open connection's request runs at once and they share the cores: a heavy page (the
/// officer's home, four zone cards) then takes as many times longer as there are requests in flight, and the slowest
/// percent of requests of `bench load` took 2 to 5 times the median. Admitted in order, a request waits for the ones
/// before it and then runs at full speed, which is how the old handler threads behaved. The limit is well above
/// the cores, so requests waiting on the database or the network still leave work for every core.
///
/// A request's body is read before it takes a place. Read inside, a body sent one byte every few seconds held its
/// place until the request timeout, and as many such requests as places (8 by default, no account needed: POST
/// /login) kept every other request, `/health` included, waiting for a minute. Bodies read here are bounded by
/// `Form.maxBytes`, the most any route but the large uploads accepts, so the bodies waiting for a place hold at most
/// that much memory per open connection; a body declared larger is refused at once (413), except on the large-upload
/// routes, which read it themselves after their sign-in check, so only a signed-in user can hold a place that way.
struct RequestAdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: AsyncGate
    /// Paths that accept bodies over `Form.maxBytes` (the equity areas' GeoJSON upload).
    let largeBodyPaths: Set<String>

    static var preReadBytes: Int { Form.maxBytes }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        try await readBody(of: &request)
        return try await admission.run { [request] in try await next(request, context) }
    }

    private func readBody(of request: inout Request) async throws {
        let api = request.uri.path.hasPrefix("/api/")
        let limitText = "the request body is larger than \(Self.preReadBytes / 1024) KiB"
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > Self.preReadBytes {
            if largeBodyPaths.contains(request.uri.path) { return }
            throw WebError(.payloadTooLarge, limitText, api: api)
        }
        do { _ = try await request.collectBody(upTo: Self.preReadBytes) } catch {
            throw WebError(.payloadTooLarge, limitText, api: api)
        }
    }
}
