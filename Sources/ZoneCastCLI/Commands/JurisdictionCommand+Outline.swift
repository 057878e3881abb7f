import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest

extension JurisdictionCommand {
    /// A boundary for a city without a city-limits file to hand: the outline of where its own records (or its
    /// street intersections) lie, for `jurisdiction create --boundary`.
    struct Outline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a boundary around the points of a CSV file (a city's records or street intersections), as GeoJSON.",
            discussion: """
                When no city-limits file is to hand. The outline is the union of the square cells (--cell metres) holding at least \
                --min-points points, parts holding less than --min-share of the points dropped, holes filled: it follows the city's \
                shape where a bounding box would take in neighbouring towns, a lake or open country, and so make every share of the \
                city's area (hit rates, PAI, the zones' share) too small. It is an approximation: use the city-limits file when \
                there is one. Rows without a usable position are skipped and counted.
                Example: zonecast jurisdiction outline --points calls.csv --output city.geojson, then \
                zonecast jurisdiction create --db city.sqlite --name springfield --boundary city.geojson --time-zone America/Chicago
                """)
        @Option(help: "CSV file with a header row (.gz and .bz2 are read too).") var points: String
        @Option(help: "Header of the latitude column.") var latitudeColumn = "latitude"
        @Option(help: "Header of the longitude column.") var longitudeColumn = "longitude"
        @Option(help: "Cell size in metres: at least the records' positional accuracy (jittered or block-level points need more).")
        var cell = 500.0
        @Option(help: "Points a cell needs to belong to the outline.") var minPoints = 1
        @Option(help: "Share of the points (0-1) a separate part needs to be kept.") var minShare = 0.01
        @Option(help: "GeoJSON file to write (default: standard output).") var output: String?

        func validate() throws {
            guard cell >= 10, cell <= 10_000 else { throw ValidationError("--cell \(cell): must be between 10 and 10000 metres") }
            guard minPoints >= 1 else { throw ValidationError("--min-points \(minPoints): must be at least 1") }
            guard (0...1).contains(minShare) else { throw ValidationError("--min-share \(minShare): must be between 0 and 1") }
        }

        func run() throws {
            let read = try CoordinateColumns.read(try InputFile(path: points), latitude: latitudeColumn, longitude: longitudeColumn)
            guard !read.points.isEmpty else {
                throw ValidationError("\(points): no row has a usable \(latitudeColumn)/\(longitudeColumn) position (\(read.rowsRead) rows read)"
                                      + (read.examples.first.map { "; \($0)" } ?? ""))
            }
            let (boundary, area) = Self.outline(read.points, cellSizeMeters: cell, minimumPointsPerCell: minPoints, minimumShareOfPoints: minShare)
            let inside = read.points.reduce(0) { $0 + (boundary.contains($1) ? 1 : 0) }
            let text = GeoJSON.featureCollection(boundary, properties: [
                "source": "zonecast jurisdiction outline of \((points as NSString).lastPathComponent)",
                "method": "\(Int(cell)) m cells with at least \(minPoints) point(s); parts under \(minShare) of the points dropped; holes filled",
            ])
            if let output {
                do { try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output)) } catch {
                    throw ValidationError("cannot write \(output): \(error.localizedDescription)")
                }
            } else {
                print(text)
            }
            var note = String(format: "Outline of %d points (%d rows skipped) in %.0f m cells: %d part(s), %.1f km², holding %d points (%.1f %%).",
                              read.points.count, read.rowsSkipped, cell, boundary.polygons.count, area, inside,
                              100 * Double(inside) / Double(read.points.count))
            for example in read.examples { note += "\n  skipped \(example)" }
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }

        /// The outline in WGS84, drawn in a projection centred on the points' bounding box, and its area in km².
        static func outline(_ points: [GeoPoint], cellSizeMeters: Double, minimumPointsPerCell: Int,
                            minimumShareOfPoints: Double) -> (GeoMultiPolygon, areaKm2: Double) {
            guard let box = GeoBoundingBox.enclosing(points) else { return (GeoMultiPolygon([]), 0) }
            let projection = TransverseMercator.local(centeredOn: box.center).prepared()
            let rings = PointOutline(cellSizeMeters: cellSizeMeters, minimumPointsPerCell: minimumPointsPerCell, minimumShareOfPoints: minimumShareOfPoints)
                .rings(around: points.map(projection.project))
            let area = rings.reduce(0) { $0 + PointOutline.areaSquareMeters(of: $1) } / 1e6
            return (GeoMultiPolygon(rings.map { GeoPolygon(outer: $0.map(projection.unproject)) }), area)
        }
    }
}
