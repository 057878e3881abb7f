import Foundation
import Testing
import ZoneCastTestSupport
@testable import ZoneCastCore

/// Seeded fuzzing of GeoJSON boundaries: structural edits of valid documents and byte-level damage. Every input
/// either yields a valid multipolygon or a `CoreError.invalidGeoJSON` with a message; nothing crashes.
@Suite("Fuzz: GeoJSON boundaries")
struct FuzzGeoJSONTests {
    static let ring = "[[-94.7,39.0],[-94.5,39.0],[-94.5,39.2],[-94.7,39.2],[-94.7,39.0]]"
    static let hole = "[[-94.65,39.05],[-94.55,39.05],[-94.55,39.15],[-94.65,39.15],[-94.65,39.05]]"
    static let seeds: [String] = [
        #"{"type":"Polygon","coordinates":[\#(ring)]}"#,
        #"{"type":"Polygon","coordinates":[\#(ring),\#(hole)]}"#,
        #"{"type":"MultiPolygon","coordinates":[[\#(ring)],[\#(ring),\#(hole)]]}"#,
        #"{"type":"Feature","properties":{"name":"KC"},"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[\#(ring)]]}},{"type":"Feature","geometry":null}]}"#,
        #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[-94.6,39.1]},{"type":"Polygon","coordinates":[\#(ring)]}]}"#,
    ]

    /// A parsed boundary must be usable: at least one polygon, every ring of 4+ finite WGS84 positions.
    func isValid(_ m: GeoMultiPolygon) -> Bool {
        !m.polygons.isEmpty && m.polygons.allSatisfy { p in
            ([p.outer] + p.holes).allSatisfy { ring in
                ring.count >= 4 && ring.allSatisfy { $0.latitude.isFinite && $0.longitude.isFinite && abs($0.latitude) <= 90 && abs($0.longitude) <= 180 }
            }
        }
    }

    @Test("given 5,000 mutated GeoJSON documents (keys dropped, added, duplicated; types changed; NaN, 1e309, huge and deep arrays; empty rings; byte damage), when parsed, then each is a valid multipolygon or a CoreError with a message")
    func mutatedDocuments() async throws {
        var m = FuzzMutator(seed: 0x6E0_7502)
        var accepted = 0, rejected = 0
        for n in 0..<5_000 {
            let seed = Self.seeds[n % Self.seeds.count]
            let bytes: [UInt8]
            if n % 4 == 3 {
                bytes = m.mutate(Array(seed.utf8), rounds: 1 + m.int(5))
            } else {
                let tree = FuzzMutator.Tree(try JSONDecoder().decode(JSONValue.self, from: Data(seed.utf8)))
                bytes = Array(m.mutate(tree, rounds: 1 + m.int(5)).text.utf8)
            }
            do {
                let boundary = try GeoJSON.multiPolygon(from: Data(bytes))
                #expect(isValid(boundary), "#\(n) accepted an unusable boundary: \(String(decoding: bytes.prefix(300), as: UTF8.self))")
                accepted += 1
            } catch {
                guard case .invalidGeoJSON(let message) = error else { Issue.record("#\(n): \(error)"); continue }
                #expect(message.hasPrefix("$"), "#\(n): the message should start with the JSON path: \(message)")
                #expect(message.count > 3)
                rejected += 1
            }
        }
        print("fuzz geojson: 5000 inputs, \(accepted) accepted, \(rejected) rejected with errors")
        #expect(accepted > 100 && rejected > 1_000)
    }

    @Test("given hand-picked extremes (NaN and Infinity tokens, 1e309, -0, deep nesting, empty and 3-point rings, 50,000 positions, null bytes), when parsed, then nothing crashes and each is refused or valid")
    func extremes() async throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let manyPositions = "[" + Array(repeating: "[-94.6,39.1]", count: 50_000).joined(separator: ",") + "]"
        let cases: [(String, Bool)] = [
            (#"{"type":"Polygon","coordinates":[[[NaN,39],[-94.5,39],[-94.5,39.2],[NaN,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":[[[Infinity,39],[-94.5,39],[-94.5,39.2],[-94.7,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":[[[1e309,39],[-94.5,39],[-94.5,39.2],[-94.7,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":[[[-1e309,39],[-94.5,39],[-94.5,39.2],[-94.7,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":[[[1e-400,-0],[-0,0.5],[0.5,0.5],[1e-400,-0]]]}"#, true),
            (#"{"type":"Polygon","coordinates":[[]]}"#, false),
            (#"{"type":"Polygon","coordinates":[]}"#, false),
            (#"{"type":"Polygon","coordinates":[[[-94.7,39],[-94.5,39],[-94.7,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":[[[true,false],[-94.5,39],[-94.5,39.2],[-94.7,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":[[["-94.7","39"],[-94.5,39],[-94.5,39.2],[-94.7,39]]]}"#, false),
            (#"{"type":"Polygon","coordinates":\#(deep)}"#, false),
            (#"{"type":"Polygon","coordinates":[\#(manyPositions)]}"#, true),
            (#"{"type":"FeatureCollection","features":[\#(String(repeating: #"{"type":"Feature","geometry":null},"#, count: 2_000))null]}"#, false),
            (#"{"type":"Polygon","type":"MultiPolygon","coordinates":[[\#(Self.ring)]]}"#, true),
            ("{\"type\":\"Polygon\u{0}\",\"coordinates\":[\(Self.ring)]}", false),
            ("\u{FEFF}{\"type\":\"Polygon\",\"coordinates\":[\(Self.ring)]}", true),
            ("", false), ("null", false), ("[]", false), ("\"Polygon\"", false), ("{}", false),
        ]
        var nested = #"{"type":"Polygon","coordinates":[\#(Self.ring)]}"#
        for _ in 0..<600 { nested = #"{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[\#(nested)]}}"# }
        var accepted = 0, rejected = 0
        for (k, (text, _)) in (cases + [(nested, false)]).enumerated() {
            do {
                let b = try GeoJSON.multiPolygon(from: Data(text.utf8))
                #expect(isValid(b), "case \(k)")
                accepted += 1
            } catch {
                guard case .invalidGeoJSON(let message) = error else { Issue.record("case \(k): \(error)"); continue }
                #expect(!message.isEmpty)
                rejected += 1
            }
        }
        // Cases that must be refused are refused; the others may go either way (a BOM, duplicate keys, -0) but never crash.
        for (k, (text, mayPass)) in cases.enumerated() where !mayPass {
            #expect(throws: CoreError.self, "case \(k) should be refused") { try GeoJSON.multiPolygon(from: Data(text.utf8)) }
        }
        print("fuzz geojson extremes: \(cases.count + 1) inputs, \(accepted) accepted, \(rejected) rejected with errors")
    }
}
