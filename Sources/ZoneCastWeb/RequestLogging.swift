public import Foundation
import ZoneCastCore
import HTTPTypes
public import Hummingbird
public import Logging

/// One structured log line per request (swift-log): method, route pattern, status, duration in milliseconds, who
/// (the signed-in username, `token:<id>` for a bearer token, or "anonymous") and a request id, which is also sent
/// back as `X-Request-Id` so a user's report can be matched to the line.
///
/// What is never logged: the raw path (cycle names and zone ids are confidential locations), the query string
/// (filters and, on some routes, values a user typed), cookies, tokens' secrets, passwords, form or JSON bodies.
/// The route pattern ("/zones/{cycle}/{zone}") says which page without saying which place.
public struct RequestLoggingMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let logger: Logger
    let sessions: SessionStore
    let clock: @Sendable () -> Date

    public init(logger: Logger, sessions: SessionStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.logger = logger
        self.sessions = sessions
        self.clock = clock
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let id = Self.requestID(request.headers[HTTPField.Name("X-Request-Id")!])
        do {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Request-Id")!] = id
            await log(request, context, status: response.status.code, start: start, id: id, error: nil)
            return response
        } catch let error as any HTTPResponseError {
            // Rendered here (as the server would) so the answer carries the request id too.
            var response = try error.response(from: request, context: context)
            response.headers[HTTPField.Name("X-Request-Id")!] = id
            await log(request, context, status: response.status.code, start: start, id: id,
                      error: response.status.code >= 500 ? String(describing: type(of: error)) : nil)
            return response
        } catch {
            // The error's type only: its message may quote what the user sent.
            await log(request, context, status: 500, start: start, id: id, error: String(describing: type(of: error)))
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, start: UInt64, id: String, error: String?) async {
        let level: Logger.Level = status >= 500 ? .error : .info
        guard logger.logLevel <= level else { return }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        var metadata: Logger.Metadata = [
            "request_id": .string(id),
            "method": .string(request.method.rawValue),
            "route": .string(routePattern(context)),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", ms)),
            "user": .string(await user(request)),
        ]
        if let error { metadata["error"] = .string(error) }
        logger.log(level: level, "request", metadata: metadata)
    }

    /// Who made the request, from the session store (no database read) or the bearer token's public id part.
    /// A bearer token is not verified here (the route does that): the id is marked as the one presented.
    private func user(_ request: Request) async -> String {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let parts = header.dropFirst(7).split(separator: "_", maxSplits: 2)
            guard parts.count == 3, parts[0] == "zc" else { return "token:malformed" }
            return "token:" + Self.safe(String(parts[1]), max: 40)
        }
        guard let token = request.cookies["zc_session"]?.value, !token.isEmpty,
              let session = await sessions.session(token, now: clock()) else { return "anonymous" }
        return Self.safe(session.username, max: 64)
    }

    /// A client's X-Request-Id when it is short and plain (letters, digits, '-', '_', '.'), else a new random one.
    static func requestID(_ sent: String?) -> String {
        if let sent, (1...64).contains(sent.count), sent.unicodeScalars.allSatisfy({ allowed.contains($0) }) { return sent }
        var bytes = [UInt8](repeating: 0, count: 8)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return bytes.hexText
    }

    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@")

    /// Text safe for one log line: only plain characters, at most `max` of them.
    static func safe(_ s: String, max: Int) -> String {
        String(String(s.unicodeScalars.map { allowed.contains($0) ? Character($0) : "?" }).prefix(max))
    }
}
