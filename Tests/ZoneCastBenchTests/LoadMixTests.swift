import Foundation
import Testing
@testable import ZoneCastBench

/// `bench load`'s traffic: the mix, and patrol visits that never overlap for one officer.
@Suite struct LoadMixTests {
    func benchmark(connections: Int, officers: Int) -> LoadBenchmark {
        LoadBenchmark(seconds: 60, warmup: 3, connections: connections, officers: officers, rows: 200_000, importRows: 0, importAfter: 15, cycleAge: 90,
                      timeout: 10, seed: 1, port: 0, database: nil, workDir: nil)
    }

    @Test func givenTheMixThenItsRequestsWeightsAndStatusesAreTheDocumentedOnes() async throws {
        let bench = benchmark(connections: 4, officers: 2)
        let targets = bench.makeTargets(analyst: "A", officers: [("S0", "T0"), ("S1", "T1")], cycle: "C-1", zones: ["Z1", "Z2", "Z3"])
        #expect(targets.map(\.name) == ["GET /", "GET /zones/{c}/{z}", "GET /api/zones", "GET /officer", "POST /api/patrols", "GET /api/patrols"])
        #expect(targets.map(\.weight) == [2, 2, 1, 1, 2, 1])
        #expect(targets.map(\.expectedStatus) == [200, 200, 200, 200, 201, 200])
        #expect(targets[1].request(connection: 1, use: 1).path == "/zones/C-1/Z3")
        #expect(targets[0].request(connection: 3, use: 9).headers.first?.value == "zc_session=A")
        // Connection 3 is officer 3 mod 2 = 1.
        #expect(targets[3].request(connection: 3, use: 0).headers.first?.value == "zc_session=S1")
        let post = targets[4].request(connection: 3, use: 2)
        #expect(post.method == "POST" && post.path == "/api/patrols")
        #expect(post.headers.contains { $0.name == "X-CSRF-Token" && $0.value == "T1" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        #expect(json["cycle"] as? String == "C-1")
        #expect(json["zone"] as? String == "Z3")
        #expect((json["startedAt"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func givenConnectionsSharingOfficersThenNoOfficersVisitsOverlapAndTheCheckVisitLiesAfterThemAll() async {
        let anchor = 1_700_000_000.0
        for (connections, officers) in [(50, 50), (50, 7), (3, 5), (10, 1)] {
            var byOfficer: [Int: [(start: Double, end: Double)]] = [:]
            for c in 0..<connections {
                for n in 0..<20 {
                    let v = LoadBenchmark.visit(connection: c, use: n, connections: connections, officers: officers, anchor: anchor)
                    #expect(v.end - v.start == LoadBenchmark.visitSeconds)
                    #expect(v.end <= anchor)
                    byOfficer[c % officers, default: []].append(v)
                }
            }
            for visits in byOfficer.values {
                let sorted = visits.sorted { $0.start < $1.start }
                for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.end <= b.start, "\(connections) connections, \(officers) officers") }
            }
            let check = LoadBenchmark.visit(connection: connections + 1_000, use: 0, connections: connections, officers: officers, anchor: anchor)
            #expect(check.start > anchor)
        }
    }

    @Test func givenSecondsThenTheInstantIsISO8601InUTC() async {
        #expect(LoadBenchmark.isoSeconds(0) == "1970-01-01T00:00:00Z")
        #expect(LoadBenchmark.isoSeconds(1_738_317_600.9) == "2025-01-31T10:00:00Z")
    }
}

/// How `bench load` judges the server's memory.
@Suite struct MemoryFlatnessTests {
    func samples(_ values: [Double]) -> [MemorySample] {
        values.enumerated().map { MemorySample(at: UInt64($0.offset) * 1_000_000_000, rss: $0.element, anon: $0.element - 40, file: 40) }
    }

    @Test func givenAStepAtTheImportAndFlatAfterThenItIsFlatAndTheStepIsReported() async {
        let values = Array(repeating: 100.0, count: 15) + Array(repeating: 160.0, count: 45)
        let verdict = MemorySample.flatness(samples(values), importWindow: (15_000_000_000, 16_000_000_000))
        #expect(verdict.flat)
        #expect(verdict.text.contains("stepped it by +60 MiB") && verdict.text.contains("flat"))
    }

    @Test func givenGrowthAfterTheImportThenItIsGrowing() async {
        let values = Array(repeating: 100.0, count: 15) + (0..<45).map { 160.0 + Double($0) * 2 }
        let verdict = MemorySample.flatness(samples(values), importWindow: (15_000_000_000, 16_000_000_000))
        #expect(!verdict.flat && verdict.text.hasSuffix("GROWING"))
    }

    @Test func givenNoImportThenTheWholeWindowIsJudged() async {
        #expect(MemorySample.flatness(samples(Array(repeating: 100.0, count: 30) + Array(repeating: 140.0, count: 30)), importWindow: nil).flat == false)
        #expect(MemorySample.flatness(samples(Array(repeating: 100.0, count: 60)), importWindow: nil).flat)
    }

    @Test func givenTooLittleAfterTheImportThenTheWholeWindowIsJudged() async {
        let values = Array(repeating: 100.0, count: 50) + Array(repeating: 160.0, count: 10)
        let verdict = MemorySample.flatness(samples(values), importWindow: (50_000_000_000, 51_000_000_000))
        #expect(!verdict.flat && verdict.text.contains("too little"))
    }
}
