import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastStore
@testable import ZoneCastPlanning
import ZoneCastZoning

@Suite("Priority raised by intelligence", .serialized)
struct PriorityBoostTests {
    @Test("given a 5x5 grid of 100 m cells, when a boost of 1.5 covers 150 m around the centre, then exactly the cells whose centres are within 150 m are multiplied, and overlapping boosts take the larger factor")
    func boostedCells() async {
        let projection = TransverseMercator(latitudeOfOriginDegrees: 39.0, centralMeridianDegrees: -94.5)
        let grid = Grid(originX: -250, originY: -250, cellSizeMeters: 100, columns: 5, rows: 5)
        let surface = RiskSurface(grid: grid, window: ForecastWindow(start: Date(timeIntervalSince1970: 0), hours: 96), values: Array(repeating: 2, count: 25))
        let centre = projection.unproject(PlanarPoint(xMeters: 0, yMeters: 0))
        let (boosted, byCell) = surface.boosted(by: [PriorityBoost(itemID: "I1", latitude: centre.latitude, longitude: centre.longitude, radiusMeters: 150)], projection: projection)
        // Centres at distance 0 (1 cell), 100 (4 cells), 141.4 (4 diagonal cells) are within 150 m; 200 m ones are not.
        #expect(byCell.count == 9)
        #expect(boosted.values[12] == 3)              // centre cell (row 2, column 2)
        #expect(boosted.values[6] == 3)               // diagonal neighbour, 141 m
        #expect(boosted.values[2] == 2)               // 200 m north
        let total: Double = boosted.values.reduce(0, +)
        #expect(total == 59)  // 25 cells of 2, nine of them raised by 1
        let two = surface.boosted(by: [PriorityBoost(itemID: "I1", latitude: centre.latitude, longitude: centre.longitude, radiusMeters: 150),
                                       PriorityBoost(itemID: "I2", latitude: centre.latitude, longitude: centre.longitude, radiusMeters: 50, factor: 3)], projection: projection)
        #expect(two.surface.values[12] == 6 && two.byCell[12] == "I2" && two.surface.values[13] == 3)
        // A cell without forecast harm stays at zero: intelligence tips a choice, it does not create harm.
        var zeros = Array(repeating: 2.0, count: 25)
        zeros[12] = 0
        #expect(RiskSurface(grid: grid, window: surface.window, values: zeros).boosted(by: [PriorityBoost(itemID: "I1", latitude: centre.latitude, longitude: centre.longitude, radiusMeters: 150)], projection: projection).surface.values[12] == 0)
    }

    @Test("given an analyst raised a place's priority inside a proposed zone, when proposing, then the provenance records the boost, the zone's explanation names the item, and a replay after the item expires is identical")
    func proposalsUseAndRecordBoosts() async throws {
        let store = try await ProposalServiceTests.store()
        let plain = try await ProposalService().propose(store: store, at: ProposalServiceTests.june1, id: "c0")
        let target = try #require(plain.zones.last)
        let city = try await #require(try store.jurisdiction())
        let place = city.projection.unproject(target.zone.centroid)
        var item = IntelligenceItem(id: "I-retaliation", createdAt: ProposalServiceTests.june1.addingTimeInterval(-86_400), createdBy: "analyst", kind: .retaliation,
                                    summary: "threat after a shooting", locationText: "corner", latitude: place.latitude, longitude: place.longitude,
                                    source: .officer, sensitivity: .normal, expiresAt: ProposalServiceTests.june1.addingTimeInterval(7 * 86_400), status: .open)
        item.raisesPriority = true
        item.priorityRadiusMeters = 200
        try await store.save(item, audit: nil)
        let cycle = try await ProposalService().propose(store: store, at: ProposalServiceTests.june1, id: "c1")
        #expect(cycle.provenance.priorityBoosts?.map(\.itemID) == ["I-retaliation"])
        let covering = cycle.zones.filter { $0.explanation.text.contains("I-retaliation") }
        #expect(!covering.isEmpty, "no zone's explanation names the boost")
        // The boosted zone counts more of the forecast than it did unboosted.
        #expect((covering.map(\.explanation.forecastHarm).max() ?? 0) > target.explanation.forecastHarm)
        // The item expires; the recorded proposal still replays exactly from its provenance.
        item.expiresAt = ProposalServiceTests.june1.addingTimeInterval(-1)
        try await store.save(item, audit: nil)
        await #expect(try ProposalService.replay(cycle, store: store) == cycle)
        await #expect(try ProposalService().propose(store: store, at: ProposalServiceTests.june1, id: "c2").provenance.priorityBoosts == [])
    }
}
