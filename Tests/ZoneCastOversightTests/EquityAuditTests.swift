import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastOversight

@Suite("Equity audit")
struct EquityAuditTests {
    static let projection = TransverseMercator.local(centeredOn: GeoPoint(latitude: 38.5, longitude: -98))
    /// Four columns and two rows of 100 m cells from the projection's origin.
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 4, rows: 2)

    /// An area that is the planar rectangle [x0, x1] × [y0, y1] (corners unprojected to WGS84).
    static func rect(_ name: String, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> EquityArea {
        let p = projection.prepared()
        let ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)].map { p.unproject(PlanarPoint(xMeters: $0.0, yMeters: $0.1)) }
        return EquityArea(name: name, boundary: GeoMultiPolygon([GeoPolygon(outer: ring)]))
    }

    static func at(_ x: Double, _ y: Double, harm: Double) -> EquityAudit.HarmPoint {
        EquityAudit.HarmPoint(location: projection.unproject(PlanarPoint(xMeters: x, yMeters: y)), harm: harm)
    }

    /// West = columns 0-1, East = columns 2-3. Z1 = cells {0, 1} (west) for 6 days; Z2 = {2, 6} (east) for 4 days;
    /// Z3 = {1, 2} (one cell each side) for 2 days. Harm: 100 in the west, 300 in the east, 100 outside both.
    static let zones = [
        EquityAudit.ZonePeriod(cycleID: "C1", zoneID: "Z1", cells: [0, 1], days: 6),
        EquityAudit.ZonePeriod(cycleID: "C1", zoneID: "Z2", cells: [2, 6], days: 4),
        EquityAudit.ZonePeriod(cycleID: "C2", zoneID: "Z3", cells: [1, 2], days: 2),
    ]
    static let harm = [at(50, 50, harm: 100), at(250, 50, harm: 100), at(350, 150, harm: 100), at(310, 20, harm: 100), at(600, 50, harm: 100)]

    @Test("given the hand case, then west has 14 of 24 zone cell-days (0.583) for 20 % of the harm (ratio 2.917, p = P(X ≥ 2 | 3, 0.2) = 0.104) and east 10/24 for 60 % (ratio 0.694)")
    func handCase() async {
        let audit = EquityAudit.compute(areas: [Self.rect("West", 0, 0, 200, 200), Self.rect("East", 200, 0, 400, 200)], grid: Self.grid,
                                        projection: Self.projection, zones: Self.zones, harm: Self.harm)
        let west = audit.rows[0], east = audit.rows[1]
        #expect(abs(audit.totalZoneCellDays - 24) < 1e-9 && abs(audit.totalHarm - 500) < 1e-9 && audit.zonePeriods == 3)
        #expect(abs(west.zoneCellDays - 14) < 1e-9 && abs(east.zoneCellDays - 10) < 1e-9)
        #expect(abs(west.zoneShare - 14.0 / 24) < 1e-9 && abs(west.harmShare - 0.2) < 1e-9 && west.incidents == 1)
        #expect(abs(west.ratio! - (14.0 / 24) / 0.2) < 1e-9 && abs(east.ratio! - (10.0 / 24) / 0.6) < 1e-9)
        #expect(abs(west.zonePeriods - 1.5) < 1e-9 && abs(east.zonePeriods - 1.5) < 1e-9)
        #expect(abs(west.pValue! - 0.104) < 1e-9)
        // Three zone periods are too few to say (the default needs five).
        #expect(west.flag == .insufficientData && east.flag == .none)
        #expect(audit.outside.incidents == 1 && abs(audit.outside.zoneCellDays) < 1e-9 && abs(audit.outside.harmShare - 0.2) < 1e-9)
        #expect(audit.flagged.isEmpty)
    }

    @Test("given the same case with at least one period required and alpha 0.2, then the west is flagged as over-selected; an area with zones but no harm is flagged as such; one without either is not")
    func flags() async {
        let settings = EquityAudit.Settings(threshold: 1.5, alpha: 0.2, minimumPeriods: 1)
        let audit = EquityAudit.compute(areas: [Self.rect("West", 0, 0, 200, 200), Self.rect("East", 200, 0, 400, 200)], grid: Self.grid,
                                        projection: Self.projection, zones: Self.zones, harm: Self.harm, settings: settings)
        #expect(audit.rows[0].flag == .overSelected && audit.flagged.map(\.area) == ["West"])
        let noHarm = EquityAudit.compute(areas: [Self.rect("West", 0, 0, 200, 200), Self.rect("Far", 1000, 1000, 1100, 1100)], grid: Self.grid,
                                         projection: Self.projection, zones: Self.zones, harm: [Self.at(600, 50, harm: 5)], settings: settings)
        #expect(noHarm.rows[0].flag == .selectedWithoutHarm && noHarm.rows[0].ratio == nil)
        #expect(noHarm.rows[1].flag == .none && noHarm.rows[1].zoneCellDays == 0)
        // With the default five periods required, the fixture's three are too few to call an area without harm
        // over-selected; with no harm recorded anywhere (40 minutes into a cycle, say), nothing can be said.
        let early = EquityAudit.compute(areas: [Self.rect("West", 0, 0, 200, 200)], grid: Self.grid, projection: Self.projection,
                                        zones: Self.zones, harm: [Self.at(600, 50, harm: 5)])
        #expect(early.rows[0].flag == .insufficientData && early.flagged.isEmpty)
        let none = EquityAudit.compute(areas: [Self.rect("West", 0, 0, 200, 200)], grid: Self.grid, projection: Self.projection,
                                       zones: Self.zones, harm: [], settings: settings)
        #expect(none.rows[0].flag == .insufficientData && none.flagged.isEmpty)
    }

    @Test("given an area whose edge runs through the middle of column 2, then each of Z2's cells counts half (4 × 2 × ½ = 4 cell-days) and Z3's east cell half (2 × ½ = 1)")
    func partialOverlap() async {
        let audit = EquityAudit.compute(areas: [Self.rect("Half", 250, 0, 400, 200)], grid: Self.grid, projection: Self.projection, zones: Self.zones, harm: Self.harm)
        #expect(abs(audit.rows[0].zoneCellDays - 5) < 1e-9)
        #expect(abs(audit.rows[0].zonePeriods - (0.5 + 0.25)) < 1e-9)
    }

    @Test("the binomial tail matches hand sums: P(X ≥ 2 | 3, 0.2) = 0.104, P(X ≥ 0) = 1, P(X ≥ 4 | 3, p) = 0, P(X ≥ 5 | 10, 0.5) = 638/1024")
    func binomial() async {
        #expect(abs(EquityAudit.binomialUpperTail(n: 3, k: 2, p: 0.2) - 0.104) < 1e-12)
        #expect(EquityAudit.binomialUpperTail(n: 3, k: 0, p: 0.2) == 1)
        #expect(EquityAudit.binomialUpperTail(n: 3, k: 4, p: 0.2) == 0)
        #expect(abs(EquityAudit.binomialUpperTail(n: 10, k: 5, p: 0.5) - 638.0 / 1024) < 1e-12)
    }

    @Test("uploaded areas: names from a name property (or a number), and errors that name the feature and the problem")
    func parsing() async throws {
        let ok = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Beat 1"},"geometry":{"type":"Polygon","coordinates":[[[-98,38],[-97.9,38],[-97.9,38.1],[-98,38]]]}},{"type":"Feature","properties":{"BEAT":412},"geometry":{"type":"MultiPolygon","coordinates":[[[[-98,38],[-97.9,38],[-97.9,38.1],[-98,38]]]]}}]}"#
        let areas = try EquityAreas.parse(Data(ok.utf8))
        #expect(areas.map(\.name) == ["Beat 1", "412"])
        func message(_ text: String) -> String {
            do { _ = try EquityAreas.parse(Data(text.utf8)); return "" } catch { return error.description }
        }
        #expect(message("not json").contains("not valid JSON"))
        #expect(message(#"{"type":"Polygon","coordinates":[]}"#).contains("FeatureCollection"))
        #expect(message(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#).contains("feature 1: no name property"))
        let point = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Tract 9"},"geometry":{"type":"Point","coordinates":[-98,38]}}]}"#
        #expect(message(point) == "feature 1 (\"Tract 9\"): geometry is a Point, expected a Polygon or MultiPolygon")
        let shortRing = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[-98,38],[-97,38],[-98,38]]]}}]}"#
        #expect(message(shortRing).hasPrefix("feature 1 (\"A\"): ") && message(shortRing).contains("at least 4 positions"))
        let dup = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[-98,38],[-97.9,38],[-97.9,38.1],[-98,38]]]}},{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[-98,38],[-97.9,38],[-97.9,38.1],[-98,38]]]}}]}"#
        #expect(message(dup) == "feature 2 (\"A\"): the name repeats feature 1")
    }
}
