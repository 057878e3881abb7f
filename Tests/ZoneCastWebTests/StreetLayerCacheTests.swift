import Foundation
import Testing
import ZoneCastCore
import ZoneCastIngest
import ZoneCastStore
import ZoneCastStreets
import ZoneCastSynthetic
@testable import ZoneCastWeb

/// The synthetic city's street network (what `zonecast demo` imports), read and clipped as `zonecast streets import`
/// does, with the names optionally rewritten (a second import that a test can tell from the first).
enum StreetMapsFixture {
    static let read: StreetReadResult = try! StreetReaders.osm(SyntheticStreetNetwork(seed: 7).geoJSON(), source: "synthetic")

    static func importStreets(into store: any AppStore, renaming rename: (String) -> String = { $0 }) async throws {
        let jurisdiction = try #require(try await store.jurisdiction())
        let kept = StreetImport.clip(read, to: jurisdiction)
        let streets = kept.streets.map { Street(name: rename($0.name), streetClass: $0.streetClass, points: $0.points) }
        try await store.replaceStreetLayer(StoredStreetLayer(streets: streets, landmarks: kept.landmarks, source: "synthetic streets",
                                                             importedAt: WebFixture.now))
    }

    /// The texts of the street labels a page's maps placed (`data-labels="streets"` groups).
    static func streetLabels(_ page: String) -> [String] {
        page.components(separatedBy: "data-labels=\"streets\"").dropFirst().flatMap { group -> [String] in
            let body = group.components(separatedBy: "</g>").first ?? ""
            return body.components(separatedBy: "</text>").dropLast().compactMap { $0.components(separatedBy: ">").last }
        }
    }
}

@Suite("The street layer cache")
struct StreetLayerCacheTests {
    @Test("given an in-memory store, when the layer is asked for before, between and after imports, then it is built once per import version and the new import is what is returned")
    func keyedByVersion() async throws {
        // Given: the synthetic city without streets.
        let store = InMemoryIncidentStore()
        try await store.setJurisdiction(SyntheticCity().jurisdiction)
        let env = WebEnvironment(store: store, clock: { WebFixture.now })
        #expect(try await env.streetLayer()?.streets.count == nil)
        #expect(env.streetLayers.buildCount == 0)
        // When: imported, and asked for twice.
        try await StreetMapsFixture.importStreets(into: store)
        let first = try #require(try await env.streetLayer())
        let again = try #require(try await env.streetLayer())
        // Then: one build, the network's streets.
        #expect(env.streetLayers.buildCount == 1)
        #expect(first.streets.count == again.streets.count && first.streets.contains(where: { $0.street.name == "Broadway" }))
        // When: re-imported with other names, and asked for by many requests at once.
        try await StreetMapsFixture.importStreets(into: store) { "\($0) (2)" }
        let layers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await env.streetLayer()?.streets.filter { $0.street.name == "Broadway (2)" }.count ?? 0 } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        // Then: the new layer, built once for all of them.
        #expect(layers.count == 8 && layers.allSatisfy { $0 > 0 })
        #expect(env.streetLayers.buildCount == 2)
        #expect(try await env.streetLayer()?.streets.contains(where: { $0.street.name == "Broadway" }) == false)
    }
}
