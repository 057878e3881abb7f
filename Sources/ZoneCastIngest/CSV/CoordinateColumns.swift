public import ZoneCastCore
import Foundation

/// The points of a CSV file's latitude and longitude columns, for outlining where a city's records lie
/// (`zonecast jurisdiction outline`). Rows without a usable position are counted, with the first few named.
public struct CoordinateColumns: Sendable {
    public var points: [GeoPoint] = []
    public var rowsRead = 0
    /// Rows skipped: blank, unreadable or out-of-range coordinates, or (0, 0), a common "unknown" default.
    public var rowsSkipped = 0
    /// The first skipped rows: line, and why.
    public var examples: [String] = []

    public init() {}

    /// Reads `file`, whose header names `latitude` and `longitude` (matched ignoring case and spaces). Decimal
    /// commas are read when the file is semicolon-separated.
    public static func read(_ file: InputFile, latitude: String, longitude: String) throws(IngestError) -> CoordinateColumns {
        let (reader, process) = try file.openReader()
        defer { process?.waitUntilExit() }
        var csv = reader
        func next() throws(IngestError) -> CSVRecord? {
            do { return try csv.next() } catch { throw .unreadableFile(path: file.path, reason: "\(error)") }
        }
        guard let header = try next() else { throw .emptyFile(file.path) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String, _ field: String) throws(IngestError) -> Int {
            guard let k = names.firstIndex(of: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw .missingColumn(mapping: "outline", field: field, candidates: [name], header: header.fields)
            }
            return k
        }
        let lat = try column(latitude, "latitude"), lon = try column(longitude, "longitude")
        var out = CoordinateColumns()
        while let record = try next() {
            out.rowsRead += 1
            func skip(_ why: String) {
                out.rowsSkipped += 1
                if out.examples.count < 5 { out.examples.append("line \(record.lineNumber): \(why)") }
            }
            guard record.problem == nil, max(lat, lon) < record.fields.count else { skip("fewer fields than the header"); continue }
            let latText = record.fields[lat], lonText = record.fields[lon]
            guard let y = Self.number(latText), let x = Self.number(lonText) else {
                skip("\(latitude) \"\(latText.prefix(40))\", \(longitude) \"\(lonText.prefix(40))\": not numbers")
                continue
            }
            guard abs(y) <= 90, abs(x) <= 180 else { skip("(\(latText), \(lonText)) is not a WGS84 position"); continue }
            guard y != 0 || x != 0 else { skip("(0, 0), an unknown-place default"); continue }
            out.points.append(GeoPoint(latitude: y, longitude: x))
        }
        return out
    }

    /// "41.8955", " -87.6", or "41,8955" (a decimal comma).
    static func number(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, let v = Double(t) ?? Double(t.replacingOccurrences(of: ",", with: ".")), v.isFinite else { return nil }
        return v
    }
}
