import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// HTTP for the benchmarks through async-http-client: a pool of keep-alive HTTP/1.1 connections to the server on
// 127.0.0.1, redirects not followed (a sign-in answers 303 with its cookie), every new connection counted.

/// A request to the server under test: its path on 127.0.0.1 and the headers besides Host, User-Agent and Accept.
struct BenchRequest: Sendable {
    var method: String
    var path: String
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []

    /// The request for async-http-client, against `base` ("http://127.0.0.1:PORT").
    func clientRequest(base: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: "zonecast-bench")
        request.headers.add(name: "Accept", value: "*/*")
        for field in headers { request.headers.add(name: field.name, value: field.value) }
        if !body.isEmpty || method == "POST" || method == "PUT" { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }

    /// `application/x-www-form-urlencoded` text for the fields, in order.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }
}

/// A response as the benchmarks read it: status, headers and the whole body.
struct BenchResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The first header with this name (case-insensitive).
    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The value of the cookie `name` in the response's Set-Cookie headers, if set.
    func setCookie(_ name: String) -> String? {
        for value in headers["set-cookie"] {
            let pair = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0] == name { return kv[1] }
        }
        return nil
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// An async-http-client `HTTPClient` for one server on 127.0.0.1: HTTP/1.1 only, at most `connections` keep-alive
/// connections (the pool opens another when all are busy, up to that), redirects not followed. Made and shut down
/// by `with`.
final class BenchHTTPClient: Sendable {
    let port: Int
    private let base: String
    private let client: HTTPClient
    private let opened = Counter()

    /// Responses larger than this fail (the dashboard is about 100 KB).
    static let maxBodyBytes = 64 << 20

    /// `retryConnecting`: let the pool retry a refused connection (with back-off, within the request's time) rather
    /// than fail the request at once; off while waiting for a server to start, so each try is one attempt.
    private init(port: Int, connections: Int, retryConnecting: Bool) {
        self.port = port
        base = "http://127.0.0.1:\(port)"
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.connectionPool.retryConnectionEstablishment = retryConnecting
        let opened = opened
        configuration.http1_1ConnectionDebugInitializer = { channel in
            opened.increment()
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Runs `body` with a client for the port, shutting it down afterwards (async-http-client requires it).
    static func with<Result>(port: Int, connections: Int = 1, retryConnecting: Bool = false, isolation: isolated (any Actor)? = #isolation,
                             _ body: (BenchHTTPClient) async throws -> Result) async throws -> Result {
        let client = BenchHTTPClient(port: port, connections: connections, retryConnecting: retryConnecting)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await client.client.shutdown()
            throw error
        }
        try await client.client.shutdown()
        return result
    }

    /// Connections the pool has opened so far.
    var connectionsOpened: Int { opened.value }

    /// Sends the request and reads the whole response; fails after `timeoutSeconds` (the connection is then closed).
    func send(_ request: BenchRequest, timeoutSeconds: Double = 10) async throws -> BenchResponse {
        let response = try await client.execute(request.clientRequest(base: base), timeout: .nanoseconds(Int64(timeoutSeconds * 1e9)))
        let body = try await response.body.collect(upTo: Self.maxBodyBytes)
        return BenchResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
    }

    /// A short name for counting errors by kind.
    static func errorKind(_ error: any Error) -> String {
        switch error {
        case let e as HTTPClientError:
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout: "timeout"
            case .remoteConnectionClosed: "connection closed"
            case .bodyLengthMismatch, .contentLengthMissing: "malformed response"
            default: "client error"
            }
        case is HTTPParserError: "malformed response"
        default: "socket error"
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }
}

/// Sessions for the benchmarks, through the server's real forms.
enum LoadSession {
    /// GET /login for the CSRF cookie, POST /login, the session cookie from the 303. Returns the session token and the
    /// milliseconds the POST took (bcrypt).
    static func signIn(_ client: BenchHTTPClient, username: String, password: String) async throws -> (session: String, milliseconds: Double) {
        let form = try await client.send(BenchRequest(method: "GET", path: "/login"))
        guard form.status == 200, let csrf = form.setCookie("zc_login_csrf") else {
            throw BenchError("GET /login answered \(form.status) without a zc_login_csrf cookie")
        }
        let body = BenchRequest.formEncoded([("csrf", csrf), ("username", username), ("password", password)])
        let t0 = monotonicNanos()
        let answer = try await client.send(BenchRequest(
            method: "POST", path: "/login",
            headers: [("Cookie", "zc_login_csrf=\(csrf)"), ("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8)))
        guard answer.status == 303, let session = answer.setCookie("zc_session"), !session.isEmpty else {
            throw BenchError("POST /login as \(username) answered \(answer.status) without a session: \(answer.bodyText.prefix(300))")
        }
        return (session, Double(monotonicNanos() - t0) / 1e6)
    }

    /// The session's CSRF token, read from the hidden `csrf` field of a page with a form (e.g. /officer or /patrols/new).
    static func csrfToken(_ client: BenchHTTPClient, session: String, page: String) async throws -> String {
        let r = try await client.send(BenchRequest(method: "GET", path: page, headers: [("Cookie", "zc_session=\(session)")]))
        let marker = "name=\"csrf\" value=\""
        guard r.status == 200, let start = r.bodyText.range(of: marker) else {
            throw BenchError("GET \(page) answered \(r.status) without a csrf field")
        }
        let rest = r.bodyText[start.upperBound...]
        return String(rest.prefix { $0 != "\"" })
    }
}
