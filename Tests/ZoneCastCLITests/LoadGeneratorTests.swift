import Foundation
import Testing
@testable import ZoneCastCLI

@Suite("Load generator: HTTP/1.1 response parsing and percentiles")
struct LoadGeneratorTests {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test("given a response with Content-Length, when it arrives one byte at a time, then it is complete only after its last byte")
    func contentLengthByteByByte() throws {
        let wire = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
        var parser = HTTPResponseParser()
        var response: HTTPResponse?
        for (i, b) in wire.enumerated() {
            parser.append([b])
            response = try parser.next()
            if i < wire.count - 1 { #expect(response == nil) }
        }
        #expect(response?.status == 200)
        #expect(response?.bodyText == "hello")
        #expect(response?.header("content-type") == "text/plain")
        #expect(parser.pendingByteCount == 0)
    }

    @Test("given a chunked response with extensions and a trailer, then the chunks are joined")
    func chunked() throws {
        var parser = HTTPResponseParser()
        parser.append(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n"))
        let response = try #require(try parser.next())
        #expect(response.bodyText == "Wikipedia in\r\n\r\nchunks.")
        #expect(try parser.next() == nil)
    }

    @Test("given a chunked response split inside the size line and the data, then it waits and then completes")
    func chunkedSplit() throws {
        var parser = HTTPResponseParser()
        parser.append(bytes("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1"))
        #expect(try parser.next() == nil)
        parser.append(bytes("0\r\n0123456789"))
        #expect(try parser.next() == nil)
        parser.append(bytes("abcdef\r\n0\r\n"))
        #expect(try parser.next() == nil)
        parser.append(bytes("\r\n"))
        #expect(try parser.next()?.bodyText == "0123456789abcdef")
    }

    @Test("given two pipelined responses in one read, then both come out in order, and a 303 carries its cookies")
    func pipelinedAndCookies() throws {
        var parser = HTTPResponseParser()
        parser.append(bytes("HTTP/1.1 303 See Other\r\nLocation: /\r\nSet-Cookie: zc_session=abc123; Max-Age=28800; Path=/; HttpOnly\r\nSet-Cookie: other=x\r\nContent-Length: 0\r\n\r\n"
                            + "HTTP/1.1 204 No Content\r\n\r\n"))
        let first = try #require(try parser.next())
        #expect(first.status == 303)
        #expect(first.setCookie("zc_session") == "abc123")
        #expect(first.setCookie("other") == "x")
        #expect(first.setCookie("missing") == nil)
        #expect(first.header("LOCATION") == "/")
        let second = try #require(try parser.next())
        #expect(second.status == 204)
        #expect(second.body.isEmpty)
    }

    @Test("given a response without length or chunking, then the body runs to the end of the stream")
    func untilClose() throws {
        var parser = HTTPResponseParser()
        parser.append(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial body"))
        #expect(try parser.next() == nil)
        let response = try #require(try parser.endOfStream())
        #expect(response.bodyText == "partial body")
        #expect(response.closesConnection)
    }

    @Test("given a stream closed in the middle of a body, or a bad status line or chunk size, then parsing fails")
    func malformed() throws {
        var truncated = HTTPResponseParser()
        truncated.append(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
        #expect(try truncated.next() == nil)
        #expect(throws: HTTPClientError.connectionClosed) { try truncated.endOfStream() }

        var garbage = HTTPResponseParser()
        garbage.append(bytes("SMTP ready\r\n\r\n"))
        #expect(throws: HTTPClientError.self) { try garbage.next() }

        var badChunk = HTTPResponseParser()
        badChunk.append(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        #expect(throws: HTTPClientError.self) { try badChunk.next() }
    }

    @Test("given latencies, then percentiles are by nearest rank")
    func percentiles() {
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

    @Test("given form fields, then they are percent-encoded; and a request carries Host, headers and Content-Length")
    func requests() {
        #expect(HTTPRequestBuilder.formEncoded([("csrf", "a+b/c="), ("username", "bench-analyst"), ("password", "x y&z")])
                == "csrf=a%2Bb%2Fc%3D&username=bench-analyst&password=x%20y%26z")
        let text = String(decoding: HTTPRequestBuilder.request(method: "POST", path: "/login", host: "127.0.0.1:8080", headers: [("Cookie", "a=b")], body: Array("k=v".utf8)), as: UTF8.self)
        #expect(text.hasPrefix("POST /login HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(text.contains("\r\nCookie: a=b\r\n"))
        #expect(text.hasSuffix("Content-Length: 3\r\n\r\nk=v"))
        let get = String(decoding: HTTPRequestBuilder.request(method: "GET", path: "/", host: "h"), as: UTF8.self)
        #expect(!get.contains("Content-Length"))
    }
}

/// How `bench load` judges the server's memory.
@Suite struct MemoryFlatnessTests {
    func samples(_ values: [Double]) -> [MemorySample] {
        values.enumerated().map { MemorySample(at: UInt64($0.offset) * 1_000_000_000, rss: $0.element, anon: $0.element - 40, file: 40) }
    }

    @Test func givenAStepAtTheImportAndFlatAfterThenItIsFlatAndTheStepIsReported() {
        let values = Array(repeating: 100.0, count: 15) + Array(repeating: 160.0, count: 45)
        let verdict = MemorySample.flatness(samples(values), importWindow: (15_000_000_000, 16_000_000_000))
        #expect(verdict.flat)
        #expect(verdict.text.contains("stepped it by +60 MiB") && verdict.text.contains("flat"))
    }

    @Test func givenGrowthAfterTheImportThenItIsGrowing() {
        let values = Array(repeating: 100.0, count: 15) + (0..<45).map { 160.0 + Double($0) * 2 }
        let verdict = MemorySample.flatness(samples(values), importWindow: (15_000_000_000, 16_000_000_000))
        #expect(!verdict.flat && verdict.text.hasSuffix("GROWING"))
    }

    @Test func givenNoImportThenTheWholeWindowIsJudged() {
        #expect(MemorySample.flatness(samples(Array(repeating: 100.0, count: 30) + Array(repeating: 140.0, count: 30)), importWindow: nil).flat == false)
        #expect(MemorySample.flatness(samples(Array(repeating: 100.0, count: 60)), importWindow: nil).flat)
    }

    @Test func givenTooLittleAfterTheImportThenTheWholeWindowIsJudged() {
        let values = Array(repeating: 100.0, count: 50) + Array(repeating: 160.0, count: 10)
        let verdict = MemorySample.flatness(samples(values), importWindow: (50_000_000_000, 51_000_000_000))
        #expect(!verdict.flat && verdict.text.contains("too little"))
    }
}

@Suite struct MemoryArenasTests {
    @Test func givenNoAllocatorSettingsWhenLimitedThenGlibcTakesItAndSettingsInTheEnvironmentWin() {
        #if canImport(Glibc)
        #expect(MemoryArenas.limit(to: 8, environment: [:]))
        #endif
        #expect(!MemoryArenas.limit(to: 2, environment: ["MALLOC_ARENA_MAX": "4"]))
        #expect(!MemoryArenas.limit(to: 2, environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=4"]))
    }
}
