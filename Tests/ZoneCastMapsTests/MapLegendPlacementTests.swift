import Foundation
import Testing
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastStreets

@Suite("The map legend never hides a zone it can avoid")
struct MapLegendPlacementTests {
    let renderer = MapRenderer(projection: MapFixtures.projection)
    // 800 x 600 px at 10 m per pixel around (0, 0): x -4,000...4,000 m, y -3,000...3,000 m. With one legend row the
    // legend is 210 x 39 px: bottom-right x 584...794, y 555...594; bottom-left y 509...548; top-left y 6...45;
    // top-right y 58...97.
    let view = try! MapViewport(center: PlanarPoint(xMeters: 0, yMeters: 0), metersPerPixel: 10, widthPixels: 800, heightPixels: 600)

    func zone(_ label: String, x: ClosedRange<Double>, y: ClosedRange<Double>) -> MapZone {
        MapZone(id: label, label: label, cells: MapFixtures.cells(x: x, y: y), status: .proposed)
    }

    func render(_ zones: [MapZone]) throws -> PixelBox {
        let map = renderer.render(MapContent(lattice: MapFixtures.lattice, zones: zones), in: view, title: "Legend")
        let box = try #require(map.legendBox)
        // The drawn legend is where the map says it is.
        let svg = map.svg.rendered
        #expect(svg.contains("<g class=\"zc-legend\" font-size=\"10.5\" fill=\"#222\"><rect x=\"\(String(format: "%.1f", box.minX))\" "
                             + "y=\"\(String(format: "%.1f", box.minY))\""), "\(svg.suffix(900))")
        return box
    }

    /// Pixel squares of a zone's cells (10 m per pixel, y down from 3,000 m).
    func pixels(_ zone: MapZone) -> [PixelBox] {
        zone.cells.map { c in
            let sq = MapFixtures.lattice.square(of: c)
            return PixelBox(minX: (sq.minX + 4_000) / 10, minY: (3_000 - sq.maxY) / 10, maxX: (sq.maxX + 4_000) / 10, maxY: (3_000 - sq.minY) / 10)
        }
    }

    func overlap(_ a: PixelBox, _ b: PixelBox) -> Double {
        max(0, min(a.maxX, b.maxX) - max(a.minX, b.minX)) * max(0, min(a.maxY, b.maxY) - max(a.minY, b.minY))
    }

    @Test("given zones away from the corners, when rendered, then the legend stays bottom-right")
    func staysBottomRight() throws {
        let box = try render([zone("Z1", x: -300 ... 300, y: -200 ... 400)])
        #expect(box == PixelBox(minX: 584, minY: 555, maxX: 794, maxY: 594))
    }

    @Test("given a zone in the bottom-right corner, when rendered, then the legend moves bottom-left, above the scale bar, and covers no zone cell")
    func movesOffAZone() throws {
        let corner = zone("Z1", x: 2_500 ... 3_100, y: -2_900 ... -2_500)
        let box = try render([corner, zone("Z2", x: -300 ... 300, y: -200 ... 400)])
        #expect(box == PixelBox(minX: 6, minY: 509, maxX: 216, maxY: 548))
        #expect(pixels(corner).allSatisfy { overlap($0, box) == 0 })
    }

    @Test("given zones in the two bottom corners, when rendered, then the legend goes top-left")
    func goesTopLeft() throws {
        let box = try render([zone("Z1", x: 2_500 ... 3_100, y: -2_900 ... -2_500), zone("Z2", x: -3_800 ... -3_200, y: -2_500 ... -2_100)])
        #expect(box == PixelBox(minX: 6, minY: 6, maxX: 216, maxY: 45))
    }

    @Test("given a zone under every place the legend may go, when rendered, then it covers the least zone area (a one-cell zone top-right)")
    func leastCovered() throws {
        let zones = [zone("Z1", x: 2_500 ... 3_100, y: -2_900 ... -2_500), zone("Z2", x: -3_800 ... -3_200, y: -2_500 ... -2_100),
                     zone("Z3", x: -3_800 ... -3_200, y: 2_600 ... 3_000), zone("Z4", x: 3_000 ... 3_100, y: 2_100 ... 2_200)]
        let box = try render(zones)
        #expect(box == PixelBox(minX: 584, minY: 58, maxX: 794, maxY: 97))
        let covered = zones.flatMap(pixels).reduce(0) { $0 + overlap($1, box) }
        #expect(covered > 0 && covered <= 100, "\(covered) px² of zone under the legend")
    }
}
