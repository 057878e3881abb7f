import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastStore
@testable import ZoneCastWeb

/// Paging /api/incidents by its `next` links: the link carries the last incident's position, so incidents sharing
/// one time (a records system's midnight default, a batch entered at once) are neither repeated nor skipped.
@Suite("API incidents paging")
struct APIIncidentPagingTests {
    static let at = ISO8601DateFormatter().date(from: "2024-05-01T00:00:00Z")!

    /// Eleven incidents at one second, from two sources whose names share a prefix, and three later ones.
    static func store() async throws -> InMemoryIncidentStore {
        let store = InMemoryIncidentStore()
        let city = try Presets.jurisdiction("synthetic-city")
        try await store.setJurisdiction(city)
        let place = city.projectionOrigin, position = city.projection.project(city.projectionOrigin)
        var incidents = (1...6).map { Self.incident("kc", "\($0)", at: at, place: place, position: position) }
        incidents += (1...5).map { Self.incident("kc-gva", "\($0)", at: at, place: place, position: position) }
        incidents += (1...3).map { Self.incident("kc", "late\($0)", at: at.addingTimeInterval(Double($0) * 3_600), place: place, position: position) }
        incidents.shuffle()
        let info = ImportBatchInfo(source: "test", mappingName: "test", fileName: "t.csv", fileSHA256: "t", startedAt: at)
        _ = try await store.importBatch(info, weights: .cambridgeDefaults, clock: { at }) { writer in
            var counts = ImportCounts()
            for (line, incident) in incidents.enumerated() {
                counts.rowsRead += 1
                await counts.count(try await writer.accept(incident, fingerprint: RowFingerprint(high: UInt64(truncatingIfNeeded: incident.rawRow.hashValue), low: UInt64(line)), lineNumber: line + 2))
            }
            return counts
        }
        try await store.addAccount(Account(username: "analyst", displayName: "The analyst", role: .analyst, units: [],
                                           passwordHash: Passwords.hash(WebFixture.password, cost: 4), mustChangePassword: false, createdAt: at))
        return store
    }

    static func incident(_ source: String, _ record: String, at: Date, place: GeoPoint, position: PlanarPoint) -> Incident {
        Incident(id: IncidentID(source: source, recordID: record), category: .robbery, offence: "Robbery", occurredAt: at, occurredPrecision: .exact,
                 timeZoneIdentifier: "America/Chicago", localDate: LocalTimeConverter(timeZone: TimeZone(identifier: "America/Chicago")!).localDate(of: at),
                 location: place, position: position, rawRow: "\(source),\(record)")
    }

    @Test("given 11 incidents at one second and 3 later, when an analyst follows next links 4 at a time, then each of the 14 is read once, in order")
    func followingNextReadsEachOnce() async throws {
        let store = try await Self.store()
        let token = try await storeToken(store, username: "analyst", id: "analystPage1", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let env = WebEnvironment(store: store, clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            var uri: String? = "/api/incidents?from=2024-04-30&to=2024-05-02&limit=4&category=robbery"
            var ids: [String] = [], pages = 0
            while let next = uri, pages < 10 {
                let response = try await client.execute(uri: next, method: .get, headers: bearer(token))
                #expect(response.status == .ok, "\(next): \(response.text.prefix(200))")
                let body = try jsonObject(response)
                ids += try #require(body["incidents"] as? [[String: Any]]).compactMap { $0["id"] as? String }
                #expect(body["truncated"] as? Bool == (body["next"] != nil))
                uri = body["next"] as? String
                pages += 1
            }
            let expected = (1...6).map { "kc:\($0)" } + (1...5).map { "kc-gva:\($0)" } + ["kc:late1", "kc:late2", "kc:late3"]
            #expect(pages == 4)
            #expect(ids == expected)
            #expect(Set(ids).count == 14)
        }
    }

    @Test("given a position that was not written by a next link, when passed as after, then 400 names the parameter and value")
    func foreignPositionIsRefused() async throws {
        let store = try await Self.store()
        let token = try await storeToken(store, username: "analyst", id: "analystPage2", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let env = WebEnvironment(store: store, clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            for value in ["2024-05-01", "!!!", "bm9wZQ"] {
                let response = try await client.execute(uri: "/api/incidents?from=2024-04-30&after=\(value)", method: .get, headers: bearer(token))
                let message = try jsonObject(response)["error"] as? String ?? ""
                #expect(response.status == .badRequest && message.hasPrefix("after \"\(value)\""), "\(value): \(message)")
            }
        }
    }
}
