import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastPlanning

/// Cell selection from numbers an analyst typed: nothing may trap, whatever the number.
@Suite("Cell selection: extreme inputs")
struct CellSelectionLimitsTests {
    @Test("given an outline with one corner far outside the grid (1e7 m, 1e30 m, -1e300 m) or not finite, when its cells are selected, then it is refused naming the point, not a trap")
    func farOutline() async {
        let near = [PlanarPoint(xMeters: 10, yMeters: 10), PlanarPoint(xMeters: 260, yMeters: 10)]
        for far in [PlanarPoint(xMeters: 1e7, yMeters: 250), PlanarPoint(xMeters: 250, yMeters: 1e30), PlanarPoint(xMeters: -1e300, yMeters: -1e300),
                    PlanarPoint(xMeters: .nan, yMeters: 250), PlanarPoint(xMeters: 250, yMeters: .infinity)] {
            #expect {
                _ = try CellSelection.cells(outlinedBy: near + [far], grid: SmallCity.grid)
            } throws: { error in
                let e = error as? PlanningInputError
                return e?.field == "points" && e?.value == "point 3" && e?.reason.contains("outside the jurisdiction's grid") == true
            }
        }
    }

    @Test("given an outline a little past the grid's edge (within the margin), then the cells inside it are selected, clamped to the grid")
    func outlinePastTheEdge() async throws {
        // A square from (-500, -500) to (150, 150): the centres of cells 0 (50, 50) and none other lie inside it, plus the corner in cell 7.
        let square = [PlanarPoint(xMeters: -500, yMeters: -500), PlanarPoint(xMeters: 150, yMeters: -500), PlanarPoint(xMeters: 150, yMeters: 150), PlanarPoint(xMeters: -500, yMeters: 150)]
        #expect(try CellSelection.cells(outlinedBy: square, grid: SmallCity.grid) == [0, 7])
    }

    @Test("given a radius that is NaN, infinite, 1e300 or not positive, when cells around a point are selected, then there is no trap: huge radii reach the whole grid, the others nothing")
    func extremeRadius() async {
        let centre = PlanarPoint(xMeters: 250, yMeters: 250)
        #expect(CellSelection.cells(around: centre, radiusMeters: .nan, grid: SmallCity.grid) == [])
        #expect(CellSelection.cells(around: centre, radiusMeters: .infinity, grid: SmallCity.grid) == [])
        #expect(CellSelection.cells(around: centre, radiusMeters: -1, grid: SmallCity.grid) == [])
        #expect(CellSelection.cells(around: centre, radiusMeters: 1e300, grid: SmallCity.grid) == SmallCity.grid.activeCells)
    }

    @Test("given intelligence recorded at a valid latitude/longitude far from the jurisdiction (0,-7.001; 89.9,179.9) or with an extreme radius, when its priority boost is applied, then no cell is boosted and nothing traps")
    func farBoost() async {
        let projection = TransverseMercator(latitudeOfOriginDegrees: 38.5, centralMeridianDegrees: -97.0)
        let surface = RiskSurface(grid: SmallCity.grid, window: ForecastWindow(start: SmallCity.t0, hours: 96), values: Array(repeating: 1, count: 36))
        for (lat, lon, radius) in [(0.0, -7.001, 150.0), (89.9, 179.9, 150.0), (-89.9, -179.9, 150.0), (38.5, -97.0, 1e300), (38.5, -97.0, .nan)] {
            let boost = PriorityBoost(itemID: "I1", latitude: lat, longitude: lon, radiusMeters: radius)
            let cells = boost.cells(in: SmallCity.grid, projection: projection)
            #expect(cells.allSatisfy { (0..<36).contains($0) }, "\(lat),\(lon) r \(radius)")
            _ = surface.boosted(by: [boost], projection: projection)
        }
        #expect(PriorityBoost(itemID: "I1", latitude: 0, longitude: -7.001, radiusMeters: 150).cells(in: SmallCity.grid, projection: projection).isEmpty)
    }
}
