import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastStreets
@testable import ZoneCastWeb

@Suite("Streets on every map", .serialized)
struct StreetMapsTests {
    static func get(_ client: some TestClientProtocol, _ uri: String, as user: String = "analyst") async throws -> TestResponse {
        let s = try #require(try await signIn(client, as: user).cookieValue("zc_session"))
        return try await client.execute(uri: uri, method: .get, headers: [.cookie: "zc_session=\(s)"])
    }

    @Test("given the synthetic street network in the store, when the zone page, the proposal and the dashboard are shown, then each map draws streets by class, lists them in its legend and labels streets of the network by name")
    func streetsOnPages() async throws {
        // Given
        let store = try await WebFixture.store()
        try await StreetMapsFixture.importStreets(into: store)
        let names = Set(StreetMapsFixture.read.streets.map(\.name))
        let env = WebEnvironment(store: store, configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            for page in ["/zones/C1/Z1", "/proposals/C1", "/"] {
                // When
                let response = try await Self.get(client, page)
                // Then
                #expect(response.status == .ok, "\(page)")
                let text = response.text
                #expect(text.contains("data-layer=\"streets-"), "\(page) draws no streets")
                #expect(MapPagesTests.legendKeys(text).contains { $0.hasPrefix("streets-") }, "\(page): the legend lists no streets")
                let labels = StreetMapsFixture.streetLabels(text)
                #expect(!labels.isEmpty, "\(page) labels no street")
                #expect(labels.allSatisfy { names.contains($0) }, "\(page) labels streets the network lacks: \(labels.filter { !names.contains($0) })")
                if page == "/" {
                    // City-wide, the corridors (motorway, trunk, primary) are what gets named.
                    #expect(!Set(labels).isDisjoint(with: ["Interstate 235", "US Highway 81", "Kellogg Parkway", "Broadway"]), "dashboard labels: \(labels)")
                } else {
                    // Zoomed to zones, the block grid's avenues and numbered streets are named.
                    #expect(labels.contains { $0.hasSuffix(" Ave") || $0.hasSuffix(" St") }, "\(page) labels: \(labels)")
                }
            }
            // The layer was built once for all those pages.
            #expect(env.streetLayers.buildCount == 1)
        }
    }

    @Test("given a page drawn with streets, when the street layer is imported again with other names, then the next page shows the new names and not the old")
    func reimportReachesPages() async throws {
        // Given
        let store = try await WebFixture.store()
        try await StreetMapsFixture.importStreets(into: store)
        let env = WebEnvironment(store: store, configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let before = StreetMapsFixture.streetLabels(try await Self.get(client, "/").text)
            #expect(!before.isEmpty)
            let zoneBefore = try await Self.get(client, "/zones/C1/Z1").text
            // When: a re-import (a new street layer version), as `zonecast streets import` from another process would do.
            try await StreetMapsFixture.importStreets(into: store) { $0.uppercased() }
            let after = StreetMapsFixture.streetLabels(try await Self.get(client, "/").text)
            // Then
            #expect(!after.isEmpty && after.allSatisfy { $0 == $0.uppercased() }, "labels after the re-import: \(after)")
            #expect(Set(after).isDisjoint(with: before.filter { $0 != $0.uppercased() }))
            #expect(env.streetLayers.buildCount == 2)
            // The zone page's kept map and its location description follow the new version too.
            let zoneAfter = try await Self.get(client, "/zones/C1/Z1").text
            let zoneLabels = StreetMapsFixture.streetLabels(zoneAfter)
            #expect(!zoneLabels.isEmpty && zoneLabels.allSatisfy { $0 == $0.uppercased() }, "zone page labels after the re-import: \(zoneLabels)")
            let location = { (page: String) in page.components(separatedBy: "id=\"zone-location\"").dropFirst().first?.prefix(300) ?? "" }
            #expect(!location(zoneAfter).isEmpty && location(zoneBefore) != location(zoneAfter))
        }
    }

    @Test("given a store without streets, then pages draw none and their legends list none")
    func noStreetsWithoutLayer() async throws {
        let env = WebEnvironment(store: try await WebFixture.store(), configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let text = try await Self.get(client, "/").text
            #expect(text.contains("class=\"zc-map\"") && !text.contains("data-layer=\"streets-") && StreetMapsFixture.streetLabels(text).isEmpty)
            #expect(env.streetLayers.buildCount == 0)
        }
    }
}

