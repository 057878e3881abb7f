import Foundation
import ZoneCastOperations

/// Area boundaries uploaded for the equity audit (beats, tracts or neighbourhoods), kept as the validated GeoJSON
/// text so the audit can be re-run and anyone can see exactly which boundaries were used. The newest set is the one
/// the oversight page audits against.
public struct EquityAreaSet: StoredDocument, Hashable {
    public static let kind = "equity-areas"
    /// The most GeoJSON text accepted (bytes).
    public static let maxBytes = 4 * 1024 * 1024

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

    /// Validates the text (size, then `EquityAreas.parse`) and makes the record.
    public static func make(id: String, at: Date, by: String, label: String, geoJSON: String) throws(EquityError) -> (EquityAreaSet, [EquityArea]) {
        guard !geoJSON.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw EquityError("areas: no GeoJSON given") }
        guard geoJSON.utf8.count <= maxBytes else { throw EquityError("areas: \(geoJSON.utf8.count) bytes, at most \(maxBytes / 1024 / 1024) MiB") }
        let areas = try EquityAreas.parse(Data(geoJSON.utf8))
        return (EquityAreaSet(id: id, recordedAt: at, recordedBy: by, label: label, areaNames: areas.map(\.name), geoJSON: geoJSON), areas)
    }

    public func areas() throws(EquityError) -> [EquityArea] { try EquityAreas.parse(Data(geoJSON.utf8)) }
}
