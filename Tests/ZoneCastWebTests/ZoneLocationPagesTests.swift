import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastServices
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastStreets
import ZoneCastZoning
import ZoneCastAccess
@testable import ZoneCastWeb

/// Issue #14, zones named by their streets: every page and export that shows a zone says where it is in words from
/// the street layer, and a refused proposal adjustment keeps what was typed inside the normal page.
@Suite("Zone locations on the pages and in the API", .serialized)
struct ZoneLocationPagesTests {
    /// The approved fixture (C1 active, Z1 assigned to the Traffic Division) with the synthetic street layer and a
    /// meeting reviewing C1.
    static func store(streets: Bool = true) async throws -> SQLiteIncidentStore {
        let store = try await ApprovedFixture.store()
        if streets { try await store.replaceStreetLayer(SyntheticStreetFixture.stored) }
        _ = try await store.apply([try .save(Meeting(id: "M-loc", title: "IRIS", scheduledAt: WebFixture.now.addingTimeInterval(86_400), cycleID: "C1",
                                                     attendees: ["a"], createdBy: "commander", createdAt: WebFixture.now))])
        return store
    }

    /// Each zone of C1 described independently of the server: the stored layer projected here, the cycle's grid.
    static func expected(_ store: SQLiteIncidentStore) async throws -> [(id: String, location: ZoneLocation)] {
        let jurisdiction = try #require(try await store.jurisdiction())
        let record = try #require(try await store.cycle(id: "C1"))
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        let layer = try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction)
        let locator = ZoneLocations.standard(for: jurisdiction)
        return cycle.zones.map { ($0.id, locator.location(ofCells: $0.zone.cells, grid: grid, projection: jurisdiction.projection, layer: layer)) }
    }

    static func escaped(_ text: String) -> String { HTML(text: text).description }

    @Test("""
        given a street layer, when the zone page, proposal, meeting, briefing, deployment page, officer's card and officer's home are \
        shown, then each gives Z1's street description
        """)
    func pagesShowTheDescription() async throws {
        // Given
        let store = try await Self.store()
        let zones = try await Self.expected(store)
        let z1 = try #require(zones.first { $0.id == "Z1" }).location
        #expect(z1.usedStreetLayer && !z1.streets.isEmpty, "\(z1.locationDescription)")
        let env = WebEnvironment(store: store, configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await Browser.signedIn(client, as: "analyst")
            let commander = try await Browser.signedIn(client, as: "commander")
            let officer = try await Browser.signedIn(client, as: "officer")
            // When
            let pages = [("zone page", try await analyst.get(client, "/zones/C1/Z1")), ("proposal", try await analyst.get(client, "/proposals/C1")),
                         ("meeting", try await analyst.get(client, "/meetings/M-loc")), ("briefing", try await analyst.get(client, "/meetings/M-loc/briefing")),
                         ("deployment", try await commander.get(client, "/deployments/C1")), ("officer card", try await officer.get(client, "/zones/C1/Z1")),
                         ("officer home", try await officer.get(client, "/officer"))]
            // Then
            for (name, page) in pages {
                #expect(page.status == .ok, "\(name): \(page.status)")
                let named = page.text.contains(Self.escaped(z1.locationDescription)), fallback = page.text.contains("No street layer is loaded")
                #expect(named && !fallback, "\(name) lacks \(z1.locationDescription)")
            }
            #expect(pages[5].1.text.contains("id=\"zone-card\""), "the officer gets the card")
            #expect(pages[6].1.text.contains("id=\"where-Z1\"><strong>Where:</strong> \(Self.escaped(z1.locationDescription))"), "the officer's home")
            // The briefing: every zone with its description, its units (Z1: the Traffic Division) and the Koper guidance.
            let briefing = pages[3].1.text
            for (id, location) in zones {
                #expect(briefing.contains("id=\"location-\(id)\"") && briefing.contains(Self.escaped(location.locationDescription)), "briefing \(id)")
            }
            #expect(briefing.contains("id=\"units-Z1\"><strong>Units assigned:</strong> \(PatrolUnit.traffic.name)</p>"))
            #expect(briefing.components(separatedBy: "Koper 1995").count - 1 == zones.count)
        }
    }

    @Test("given a street layer, when /api/zones, /api/cycles/C1 and /api/zones.geojson are read, then each zone carries locationDescription and streets")
    func apiCarriesTheDescription() async throws {
        // Given
        let store = try await Self.store()
        let expected = Dictionary(uniqueKeysWithValues: try await Self.expected(store).map { ($0.id, $0.location) })
        let env = WebEnvironment(store: store, configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await Browser.signedIn(client, as: "analyst")
            // When
            let zones = try jsonObject(try await analyst.get(client, "/api/zones"))
            let cycle = try jsonObject(try await analyst.get(client, "/api/cycles/C1"))
            let geojson = try jsonObject(try await analyst.get(client, "/api/zones.geojson"))
            // Then
            let active = try #require((zones["active"] as? [String: Any])?["zones"] as? [[String: Any]])
            let detailed = try #require(cycle["zones"] as? [[String: Any]])
            let features = try #require(geojson["features"] as? [[String: Any]]).compactMap { $0["properties"] as? [String: Any] }
            for (source, list) in [("zones", active), ("cycle", detailed), ("geojson", features)] {
                #expect(list.count == expected.count, "\(source)")
                for zone in list {
                    let id = try #require(zone["id"] as? String), want = try #require(expected[id])
                    #expect(zone["locationDescription"] as? String == want.locationDescription, "\(source) \(id)")
                    #expect(zone["streets"] as? [String] == want.streets, "\(source) \(id)")
                }
            }
        }
    }

    @Test("given no street layer, when the API and the zone page describe a zone, then they say so and give its centre")
    func withoutStreetLayer() async throws {
        // Given
        let store = try await Self.store(streets: false)
        let z1 = try #require(try await Self.expected(store).first { $0.id == "Z1" }).location
        #expect(!z1.usedStreetLayer && z1.locationDescription.hasPrefix("No street layer is loaded; zone centre "))
        let env = WebEnvironment(store: store, configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await Browser.signedIn(client, as: "analyst")
            // When
            let page = try await analyst.get(client, "/zones/C1/Z1")
            let zones = try jsonObject(try await analyst.get(client, "/api/zones"))
            // Then
            #expect(page.text.contains(Self.escaped(z1.locationDescription)))
            let first = try #require(((zones["active"] as? [String: Any])?["zones"] as? [[String: Any]])?.first { $0["id"] as? String == "Z1" })
            #expect(first["locationDescription"] as? String == z1.locationDescription && (first["streets"] as? [String])?.isEmpty == true)
        }
    }

    @Test("given an adjustment with cell input that is not a number, then the proposal page comes back (400) in the normal layout with the reason and what was typed")
    func rejectedAdjustmentKeepsInput() async throws {
        // Given: a proposal still open (the plain fixture's C1).
        let store = try await WebFixture.store()
        let env = WebEnvironment(store: store, configuration: WebConfiguration(), clock: { WebFixture.now })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await Browser.signedIn(client, as: "analyst")
            // When
            let typed = [("action", "suppress-cells"), ("zone", "Z1"), ("cells", "12, abc"), ("point", "37.69, -97.33"), ("radius", "150"),
                         ("points", "37.68,-97.34\n37.70,-97.32"), ("reason", "school <entrance> & yard")]
            let r = try await analyst.post(client, "/proposals/C1/adjustments", typed)
            // Then: refused, nothing recorded, inside the page with the navigation, the reason first, the form as typed.
            #expect(r.status == .badRequest)
            await #expect(try store.documents(ProposalAdjustment.self, group: "C1").isEmpty)
            let text = r.text
            #expect(text.contains("<header class=\"top\">") && text.contains("aria-current=\"page\">Proposals</a>"))
            #expect(text.contains("id=\"adjust-error\"") && text.contains("cells &quot;abc&quot;"), "\(text.prefix(2_000))")
            #expect(text.contains("<option value=\"suppress-cells\" selected>") && text.contains("<option value=\"Z1\" selected>"))
            #expect(text.contains("name=\"cells\" inputmode=\"numeric\" placeholder=\"e.g. 48211, 48212\" value=\"12, abc\""))
            #expect(text.contains("value=\"37.69, -97.33\"") && text.contains("value=\"150\""))
            #expect(text.contains("<textarea name=\"points\" rows=\"3\">37.68,-97.34\n37.70,-97.32</textarea>"))
            #expect(text.contains(">school &lt;entrance&gt; &amp; yard</textarea>") && !text.contains("<entrance>"))
            // A fresh page has the form empty.
            let fresh = try await analyst.get(client, "/proposals/C1")
            #expect(!fresh.text.contains("id=\"adjust-error\"") && !fresh.text.contains("value=\"12, abc\""))
        }
    }
}
