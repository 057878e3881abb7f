import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ZoneCastBench

/// The load generator and the sign-in over async-http-client, against a small Hummingbird server on 127.0.0.1.
@Suite("Bench client against a live server")
struct LiveClientTests {
    /// /ok answers 200, /fail 500, /slow after 1 s; /login sets the CSRF cookie and its POST answers 303 with a session.
    static func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("/ok") { _, _ in "ok" }
        router.get("/fail") { _, _ -> Response in Response(status: .internalServerError) }
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(1))
            return "late"
        }
        router.get("/login") { _, _ -> Response in
            Response(status: .ok, headers: [.setCookie: "zc_login_csrf=t0k; Path=/; HttpOnly"], body: .init(byteBuffer: ByteBuffer(string: "form")))
        }
        router.post("/login") { request, _ -> Response in
            let cookie = request.headers[.cookie] ?? ""
            guard cookie == "zc_login_csrf=t0k" else { return Response(status: .forbidden) }
            return Response(status: .seeOther, headers: [.location: "/", .setCookie: "zc_session=s3ss10n; Path=/; HttpOnly"])
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    // The windows are wall-clock time, and other suites running beside these (blocking on child processes) can hold
    // the test threads for seconds: so the counts asked for are "some", not "many", and no window starts with a
    // warm-up that could swallow a loop's only request.

    @Test("given 4 connections, when the loop runs, then successes and 500s are recorded per route and no connection is replaced")
    func statusesAndLatencies() async throws {
        try await Self.application().test(.live) { client in
            let port = try #require(client.port)
            let targets = [LoadTarget(name: "GET /ok", request: BenchRequest(method: "GET", path: "/ok")),
                           LoadTarget(name: "GET /fail", request: BenchRequest(method: "GET", path: "/fail"))]
            let result = try await LoadGenerator.run(port: port, connections: 4, warmupSeconds: 0, seconds: 1.5, targets: targets)
            #expect(result.routes[0].latencies.count > 0)
            #expect(result.routes[0].latencies.count == result.routes[0].startTimes.count)
            #expect(result.routes[0].errorCount == 0)
            #expect(result.routes[1].latencies.isEmpty)
            #expect(result.routes[1].errors.keys.sorted() == ["status 500"])
            #expect(result.routes[1].errorTimes.count == result.routes[1].errorCount)
            #expect(result.reconnects == 0)
            #expect(result.measuredSeconds >= 1.5)
        }
    }

    @Test("given a route slower than the timeout, then its requests count as timeouts and their connections are replaced")
    func timeouts() async throws {
        try await Self.application().test(.live) { client in
            let port = try #require(client.port)
            let targets = [LoadTarget(name: "GET /slow", request: BenchRequest(method: "GET", path: "/slow"))]
            let result = try await LoadGenerator.run(port: port, connections: 2, warmupSeconds: 0, seconds: 1, targets: targets, timeoutSeconds: 0.2)
            let timeouts = result.routes[0].errors["timeout"] ?? 0
            #expect(result.routes[0].latencies.isEmpty)
            #expect(timeouts > 0)
            #expect(result.routes[0].errors.keys.sorted() == ["timeout"])
            // More requests than loops: some loop sent again after its timeout, on a new connection.
            if timeouts > 2 { #expect(result.reconnects > 0) }
        }
    }

    @Test("given the sign-in forms, then the 303 is not followed and its session cookie is returned")
    func signIn() async throws {
        try await Self.application().test(.live) { client in
            let port = try #require(client.port)
            let session = try await BenchHTTPClient.with(port: port) { try await LoadSession.signIn($0, username: "u", password: "p") }
            #expect(session.session == "s3ss10n")
        }
    }
}
