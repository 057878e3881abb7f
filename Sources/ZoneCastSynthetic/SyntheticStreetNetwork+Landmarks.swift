public import Foundation
import ZoneCastCore

extension SyntheticStreetNetwork {
    /// Seeded landmarks inside the boundary: three high schools and six elementary schools (block-sized grounds),
    /// five parks (block-sized), bus stops at arterial crossings (each kept with probability 0.6), four places of
    /// worship at block corners. Names are fictional.
    static func landmarks(_ g: inout SeededGenerator, avenues: [Int], streets: [Int], city: SyntheticCity,
                          projection: TransverseMercator.Prepared) -> [Place] {
        func inside(_ p: PlanarPoint) -> Bool { city.jurisdiction.contains(projection.unproject(p)) }
        func block() -> (Int, Int) {
            for _ in 0..<1_000 {
                let i = avenues[g.uniformInt(below: avenues.count - 1)], j = streets[g.uniformInt(below: streets.count - 1)]
                let centre = PlanarPoint(xMeters: avenueX(i) + blockMeters / 2, yMeters: streetY(j) + blockMeters / 2)
                if inside(centre) { return (i, j) }
            }
            return (avenues[avenues.count / 2], streets[streets.count / 2])
        }
        // A block's grounds, inset 30 m from the streets around it, as a closed ring.
        func grounds(_ i: Int, _ j: Int) -> [PlanarPoint] {
            let x0 = avenueX(i) + 30, y0 = streetY(j) + 30, x1 = avenueX(i + 1) - 30, y1 = streetY(j + 1) - 30
            return [PlanarPoint(xMeters: x0, yMeters: y0), PlanarPoint(xMeters: x1, yMeters: y0), PlanarPoint(xMeters: x1, yMeters: y1),
                    PlanarPoint(xMeters: x0, yMeters: y1), PlanarPoint(xMeters: x0, yMeters: y0)]
        }
        var places = [Place]()
        var used = Set<[Int]>()
        func freeBlock() -> (Int, Int) {
            for _ in 0..<100 {
                let b = block()
                if used.insert([b.0, b.1]).inserted { return b }
            }
            return block()
        }
        for name in ["Central High School", "North High School", "South High School"] {
            let (i, j) = freeBlock()
            places.append(Place(name: name, tags: ["amenity": "school"], points: grounds(i, j)))
        }
        for _ in 0..<6 {
            let (i, j) = freeBlock()
            places.append(Place(name: "\(SyntheticAddress.avenueNames[i].capitalized) Elementary School", tags: ["amenity": "school"],
                                points: grounds(i, j)))
        }
        for name in ["Lincoln Park", "Riverside Park", "Prairie Park", "Veterans Memorial Park", "Cottonwood Commons"] {
            let (i, j) = freeBlock()
            places.append(Place(name: name, tags: ["leisure": "park"], points: grounds(i, j)))
        }
        for i in avenues where isArterial(i) {
            for j in streets where isArterial(j) {
                let p = PlanarPoint(xMeters: avenueX(i) + 12, yMeters: streetY(j) + 12)
                if inside(p), g.bernoulli(0.6) {
                    places.append(Place(name: "\(avenueName(i)) & \(streetName(j))", tags: ["highway": "bus_stop"], points: [p]))
                }
            }
        }
        for name in ["St. Mark's Church", "First Baptist Church", "Temple Beth Shalom", "Islamic Center of Synthetic City"] {
            let (i, j) = freeBlock()
            places.append(Place(name: name, tags: ["amenity": "place_of_worship"],
                                points: [PlanarPoint(xMeters: avenueX(i) + 25, yMeters: streetY(j) + 25)]))
        }
        return places
    }

    /// The network as GeoJSON in OpenStreetMap's tagging (as `osmium export` writes it, so one reader takes both):
    /// a FeatureCollection labelled synthetic, coordinates in WGS84 to 7 decimals (about 1 cm).
    public func geoJSON() -> Data {
        let projection = city.jurisdiction.projection.prepared()
        func position(_ p: PlanarPoint) -> JSONValue {
            let g = projection.unproject(p)
            return .array([.number((g.longitude * 1e7).rounded() / 1e7), .number((g.latitude * 1e7).rounded() / 1e7)])
        }
        var features = [JSONValue]()
        for way in ways {
            features.append(.object(["type": .string("Feature"),
                                     "geometry": .object(["type": .string("LineString"), "coordinates": .array(way.points.map(position))]),
                                     "properties": .object(["highway": .string(way.highway), "name": .string(way.name)])]))
        }
        for place in places {
            let geometry: JSONValue = place.points.count == 1
                ? .object(["type": .string("Point"), "coordinates": position(place.points[0])])
                : .object(["type": .string("Polygon"), "coordinates": .array([.array(place.points.map(position))])])
            var properties = place.tags.mapValues(JSONValue.string)
            properties["name"] = .string(place.name)
            features.append(.object(["type": .string("Feature"), "geometry": geometry, "properties": .object(properties)]))
        }
        let collection = JSONValue.object([
            "type": .string("FeatureCollection"), "name": .string("\(SyntheticCity.displayName) streets: SYNTHETIC"),
            "synthetic": .bool(true), "features": .array(features),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(collection)) ?? Data()
    }

    /// Where the street file of a generated CSV goes: beside it, `FILE.streets.geojson`.
    public static func streetFilePath(forCSV csvPath: String) -> String { csvPath + ".streets.geojson" }

    /// Writes `geoJSON()` beside a generated CSV and returns the path written.
    @discardableResult
    public func write(besideCSV csvPath: String) throws -> String {
        let path = Self.streetFilePath(forCSV: csvPath)
        try geoJSON().write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}
