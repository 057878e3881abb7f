public import Foundation
public import ZoneCastOperations
import ZoneCastCore

/// Area boundaries uploaded for the equity audit (beats, tracts or neighbourhoods), kept as the validated GeoJSON
/// text so the audit can be re-run and anyone can see exactly which boundaries were used. The newest set is the one
/// the oversight page audits against.
public struct EquityAreaSet: StoredDocument, Hashable {
    public static let kind = "equity-areas"
    /// The most GeoJSON text accepted (bytes).
    public static let maxBytes = 4 * 1024 * 1024
    /// The most polygon vertices accepted over all areas: the audit tests lattice points and incidents against every
    /// edge, so a needlessly detailed boundary (one 3.9 MB polygon took 4-6 s a view) would stall the page.
    /// Simplified beat or tract boundaries of a city stay far below it.
    public static let maxVertices = 100_000

    public var id: String
    public var group: String { "" }
    public var recordedAt: Date
    public var recordedBy: String
    /// What the areas are ("Police beats 2024").
    public var label: String
    public var areaNames: [String]
    public var geoJSON: String

    public init(id: String, recordedAt: Date, recordedBy: String, label: String, areaNames: [String], geoJSON: String) {
        self.id = id
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.label = label
        self.areaNames = areaNames
        self.geoJSON = geoJSON
    }

    /// Validates the text (size, `EquityAreas.parse`, vertex count) and makes the record.
    public static func make(id: String, at: Date, by: String, label: String, geoJSON: String) throws(EquityError) -> (EquityAreaSet, [EquityArea]) {
        guard !geoJSON.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw EquityError("areas: no GeoJSON given") }
        let areas = try parseWithinLimits(geoJSON)
        return (EquityAreaSet(id: id, recordedAt: at, recordedBy: by, label: label, areaNames: areas.map(\.name), geoJSON: geoJSON), areas)
    }

    /// The areas, under the same limits as an upload (a set stored before the vertex cap is refused, not parsed
    /// into a page that would stall). Parsing is the expensive part: callers keep the result (the web layer caches
    /// it by the text's hash).
    public func areas() throws(EquityError) -> [EquityArea] { try Self.parseWithinLimits(geoJSON) }

    /// Vertices over every ring of every area.
    public static func vertexCount(_ areas: [EquityArea]) -> Int {
        areas.reduce(0) { total, area in area.boundary.polygons.reduce(total) { $0 + $1.outer.count + $1.holes.reduce(0) { $0 + $1.count } } }
    }

    /// "[" followed (after blanks) by a number: every GeoJSON position, and any numeric array elsewhere (so never
    /// fewer than the vertices).
    static func positionCount(_ text: String) -> Int {
        var count = 0, open = false
        for b in text.utf8 {
            if open {
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
                if b == 0x2D || (0x30...0x39).contains(b) { count += 1 }
                open = false
            }
            if b == 0x5B { open = true }
        }
        return count
    }

    static func parseWithinLimits(_ geoJSON: String) throws(EquityError) -> [EquityArea] {
        let bytes = geoJSON.utf8.count
        guard bytes <= maxBytes else {
            throw EquityError("areas: the GeoJSON is \(bytes) bytes, more than the limit of \(maxBytes) bytes (\(maxBytes / 1024 / 1024) MiB)")
        }
        // Positions counted in the text first (an upper bound: "[" before a number), so an oversized file is
        // refused without the seconds its parse would take.
        let positions = positionCount(geoJSON)
        guard positions <= maxVertices else {
            throw EquityError("areas: \(positions) coordinate positions, more than the limit of \(maxVertices) vertices; "
                              + "simplify the boundaries (e.g. mapshaper -simplify 10%) and upload them again")
        }
        let areas = try EquityAreas.parse(Data(geoJSON.utf8))
        let vertices = vertexCount(areas)
        guard vertices <= maxVertices else {
            throw EquityError("areas: \(vertices) vertices, more than the limit of \(maxVertices); "
                              + "simplify the boundaries (e.g. mapshaper -simplify 10%) and upload them again")
        }
        return areas
    }
}
