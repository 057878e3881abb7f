import Foundation
import Testing
import ZoneCastCore
import ZoneCastPlanning
import ZoneCastStore

/// A forecast origin after the main source stopped: the last 28 days hold a fraction of a typical span.
struct RecordCoverageTests {
    @Test("given 12 earlier spans of about 100 incidents, then 24 in the last is thin, 25 is not; with spans under 20, nothing is said")
    func thresholds() throws {
        let earlier = [90, 95, 100, 100, 100, 100, 105, 110, 120, 100, 98, 102]
        let thin = try #require(RecordCoverage.thinEnd(recent: 24, earlier: earlier))
        #expect(thin.recent == 24 && abs(thin.typical - 100) < 1e-9)
        #expect(RecordCoverage.thinEnd(recent: 25, earlier: earlier) == nil)
        #expect(RecordCoverage.thinEnd(recent: 0, earlier: Array(repeating: 19, count: 12)) == nil)
        #expect(RecordCoverage.thinEnd(recent: 0, earlier: []) == nil)
    }

    @Test("given a store with 30 incidents in each 28 days of a year and then 2 in the last 28, when asked before the origin, then the end is thin")
    func fromStore() async throws {
        let store = InMemoryIncidentStore()
        let origin = Date(timeIntervalSince1970: 1_514_764_800)   // 1 Jan 2018 UTC
        var incidents: [Incident] = []
        for span in 1...12 {
            for k in 0..<30 { incidents.append(Self.incident("s\(span)-\(k)", at: origin.addingTimeInterval(-Double(span) * 28 * 86_400 - Double(k) * 3_600 - 60))) }
        }
        incidents += [Self.incident("late1", at: origin.addingTimeInterval(-86_400)), Self.incident("late2", at: origin.addingTimeInterval(-2 * 86_400))]
        let info = ImportBatchInfo(source: "t", mappingName: "t", fileName: "t.csv", fileSHA256: "t", startedAt: origin)
        _ = try await store.importBatch(info, weights: .cambridgeDefaults, clock: { origin }) { writer in
            var counts = ImportCounts()
            for (line, i) in incidents.enumerated() {
                await counts.count(try await writer.accept(i, fingerprint: RowFingerprint(high: UInt64(line), low: 7), lineNumber: line + 2))
            }
            return counts
        }
        let thin = try #require(try await RecordCoverage.thinEnd(in: store, before: origin))
        #expect(thin.recent == 2 && abs(thin.typical - 30) < 1e-9)
        #expect(try await RecordCoverage.thinEnd(in: store, before: origin.addingTimeInterval(-28 * 86_400)) == nil)
    }

    static func incident(_ id: String, at: Date) -> Incident {
        Incident(id: IncidentID(source: "t", recordID: id), category: .robbery, offence: "Robbery", occurredAt: at, occurredPrecision: .exact,
                 timeZoneIdentifier: "UTC", localDate: LocalTimeConverter(timeZone: .gmt).localDate(of: at),
                 location: GeoPoint(latitude: 39, longitude: -94.5), position: PlanarPoint(xMeters: 0, yMeters: 0), rawRow: id)
    }
}
