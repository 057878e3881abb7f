import Foundation
import ZoneCastCore
import ZoneCastMaps
import ZoneCastStreets
import ZoneCastSynthetic

/// The synthetic city with its street network, a 100 m lattice, a surface and zones, shared by the map tests.
enum MapFixtures {
    static let city = SyntheticCity()
    static let projection = city.jurisdiction.projection
    static let layer: StreetLayer = {
        let read = try! StreetReaders.osm(SyntheticStreetNetwork(seed: 3).geoJSON())
        return StreetLayer(streets: read.streets, landmarks: read.landmarks, projection: projection).clipped(to: city.jurisdiction.boundary)
    }()
    static let lattice = CellLattice(originX: -12_000, originY: -9_000, cellSizeMeters: 100, columns: 240, rows: 180)

    /// A smooth bump of risk around (x, y) = (800, 1,000).
    static let surface: [Double] = (0..<lattice.cellCount).map { i in
        let c = lattice.center(of: i)
        let d2 = (c.xMeters - 800) * (c.xMeters - 800) + (c.yMeters - 1_000) * (c.yMeters - 1_000)
        return exp(-d2 / (2 * 900 * 900))
    }

    static func cells(x: ClosedRange<Double>, y: ClosedRange<Double>) -> [Int] {
        stride(from: y.lowerBound + 50, to: y.upperBound, by: 100).flatMap { cy in
            stride(from: x.lowerBound + 50, to: x.upperBound, by: 100).map { cx in lattice.cell(containing: PlanarPoint(xMeters: cx, yMeters: cy))! }
        }
    }

    static let activeZone = MapZone(id: "z1", label: "Z1", cells: cells(x: 0 ... 600, y: 600 ... 1_200), status: .active, link: "/zones/z1")
    static let proposedZone = MapZone(id: "p2", label: "P2", cells: cells(x: 900 ... 1_500, y: 300 ... 900), status: .proposed)

    static let incidents: [MapIncident] = (0..<300).map { k in
        let categories: [HarmCategory] = [.nonFatalShooting, .robbery, .fatalTrafficCrash]
        return MapIncident(position: PlanarPoint(xMeters: Double(k % 20) * 90 - 100, yMeters: Double(k / 20) * 110 + 100), category: categories[k % 3])
    }

    static func full() -> MapContent {
        MapContent(lattice: lattice, surface: surface, boundary: city.jurisdiction.boundary, streets: layer, zones: [activeZone, proposedZone],
                   incidents: incidents, tileURLTemplate: "https://tiles.example.test/{z}/{x}/{y}.png", clickableCells: cells(x: 0 ... 600, y: 600 ... 1_200))
    }

    /// Every value of an attribute in the markup, in order.
    static func attributeValues(_ name: String, in markup: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: " \(name)=\"([^\"]*)\"")
        let ns = markup as NSString
        return pattern.matches(in: markup, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }
}
