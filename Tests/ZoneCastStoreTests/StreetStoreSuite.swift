import Foundation
import Testing
import ZoneCastCore
import ZoneCastStreets
@testable import ZoneCastStore

@Suite("StreetStore contract")
struct StreetStoreSuite {
    func store(_ kind: StoreKind) async throws -> any StreetStore {
        try await kind.make()
    }

    let t0 = Date(timeIntervalSince1970: 1_700_000_123.25)

    func p(_ lat: Double, _ lon: Double) -> GeoPoint { GeoPoint(latitude: lat, longitude: lon) }

    /// Main St runs east along 39.1 from -94.60 to -94.58; Oak Ave north along -94.59; an unnamed service road far east.
    var layer: StoredStreetLayer {
        StoredStreetLayer(
            streets: [
                Street(name: "Main St", streetClass: .primary, points: [p(39.1, -94.6), p(39.1, -94.59), p(39.1000001, -94.58)]),
                Street(name: "Oak Ave", streetClass: .residential, points: [p(39.09, -94.59), p(39.11, -94.59)]),
                Street(name: "", streetClass: .service, points: [p(39.2, -94.3), p(39.21, -94.29)]),
            ],
            landmarks: [Landmark(name: "Central High School", kind: .school, location: p(39.105, -94.595))],
            source: "kc-streets.geojson", importedAt: t0)
    }

    @Test("given a new store, then it has no street layer and its version says none", arguments: StoreKind.available)
    func empty(kind: StoreKind) async throws {
        let s = try await store(kind)
        await #expect(try s.streetLayer() == nil)
        await #expect(try s.streetLayerVersion() == "none")
        await #expect(try s.streets(intersecting: GeoBoundingBox(minLatitude: -90, minLongitude: -180, maxLatitude: 90, maxLongitude: 180)).isEmpty)
    }

    @Test("given a layer, when stored, then streets, landmarks, source and time read back exactly, in order", arguments: StoreKind.available)
    func roundTrip(kind: StoreKind) async throws {
        let s = try await store(kind)
        try await s.replaceStreetLayer(layer)
        let back = try #require(try await s.streetLayer())
        #expect(back == layer)
        #expect(back.streets[2].name.isEmpty && back.streets[0].points[2].latitude == 39.1000001)
        #expect(back.streetCountsByClass.map(\.streetClass) == [.primary, .residential, .service])
        await #expect(try s.streetLayerVersion() != "none")
    }

    @Test("given a layer, when streets meeting a box are asked for, then those whose box overlaps or touches it come back", arguments: StoreKind.available)
    func spatialQuery(kind: StoreKind) async throws {
        let s = try await store(kind)
        try await s.replaceStreetLayer(layer)
        // A box west of Oak Ave touching Main St only.
        let west = GeoBoundingBox(minLatitude: 39.095, minLongitude: -94.61, maxLatitude: 39.1, maxLongitude: -94.595)
        await #expect(try s.streets(intersecting: west).map(\.name) == ["Main St"])
        // Its right edge moved onto Oak Ave's line: both, in stored order.
        let touching = GeoBoundingBox(minLatitude: 39.095, minLongitude: -94.61, maxLatitude: 39.1, maxLongitude: -94.59)
        await #expect(try s.streets(intersecting: touching).map(\.name) == ["Main St", "Oak Ave"])
        let far = GeoBoundingBox(minLatitude: 39.205, minLongitude: -94.3, maxLatitude: 39.3, maxLongitude: -94.2)
        await #expect(try s.streets(intersecting: far).map(\.streetClass) == [.service])
        let nowhere = GeoBoundingBox(minLatitude: 40, minLongitude: -94.61, maxLatitude: 41, maxLongitude: -94.5)
        await #expect(try s.streets(intersecting: nowhere).isEmpty)
    }

    @Test("given a stored layer, when another is imported, then it replaces the first whole and the version moves", arguments: StoreKind.available)
    func replaces(kind: StoreKind) async throws {
        let s = try await store(kind)
        try await s.replaceStreetLayer(layer)
        let first = try await s.streetLayerVersion()
        await #expect(try s.streetLayerVersion() == first)  // reading does not move it
        let second = StoredStreetLayer(streets: [Street(name: "Elm St", streetClass: .tertiary, points: [p(39.0, -94.5), p(39.01, -94.5)])],
                                       source: "osm.pbf", importedAt: t0 + 3_600)
        try await s.replaceStreetLayer(second)
        await #expect(try s.streetLayer() == second)
        let next = try await s.streetLayerVersion()
        #expect(next != first && next != "none")
        let everywhere = GeoBoundingBox(minLatitude: -90, minLongitude: -180, maxLatitude: 90, maxLongitude: 180)
        await #expect(try s.streets(intersecting: everywhere).map(\.name) == ["Elm St"])
        try await s.replaceStreetLayer(second)  // the same layer again is still a new import
        await #expect(try s.streetLayerVersion() != next)
    }

    @Test("given a stored layer, when an import carries a bad feature, then it is refused naming it and the old layer stays",
          arguments: StoreKind.available)
    func failedImportKeepsOld(kind: StoreKind) async throws {
        let s = try await store(kind)
        try await s.replaceStreetLayer(layer)
        let version = try await s.streetLayerVersion()
        var bad = layer
        bad.source = "broken.geojson"
        bad.streets.append(Street(name: "Stub", streetClass: .other, points: [p(39.3, -94.3)]))
        await #expect(throws: StoreError.invalidStreet(index: 3, field: "points", value: "1 point(s); a street needs at least 2")) {
            try await s.replaceStreetLayer(bad)
        }
        var impossible = layer
        impossible.landmarks = [Landmark(name: "Nowhere", kind: .park, location: p(95, 0))]
        await #expect(throws: StoreError.self) { try await s.replaceStreetLayer(impossible) }
        await #expect(try s.streetLayer() == layer)
        await #expect(try s.streetLayerVersion() == version)
    }
}
