import Foundation
import NIOHTTP1
import Testing
@testable import ZoneCastBench
import AsyncHTTPClient

@Suite("Load generator: requests, responses, percentiles and the rotation")
struct LoadGeneratorTests {
    @Test("given latencies, then percentiles are by nearest rank")
    func percentiles() async {
        let sorted: [UInt64] = Array(1...100)
        #expect(LatencySummary.percentile(sorted, 50) == 50)
        #expect(LatencySummary.percentile(sorted, 99) == 99)
        #expect(LatencySummary.percentile(sorted, 100) == 100)
        #expect(LatencySummary.percentile([7], 99) == 7)
        #expect(LatencySummary.percentile([], 50) == 0)
        let summary = LatencySummary(samples: [30, 10, 20, 40])
        #expect(summary.count == 4)
        #expect(summary.p50 == 20)
        #expect(summary.p99 == 40)
        #expect(summary.max == 40)
        #expect(summary.mean == 25)
    }

    @Test("given form fields, then they are percent-encoded; and a request carries its method, URL, headers and body")
    func requests() async throws {
        #expect(BenchRequest.formEncoded([("csrf", "a+b/c="), ("username", "bench-analyst"), ("password", "x y&z")])
                == "csrf=a%2Bb%2Fc%3D&username=bench-analyst&password=x%20y%26z")
        let post = BenchRequest(method: "POST", path: "/login", headers: [("Cookie", "a=b")], body: Array("k=v".utf8))
            .clientRequest(base: "http://127.0.0.1:8080")
        #expect(post.url == "http://127.0.0.1:8080/login")
        #expect(post.method == .POST)
        #expect(post.headers["Cookie"] == ["a=b"])
        #expect(post.headers["User-Agent"] == ["zonecast-bench"])
        #expect(post.body != nil)
        let get = BenchRequest(method: "GET", path: "/").clientRequest(base: "http://h")
        #expect(get.method == .GET && get.body == nil)
    }

    @Test("given a 303 with several Set-Cookie headers, then each cookie is read by name, and headers by any case")
    func cookies() async {
        var headers = HTTPHeaders()
        headers.add(name: "Location", value: "/")
        headers.add(name: "Set-Cookie", value: "zc_session=abc123; Max-Age=28800; Path=/; HttpOnly")
        headers.add(name: "set-cookie", value: "other=x")
        let response = BenchResponse(status: 303, headers: headers, body: [])
        #expect(response.setCookie("zc_session") == "abc123")
        #expect(response.setCookie("other") == "x")
        #expect(response.setCookie("missing") == nil)
        #expect(response.header("LOCATION") == "/")
    }

    @Test("given weights, then each loop takes every target as often as its weight, loop i starting at turn i, with its own use count")
    func rotation() async {
        let targets = [
            LoadTarget(name: "a", request: BenchRequest(method: "GET", path: "/a"), weight: 2),
            LoadTarget(name: "b", request: BenchRequest(method: "GET", path: "/b")),
            LoadTarget(name: "c", request: BenchRequest(method: "GET", path: "/c"), weight: 0),
        ]
        #expect(LoadGenerator.rotation(targets) == [0, 0, 1, 2])
        let turns = LoadGenerator.turns(index: 1, targets: targets, count: 6)
        #expect(turns.map(\.target) == [0, 1, 2, 0, 0, 1])
        #expect(turns.map(\.use) == [0, 0, 0, 1, 2, 1])
        #expect(LoadGenerator.turns(index: 5, targets: targets, count: 1).first?.target == 0)
    }

    @Test("given a result, then the summary line says the throughput, errors and reconnects, and the errors by kind per route")
    func summary() async {
        var ok = RouteLoadResult(name: "GET /")
        ok.latencies = Array(repeating: 1_000_000, count: 1_998)
        var failing = RouteLoadResult(name: "POST /api/patrols")
        failing.errors = ["status 500": 1, "timeout": 1]
        let result = LoadResult(routes: [ok, failing], measuredSeconds: 2, reconnects: 1, firstErrors: ["POST /api/patrols: timed out"])
        #expect(result.summaryLines() == [
            "  measured 2.00 s; throughput 1,000 req/s; 2 errors, 1 reconnects",
            "  POST /api/patrols errors: status 500 x1, timeout x1",
            "    e.g. POST /api/patrols: timed out",
        ])
        let quiet = LoadResult(routes: [ok], measuredSeconds: 2, reconnects: 0, firstErrors: [])
        #expect(quiet.summaryLines() == ["  measured 2.00 s; throughput 999 req/s; 0 errors"])
    }
}
