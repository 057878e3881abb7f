import Foundation
#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocket = SOCK_STREAM
#endif

// A small closed-loop HTTP/1.1 load generator for `zonecast bench http` and `zonecast bench load`: one blocking keep-alive socket per
// connection, each on its own thread, recording every request's latency. Blocking sockets keep the client's own
// cost per request to two system calls and a parse, so on a small machine most of the CPU is left to the server.

// MARK: - Responses

/// One HTTP/1.1 response as received.
struct HTTPResponse: Sendable, Equatable {
    var status: Int
    var headers: [HTTPHeaderField]
    var body: [UInt8]

    /// The first header with this name (case-insensitive).
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    /// The value of the cookie `name` in the response's Set-Cookie headers, if set.
    func setCookie(_ name: String) -> String? {
        for field in headers where field.name.lowercased() == "set-cookie" {
            let pair = field.value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0] == name { return kv[1] }
        }
        return nil
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether the server will close the connection after this response.
    var closesConnection: Bool { header("connection")?.lowercased().contains("close") ?? false }
}

struct HTTPHeaderField: Sendable, Equatable {
    var name: String
    var value: String
}

enum HTTPClientError: Error, CustomStringConvertible, Equatable {
    case malformedStatusLine(String), malformedHeader(String), malformedChunk(String), headTooLarge
    case connectionClosed, timedOut, socket(String)

    var description: String {
        switch self {
        case .malformedStatusLine(let s): "malformed status line: \(s)"
        case .malformedHeader(let s): "malformed header: \(s)"
        case .malformedChunk(let s): "malformed chunk: \(s)"
        case .headTooLarge: "response head larger than 64 KiB"
        case .connectionClosed: "connection closed by the server"
        case .timedOut: "timed out"
        case .socket(let s): s
        }
    }

    /// A short name for counting errors by kind.
    var kind: String {
        switch self {
        case .malformedStatusLine, .malformedHeader, .malformedChunk, .headTooLarge: "malformed response"
        case .connectionClosed: "connection closed"
        case .timedOut: "timeout"
        case .socket: "socket error"
        }
    }
}

/// Parses HTTP/1.1 responses from a byte stream: status line, headers, then a body framed by Content-Length,
/// chunked transfer coding, or (without either) the end of the stream. Feed bytes with `append`, take complete
/// responses with `next()`; several pipelined responses in one read come out one by one.
struct HTTPResponseParser {
    private var buffer: [UInt8] = []
    private var index = 0                  // start of unconsumed bytes
    private var head: (status: Int, headers: [HTTPHeaderField])?
    private var framing = Framing.none
    private var body: [UInt8] = []
    private var scanFrom = 0               // where to resume looking for the end of the head

    private enum Framing { case none, length(Int), chunked, untilClose }

    /// Whether the response being parsed is to a HEAD request (no body whatever the headers say).
    var expectingHeadResponse = false

    init() {}

    mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 { buffer.append(contentsOf: bytes) }

    mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }

    /// Bytes received and not yet part of a returned response.
    var pendingByteCount: Int { buffer.count - index }

    /// The next complete response, or nil when more bytes are needed.
    mutating func next() throws(HTTPClientError) -> HTTPResponse? {
        if head == nil {
            guard let end = findHeadEnd() else {
                if buffer.count - index > 64 * 1024 { throw .headTooLarge }
                return nil
            }
            let parsed = try Self.parseHead(buffer[index..<end])
            index = end + 4
            head = parsed
            body = []
            let te = parsed.headers.first { $0.name.lowercased() == "transfer-encoding" }?.value.lowercased()
            let cl = parsed.headers.first { $0.name.lowercased() == "content-length" }?.value
            if expectingHeadResponse || (100..<200).contains(parsed.status) || parsed.status == 204 || parsed.status == 304 {
                framing = .length(0)
            } else if let te, te.contains("chunked") {
                framing = .chunked
            } else if let cl {
                guard let n = Int(cl.trimmingCharacters(in: .whitespaces)), n >= 0 else { throw .malformedHeader("Content-Length: \(cl)") }
                framing = .length(n)
            } else {
                framing = .untilClose
            }
        }
        switch framing {
        case .none:
            return nil
        case .length(let n):
            guard buffer.count - index >= n else { return nil }
            body.append(contentsOf: buffer[index..<(index + n)])
            index += n
            return finish()
        case .chunked:
            while true {
                guard let lineEnd = find(crlf, from: index) else { return nil }
                let line = String(decoding: buffer[index..<lineEnd], as: UTF8.self)
                let sizeText = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard let size = Int(sizeText, radix: 16), size >= 0 else { throw .malformedChunk(line) }
                if size == 0 {
                    // Trailers (ignored) end with an empty line.
                    var cursor = lineEnd + 2
                    while true {
                        guard let end = find(crlf, from: cursor) else { return nil }
                        if end == cursor { index = end + 2; return finish() }
                        cursor = end + 2
                    }
                }
                let dataStart = lineEnd + 2
                guard buffer.count >= dataStart + size + 2 else { return nil }
                guard buffer[dataStart + size] == 13, buffer[dataStart + size + 1] == 10 else { throw .malformedChunk("chunk of \(size) bytes not followed by CRLF") }
                body.append(contentsOf: buffer[dataStart..<(dataStart + size)])
                index = dataStart + size + 2
            }
        case .untilClose:
            return nil
        }
    }

    /// The end of the stream: completes a response whose body runs until the connection closes.
    mutating func endOfStream() throws(HTTPClientError) -> HTTPResponse? {
        if head != nil, case .untilClose = framing {
            body.append(contentsOf: buffer[index...])
            index = buffer.count
            return finish()
        }
        if head != nil || buffer.count > index { throw .connectionClosed }
        return nil
    }

    private mutating func finish() -> HTTPResponse {
        let response = HTTPResponse(status: head!.status, headers: head!.headers, body: body)
        head = nil
        framing = .none
        body = []
        // Drop consumed bytes so the buffer does not grow over a long keep-alive connection.
        buffer.removeFirst(index)
        index = 0
        scanFrom = 0
        return response
    }

    private let crlf: [UInt8] = [13, 10]
    private let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    private mutating func findHeadEnd() -> Int? {
        let found = find(crlfcrlf, from: max(index, scanFrom))
        if found == nil { scanFrom = max(index, buffer.count - 3) }
        return found
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        var i = start
        let last = buffer.count - needle.count
        while i <= last {
            if buffer[i] == needle[0] {
                var match = true
                for k in 1..<needle.count where buffer[i + k] != needle[k] { match = false; break }
                if match { return i }
            }
            i += 1
        }
        return nil
    }

    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPClientError) -> (status: Int, headers: [HTTPHeaderField]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw .malformedStatusLine(statusLine)
        }
        var headers: [HTTPHeaderField] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { throw .malformedHeader(line) }
            headers.append(HTTPHeaderField(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return (status, headers)
    }
}

// MARK: - Requests

enum HTTPRequestBuilder {
    /// A keep-alive HTTP/1.1 request as bytes.
    static func request(method: String, path: String, host: String, headers: [(String, String)] = [], body: [UInt8] = []) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: zonecast-bench\r\nAccept: */*\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }

    /// `application/x-www-form-urlencoded` text for the fields, in order.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }
}

// MARK: - Connections

/// Monotonic time in nanoseconds.
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// One blocking TCP connection to a loopback HTTP server, kept alive across requests.
final class BlockingHTTPConnection {
    private var fd: Int32 = -1
    private var parser = HTTPResponseParser()
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    let port: Int
    let timeoutSeconds: Int

    init(port: Int, timeoutSeconds: Int = 10) throws(HTTPClientError) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        try connect()
    }

    deinit { close() }

    var isOpen: Bool { fd >= 0 }

    func connect() throws(HTTPClientError) {
        close()
        let s = socket(AF_INET, streamSocket, 0)
        guard s >= 0 else { throw .socket("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
        setsockopt(s, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connectSocket(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            _ = closeSocket(s)
            throw .socket("connect to 127.0.0.1:\(port): \(message)")
        }
        fd = s
        parser = HTTPResponseParser()
    }

    func close() {
        if fd >= 0 { _ = closeSocket(fd) }
        fd = -1
    }

    /// Sends one request and reads its response. Any failure closes the connection (the caller may reconnect).
    func send(_ request: [UInt8]) throws(HTTPClientError) -> HTTPResponse {
        if fd < 0 { try connect() }
        do {
            try writeAll(request)
            let response = try readResponse()
            if response.closesConnection { close() }
            return response
        } catch {
            close()
            throw error
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws(HTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in sendBytes(fd, raw.baseAddress! + sent, raw.count - sent) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut }
                throw .socket("send: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    private func readResponse() throws(HTTPClientError) -> HTTPResponse {
        while true {
            if let response = try parser.next() { return response }
            let n = readBuffer.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress!, raw.count, 0) }
            if n > 0 {
                readBuffer.withUnsafeBytes { raw in parser.append(UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
            } else if n == 0 {
                if let response = try parser.endOfStream() { close(); return response }
                throw .connectionClosed
            } else {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut }
                throw .socket("recv: \(String(cString: strerror(errno)))")
            }
        }
    }
}

private func connectSocket(_ s: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(s, address, length)
}

private func closeSocket(_ s: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(s)
    #else
    Darwin.close(s)
    #endif
}

private func sendBytes(_ s: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    send(s, p, n, Int32(MSG_NOSIGNAL))
    #else
    send(s, p, n, 0)
    #endif
}

/// A free TCP port on the loopback interface, as the OS assigns it (released before returning, so another
/// process can bind it; the window for a race is tiny on a bench machine).
func freeLoopbackPort() throws -> Int {
    let s = socket(AF_INET, streamSocket, 0)
    guard s >= 0 else { throw HTTPClientError.socket("socket: \(String(cString: strerror(errno)))") }
    defer { _ = closeSocket(s) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
            guard bind(s, p, length) == 0 else { return -1 }
            return getsockname(s, p, &length)
        }
    }
    guard rc == 0 else { throw HTTPClientError.socket("bind 127.0.0.1:0: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}

// MARK: - Statistics

/// Latency figures over a set of samples (nanoseconds), by the nearest-rank percentile.
struct LatencySummary: Sendable, Equatable {
    var count: Int
    var mean: Double
    var p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64

    init(samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count)
        p50 = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p99 = Self.percentile(sorted, 99)
        max = sorted.last ?? 0
    }

    /// The nearest-rank percentile of sorted values: the smallest value with at least p % of values at or below it.
    static func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}

// MARK: - The load generator

/// One kind of request the generator sends; a response with another status is an error.
struct LoadTarget: Sendable {
    var name: String
    var request: [UInt8]
    var expectedStatus: Int = 200
    /// For requests that differ each time (a new patrol visit, another zone): the bytes for a connection's n-th use
    /// of this target (n from 0). `request` is then not sent.
    var makeRequest: (@Sendable (_ connection: Int, _ n: Int) -> [UInt8])? = nil
    /// Turns per round in each connection's rotation, for a traffic mix (2: twice as often as a target of weight 1).
    var weight: Int = 1
}

/// What one route saw during the measured window.
struct RouteLoadResult: Sendable {
    var name: String
    var latencies: [UInt64] = []          // successful requests, nanoseconds
    var startTimes: [UInt64] = []         // when each of `latencies` started (monotonicNanos), same order
    var errors: [String: Int] = [:]       // by kind ("status 500", "timeout", ...)
    var errorTimes: [UInt64] = []         // when each failed request started

    /// The successful requests that started in [from, to) (monotonicNanos).
    func latencies(startedFrom from: UInt64, to: UInt64) -> [UInt64] {
        zip(startTimes, latencies).compactMap { (from..<to).contains($0.0) ? $0.1 : nil }
    }

    func errorCount(startedFrom from: UInt64, to: UInt64) -> Int { errorTimes.filter { (from..<to).contains($0) }.count }
    var errorCount: Int { errors.values.reduce(0, +) }
    var summary: LatencySummary { LatencySummary(samples: latencies) }
}

struct LoadResult: Sendable {
    var routes: [RouteLoadResult]
    var measuredSeconds: Double
    var reconnects: Int
    var firstErrors: [String]             // a few error messages, for diagnosis
    var measureFrom: UInt64 = 0           // start of the measured window (monotonicNanos)

    var requestCount: Int { routes.reduce(0) { $0 + $1.latencies.count + $1.errorCount } }
    var errorCount: Int { routes.reduce(0) { $0 + $1.errorCount } }
    var overall: LatencySummary { LatencySummary(samples: routes.flatMap(\.latencies)) }
}

/// A closed loop: each connection sends the targets in turn (connection i starts at target i), waiting for each
/// response before the next request. Requests that start during the warm-up are not recorded; the measured window
/// ends `seconds` after the warm-up, and requests in flight then are completed and recorded.
enum LoadGenerator {
    static func run(port: Int, connections: Int, warmupSeconds: Double, seconds: Double, targets: [LoadTarget], timeoutSeconds: Int = 10) -> LoadResult {
        precondition(!targets.isEmpty && connections > 0)
        let collector = Collector(routes: targets.map { RouteLoadResult(name: $0.name) })
        let start = monotonicNanos()
        let measureFrom = start + UInt64(warmupSeconds * 1e9)
        let measureUntil = measureFrom + UInt64(seconds * 1e9)
        let group = DispatchGroup()
        for i in 0..<connections {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                collector.merge(worker(index: i, port: port, targets: targets, measureFrom: measureFrom, measureUntil: measureUntil, timeoutSeconds: timeoutSeconds))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let finished = monotonicNanos()
        return LoadResult(routes: collector.routes, measuredSeconds: Double(finished - max(measureFrom, start)) / 1e9, reconnects: collector.reconnects,
                          firstErrors: collector.firstErrors, measureFrom: measureFrom)
    }

    private struct WorkerResult {
        var routes: [RouteLoadResult]
        var reconnects = 0
        var messages: [String] = []
    }

    private static func worker(index: Int, port: Int, targets: [LoadTarget], measureFrom: UInt64, measureUntil: UInt64, timeoutSeconds: Int) -> WorkerResult {
        var result = WorkerResult(routes: targets.map { RouteLoadResult(name: $0.name) })
        result.routes = result.routes.map { var r = $0; r.latencies.reserveCapacity(4_096); r.startTimes.reserveCapacity(4_096); return r }
        var connection: BlockingHTTPConnection?
        var connected = 0
        // The rotation: each target as many turns as its weight, in order (connection i starts at turn i).
        let schedule = targets.indices.flatMap { Array(repeating: $0, count: max(1, targets[$0].weight)) }
        var uses = [Int](repeating: 0, count: targets.count)
        var next = index % schedule.count
        while true {
            let t0 = monotonicNanos()
            if t0 >= measureUntil { break }
            let recording = t0 >= measureFrom
            let route = schedule[next]
            let target = targets[route]
            next = (next + 1) % schedule.count
            let bytes = target.makeRequest.map { $0(index, uses[route]) } ?? target.request
            uses[route] += 1
            do throws(HTTPClientError) {
                if connection == nil {
                    connection = try BlockingHTTPConnection(port: port, timeoutSeconds: timeoutSeconds)
                    connected += 1
                }
                let startedAt = monotonicNanos()
                let response = try connection!.send(bytes)
                let elapsed = monotonicNanos() - startedAt
                if !connection!.isOpen { connection = nil }
                guard recording else { continue }
                if response.status == target.expectedStatus {
                    result.routes[route].latencies.append(elapsed)
                    result.routes[route].startTimes.append(startedAt)
                } else {
                    result.routes[route].errors["status \(response.status)", default: 0] += 1
                    result.routes[route].errorTimes.append(startedAt)
                    if result.messages.count < 3 { result.messages.append("\(target.name): status \(response.status): \(response.bodyText.prefix(200))") }
                }
            } catch {
                connection = nil
                if recording {
                    result.routes[route].errors[error.kind, default: 0] += 1
                    result.routes[route].errorTimes.append(t0)
                    if result.messages.count < 3 { result.messages.append("\(target.name): \(error)") }
                }
                usleep(10_000)   // do not spin if the server is gone
            }
        }
        result.reconnects = max(0, connected - 1)
        return result
    }

    private final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var routes: [RouteLoadResult]
        private(set) var reconnects = 0
        private(set) var firstErrors: [String] = []

        init(routes: [RouteLoadResult]) { self.routes = routes }

        func merge(_ r: WorkerResult) {
            lock.lock()
            defer { lock.unlock() }
            for i in routes.indices {
                routes[i].latencies.append(contentsOf: r.routes[i].latencies)
                routes[i].startTimes.append(contentsOf: r.routes[i].startTimes)
                routes[i].errors.merge(r.routes[i].errors, uniquingKeysWith: +)
                routes[i].errorTimes.append(contentsOf: r.routes[i].errorTimes)
            }
            reconnects += r.reconnects
            for m in r.messages where firstErrors.count < 5 { firstErrors.append(m) }
        }
    }
}

// MARK: - Sessions and child processes for the benches

enum LoadSession {
    /// Signs in through the real forms: GET /login for the CSRF cookie, POST /login, the session cookie from the 303.
    /// Returns the session token and the milliseconds the POST took (bcrypt).
    static func signIn(port: Int, username: String, password: String) throws -> (session: String, milliseconds: Double) {
        let host = "127.0.0.1:\(port)"
        let connection = try BlockingHTTPConnection(port: port)
        let form = try connection.send(HTTPRequestBuilder.request(method: "GET", path: "/login", host: host))
        guard form.status == 200, let csrf = form.setCookie("zc_login_csrf") else {
            throw HTTPClientError.socket("GET /login answered \(form.status) without a zc_login_csrf cookie")
        }
        let body = HTTPRequestBuilder.formEncoded([("csrf", csrf), ("username", username), ("password", password)])
        let t0 = monotonicNanos()
        let answer = try connection.send(HTTPRequestBuilder.request(
            method: "POST", path: "/login", host: host,
            headers: [("Cookie", "zc_login_csrf=\(csrf)"), ("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8)))
        guard answer.status == 303, let session = answer.setCookie("zc_session"), !session.isEmpty else {
            throw HTTPClientError.socket("POST /login as \(username) answered \(answer.status) without a session: \(answer.bodyText.prefix(300))")
        }
        return (session, Double(monotonicNanos() - t0) / 1e6)
    }

    /// The session's CSRF token, read from the hidden `csrf` field of a page with a form (e.g. /officer or /patrols/new).
    static func csrfToken(port: Int, session: String, page: String) throws -> String {
        let connection = try BlockingHTTPConnection(port: port)
        let r = try connection.send(HTTPRequestBuilder.request(method: "GET", path: page, host: "127.0.0.1:\(port)", headers: [("Cookie", "zc_session=\(session)")]))
        let marker = "name=\"csrf\" value=\""
        guard r.status == 200, let start = r.bodyText.range(of: marker) else {
            throw HTTPClientError.socket("GET \(page) answered \(r.status) without a csrf field")
        }
        let rest = r.bodyText[start.upperBound...]
        return String(rest.prefix { $0 != "\"" })
    }
}

/// A `zonecast` subcommand in a child process (the same executable), its output in a log file: the server of
/// `bench http` and `bench load` (any database option), or an import running beside it.
final class ChildCommand: @unchecked Sendable {
    let process = Process()
    let log: String
    var pid: Int32 { process.processIdentifier }

    init(arguments: [String], log: String) throws {
        self.log = log
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until GET /health on the port answers 200 (a server); throws if the process exits first or after `timeout`.
    func waitUntilHealthy(port: Int, timeout: TimeInterval = 60) throws -> Double {
        let t0 = Date()
        let health = HTTPRequestBuilder.request(method: "GET", path: "/health", host: "127.0.0.1:\(port)")
        while true {
            if !process.isRunning { throw HTTPClientError.socket("the server exited with status \(process.terminationStatus) before answering /health\(logTail())") }
            if let c = try? BlockingHTTPConnection(port: port, timeoutSeconds: 2), let r = try? c.send(health), r.status == 200 { break }
            if Date().timeIntervalSince(t0) > timeout {
                stop()
                throw HTTPClientError.socket("the server did not answer /health within \(Int(timeout)) s\(logTail())")
            }
            usleep(50_000)
        }
        return Date().timeIntervalSince(t0)
    }

    /// SIGTERM, then SIGKILL after 10 s (idempotent).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A line of /proc/PID/status in MiB (VmRSS: resident now; VmHWM: peak), while the process runs.
    func memoryMiB(_ field: String = "VmRSS") -> Double? { ProcessStats.memoryMiB(pid: pid, field: field) }

    /// User plus system CPU time so far.
    func cpuSeconds() -> Double? { ProcessStats.cpuSeconds(pid: pid) }

    func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// The end of the log, to append to an error message.
    func logTail(_ lines: Int = 15) -> String {
        let text = logText()
        return text.isEmpty ? "" : "\nlog (end):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// Readings of a running process from /proc (Linux), for the benchmarks' reports.
enum ProcessStats {
    /// A line of /proc/PID/status in MiB (VmRSS: resident now; VmHWM: peak).
    static func memoryMiB(pid: Int32, field: String = "VmRSS") -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib / 1024
    }

    /// User plus system CPU time so far, from /proc/PID/stat (fields after "(comm)": utime is 14, stime 15).
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
