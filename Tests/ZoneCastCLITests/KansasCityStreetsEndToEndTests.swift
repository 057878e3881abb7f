import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastWeb

/// Issue #14's "Done when" on real data: Kansas City's 2017 records with the street layer derived from its GVA and
/// FARS addresses (the only real street data for Kansas City on these machines) name every proposed zone by real
/// streets at the command line, and the zone page and proposal page draw those streets and show the names.
@Suite("Kansas City end to end: real incidents, streets derived from real addresses, named zones on the pages", .serialized)
struct KansasCityStreetsEndToEndTests {
    static let kcpd = AddressStreetsCLITests.shared.appendingPathComponent("kc_kcpd_2017_victims_subset/kcpd_2017_victims_geocoded.csv")

    @Test("""
        given KCPD's 2017 victims and GVA's shootings imported and streets derived from GVA and FARS, when zones are proposed for \
        20 Nov 2017, then every zone's locationDescription and streets come from the layer (real street names, not the centre \
        coordinates), and its zone page and the proposal page draw the street layer and print the description
        """, .enabled(if: zonecastBinary != nil && AddressStreetsCLITests.kansasCityPresent && FileManager.default.fileExists(atPath: kcpd.path),
                      "needs the zonecast binary (swift build --build-tests) and ../shared/data's KCPD, GVA and FARS files"))
    func namedZonesOnThePages() async throws {
        // Given
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gva = AddressStreetsCLITests.gva.path, fars = AddressStreetsCLITests.fars.path
        for (preset, file) in [("kcpd-2017-victims", Self.kcpd.path), ("gva", gva)] {
            let imported = try runZonecast(["import", "--db", "kc.sqlite", "--preset", preset, file], in: dir)
            try #require(imported.status == 0, "\(preset): \(imported.err)")
        }
        let derived = try runZonecast(["streets", "derive", "--db", "kc.sqlite", gva, fars, "--address-column", "address,TWAY_ID",
                                       "--second-name-column", "TWAY_ID2", "--latitude-column", "latitude,LATITUDE",
                                       "--longitude-column", "longitude,LONGITUD", "--class-column", "ROAD_FNC=fars-road-fnc",
                                       "--class-column", "FUNC_SYS=func-sys"], in: dir)
        try #require(derived.status == 0, "\(derived.err)")

        // When
        let proposed = try runZonecast(["propose", "--db", "kc.sqlite", "--at", "2017-11-20T06:00:00Z", "--json"], in: dir)
        try #require(proposed.status == 0, "\(proposed.err)")

        // Then: each zone is described by streets of the layer, with its bounding streets ("A to B, between C and D")
        struct Proposal: Decodable {
            struct Zone: Decodable { var id: String; var locationDescription: String; var streets: [String] }
            var zones: [Zone]
            var cycle: String?
        }
        let proposal = try JSONDecoder().decode(Proposal.self, from: Data(proposed.out.utf8))
        #expect(!proposal.zones.isEmpty)
        for zone in proposal.zones {
            print("Kansas City \(zone.id): \(zone.locationDescription)")
            #expect(!zone.streets.isEmpty, "\(zone.id) names no street")
            #expect(zone.locationDescription.contains(" between ") && zone.streets.contains { zone.locationDescription.contains($0) },
                    "\(zone.id): \(zone.locationDescription)")
            #expect(!zone.locationDescription.contains("zone centre"), "\(zone.id) fell back to coordinates: \(zone.locationDescription)")
        }
        #expect(proposal.zones.contains { $0.streets.contains("Prospect Ave") }, "no zone on Prospect Ave: \(proposal.zones.map(\.streets))")

        // Then on the pages
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("kc.sqlite").path, auditKey: try cliAuditKey(in: dir))
        let cycle = try #require(try await store.cycles().first?.id)
        try await store.addAccount(Account(username: "analyst", displayName: "Analyst", role: .analyst, units: [],
                                           passwordHash: Passwords.hash("correct horse battery", cost: 4), mustChangePassword: false,
                                           createdAt: Date()))
        try await Application(router: buildRouter(WebEnvironment(store: store))).test(.router) { client in
            let login = try await client.execute(uri: "/login", method: .get)
            let csrf = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("zc_login_csrf=") }?
                .split(separator: ";").first.map { String($0.dropFirst("zc_login_csrf=".count)) })
            let signedIn = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "zc_login_csrf=\(csrf)"],
                                                    body: ByteBuffer(string: "csrf=\(csrf)&username=analyst&password=correct+horse+battery"))
            let session = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("zc_session=") }?.split(separator: ";").first,
                                       "sign-in: \(signedIn.status) \(String(buffer: signedIn.body).prefix(300))")
            for zone in proposal.zones {
                let page = try await client.execute(uri: "/zones/\(cycle)/\(zone.id)", method: .get, headers: [.cookie: String(session)])
                let text = String(buffer: page.body)
                #expect(page.status == .ok, "\(zone.id): \(page.status)")
                #expect(text.contains("data-layer=\"streets-"), "\(zone.id)'s map draws no streets")
                #expect(text.contains(zone.streets[0].replacingOccurrences(of: "'", with: "&#39;")), "\(zone.id)'s page does not name \(zone.streets[0])")
            }
            let review = try await client.execute(uri: "/proposals/\(cycle)", method: .get, headers: [.cookie: String(session)])
            #expect(review.status == .ok && String(buffer: review.body).contains("data-layer=\"streets-"))
        }
    }
}
