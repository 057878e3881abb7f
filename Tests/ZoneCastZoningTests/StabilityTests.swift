import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastZoning

@Suite("Zone stability")
struct StabilityTests {
    let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 30, rows: 30)
    let t0 = Date(timeIntervalSince1970: 1_600_000_000)
    let constraints = ZoneConstraints(maxZones: 1, maxAreaKm2: 0.04, maxDiameterMeters: 1_200, minSeparationMeters: 400)

    /// A surface with a 2x2 hot block of `a` per cell at the lower left and one of `b` per cell at the upper right.
    func surface(a: Double, b: Double) -> RiskSurface {
        var v = [Double](repeating: 0, count: grid.cellCount)
        for (r, c) in [(2, 2), (2, 3), (3, 2), (3, 3)] { v[r * 30 + c] = a }
        for (r, c) in [(25, 25), (25, 26), (26, 25), (26, 26)] { v[r * 30 + c] = b }
        return RiskSurface(grid: grid, window: ForecastWindow(start: t0, hours: 96), values: v)
    }

    func zoneA(_ s: RiskSurface) -> Zone { Zone(cells: [62, 63, 92, 93], surface: s) }

    @Test("given a zone in force for less than 72 h, when a far better place appears, then it is still kept, with that reason")
    func holdPeriod() async throws {
        let s = surface(a: 1, b: 10)
        let r = try ZoneStabilityPolicy().propose(surface: s, active: [zoneA(s)], activeSince: t0, at: t0.addingTimeInterval(48 * 3_600), optimizer: ZoneOptimizer(constraints: constraints))
        #expect(r.plan.zones.map(\.cells) == [[62, 63, 92, 93]])
        #expect(r.decisions.count == 1 && r.decisions[0].status == .kept && r.decisions[0].reason.contains("72 h"))
    }

    @Test("given a replacement 50 % better after 72 h, then the zone is retired and the new one named with the ratio; at 10 % better it is kept", arguments: [(1.5, true), (1.1, false), (1.2, true)])
    func threshold(ratio: Double, replaced: Bool) async throws {
        let s = surface(a: 1, b: ratio)
        let r = try ZoneStabilityPolicy().propose(surface: s, active: [zoneA(s)], activeSince: t0, at: t0.addingTimeInterval(96 * 3_600), optimizer: ZoneOptimizer(constraints: constraints))
        if replaced {
            #expect(r.plan.zones.map(\.cells) == [[(25 * 30 + 25), (25 * 30 + 26), (26 * 30 + 25), (26 * 30 + 26)]])
            let retired = try #require(r.decisions.first { $0.status == .retired })
            #expect(abs((retired.replacementRatio ?? 0) - ratio) < 1e-9)
            #expect(r.decisions.contains { $0.status == .new })
        } else {
            #expect(r.plan.zones.map(\.cells) == [[62, 63, 92, 93]])
            #expect(r.decisions.first?.status == .kept && r.decisions.first!.reason.contains("below the 20 % threshold"))
        }
    }

    @Test("given a zone in force that now covers an excluded cell, then it is retired even within 72 h and the slot is refilled")
    func disallowed() async throws {
        let s = surface(a: 1, b: 0.5)
        let excluded = ZoneOptimizer(constraints: constraints.excluding([62]))
        let r = try ZoneStabilityPolicy().propose(surface: s, active: [zoneA(s)], activeSince: t0, at: t0.addingTimeInterval(24 * 3_600), optimizer: excluded)
        #expect(r.decisions.contains { $0.status == .retired && $0.reason.contains("no longer allowed") })
        #expect(!r.plan.zones.contains { $0.cells.contains(62) })
        #expect(r.plan.zones.count == 1)
    }

    @Test("given no zone in force, then the plan is the optimiser's and every zone is new")
    func fresh() async throws {
        let s = surface(a: 1, b: 2)
        let r = try ZoneStabilityPolicy().propose(surface: s, active: [], activeSince: nil, at: t0, optimizer: ZoneOptimizer(constraints: constraints))
        #expect(r.plan == (try ZoneOptimizer(constraints: constraints).optimize(s)))
        #expect(r.decisions.allSatisfy { $0.status == .new })
    }
}

@Suite("Zone explanations")
struct ExplanationTests {
    @Test("given incidents inside and outside a zone, then counts by window, trend and places come from those inside, in words")
    func explanation() async {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10)
        let origin = Date(timeIntervalSince1970: 1_600_000_000)
        let surface = RiskSurface(grid: grid, window: ForecastWindow(start: origin, hours: 96), values: (0..<100).map { $0 == 11 ? 3 : 1 })
        let zone = Zone(cells: [11], surface: surface)
        func incident(_ id: String, _ c: HarmCategory, daysAgo: Double, x: Double = 150, address: String? = "1200 BLOCK OAK AVE") -> Incident {
            let at = origin.addingTimeInterval(-daysAgo * 86_400)
            return Incident(id: IncidentID(source: "t", recordID: id), category: c, offence: "", occurredAt: at, occurredPrecision: .exact,
                            timeZoneIdentifier: "UTC", localDate: LocalDate(year: 2020, month: 1, day: 1), location: GeoPoint(latitude: 1, longitude: 1),
                            position: PlanarPoint(xMeters: x, yMeters: 150), address: address, rawRow: id)
        }
        let incidents = [
            incident("a", .homicide, daysAgo: 3), incident("b", .nonFatalShooting, daysAgo: 10), incident("c", .nonFatalShooting, daysAgo: 20),
            incident("d", .robbery, daysAgo: 100, address: "5 MAIN ST"), incident("e", .robbery, daysAgo: 400),       // older than a year
            incident("f", .homicide, daysAgo: 2, x: 950),                                                              // outside the zone
            incident("g", .nonFatalShooting, daysAgo: -1),                                                             // after the origin
        ]
        let e = ZoneExplanation.explain(zone: zone, grid: grid, surfaceTotal: surface.total, incidents: incidents, origin: origin, triggeredShare: 0.4, label: "Zone Z1")
        #expect(abs(e.shareOfCity - 3.0 / 102) < 1e-12)
        let byCategory = Dictionary(uniqueKeysWithValues: e.categories.map { ($0.category, $0) })
        #expect(byCategory[.homicide].map { [$0.last7Days, $0.last28Days, $0.last365Days] } == [1, 1, 1])
        #expect(byCategory[.nonFatalShooting].map { [$0.last7Days, $0.last28Days, $0.last365Days] } == [0, 2, 2])
        #expect(byCategory[.robbery].map { [$0.last7Days, $0.last28Days, $0.last365Days] } == [0, 0, 1])
        #expect(e.violentLast28 == 3 && e.violentPrevious28 == 0)
        #expect(e.places.first == "1200 BLOCK OAK AVE")
        #expect(e.text.contains("2.9 % of the city's forecast harm"))
        #expect(e.text.contains("2 non-fatal shootings") && e.text.contains("1 homicide") && e.text.contains("1 robbery"))
        #expect(e.text.contains("rising"))
        #expect(e.text.contains("40 %"))
    }
}
