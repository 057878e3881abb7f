public import Foundation
import ZoneCastCore

/// How `StreetReaders.intersections` turns named intersections into approximate centrelines.
public struct IntersectionStreetOptions: Hashable, Sendable {
    /// Consecutive intersections of one street farther apart than this are not joined: the street is split there
    /// (a street name reused in two parts of a city, or a street interrupted by a park or a rail yard).
    public var maxGapMeters: Double
    /// Intersections of one street closer than this are one place (the same corner listed with "W" and "E"
    /// spellings of the cross street); the first in order is kept.
    public var mergeMeters: Double
    /// Names are title-cased for text ("N STATE ST" becomes "N State St"), as descriptions quote them.
    public var titleCaseNames: Bool

    public init(maxGapMeters: Double = 1_500, mergeMeters: Double = 5, titleCaseNames: Bool = true) {
        self.maxGapMeters = maxGapMeters
        self.mergeMeters = mergeMeters
        self.titleCaseNames = titleCaseNames
    }
}

extension StreetReaders {
    /// The header columns an intersections CSV must have.
    public static let intersectionColumns = ["street_1", "street_2", "latitude", "longitude"]

    /// Approximate street centrelines from a CSV of named intersections (one row per corner: the two street names and
    /// its latitude/longitude), for cities that publish intersections but no usable centreline file, such as the
    /// Chicago intersections in ../shared/data/chicago_street_intersections.
    ///
    /// **Columns.** The header must name `street_1`, `street_2`, `latitude` and `longitude` (any case, any order; other
    /// columns are ignored). Fields may be quoted (RFC 4180 on one line; a quoted line break is not supported).
    ///
    /// **Geometry.** For each street name, its intersections are projected on the principal axis of their positions
    /// (the direction of largest spread, oriented eastward, or northward for a due north-south street), sorted along
    /// it, corners within `mergeMeters` merged, and the street split wherever two consecutive corners are more than
    /// `maxGapMeters` apart. Each run of two or more corners becomes one polyline; a lone corner draws nothing. The
    /// result is straight between corners, so curves are cut short, and a street that bends sharply (an L, a loop)
    /// or whose name is used for two parallel stretches close together is drawn as a zigzag: these are centrelines
    /// good enough to name a zone's sides, not a map of record.
    ///
    /// **Class.** The file has none. Only what the name makes evident is used: a name ending in `EXPY` (expressway)
    /// or `TOLL` (tollway) is a motorway; every other street is `other` (unknown), so maps draw it but do not label
    /// it as a major street.
    ///
    /// **Bad rows** (wrong number of fields, no street name, a position that is not a number or not on Earth) are
    /// reported, one problem each, and skipped; the rest of the file is read. A problem's `featureIndex` is the
    /// 0-based data row and its reason names the file line. A file without the four columns is an error.
    public static func intersections(_ data: Data, source: String = "intersections CSV",
                                     options: IntersectionStreetOptions = IntersectionStreetOptions()) throws(StreetsError) -> StreetReadResult {
        var result = StreetReadResult()
        // "\r\n" is one Character in Swift, so CRLF files (Chicago's is one) are split on both.
        let lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        guard let headerLine = lines.first, let header = IntersectionCSV.fields(IntersectionCSV.stripped(headerLine)) else {
            throw .unreadableCSV(source: source, line: 1, reason: "no header line")
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = intersectionColumns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw .unreadableCSV(source: source, line: 1,
                                 reason: "the header lacks \(missing.joined(separator: ", ")) (found: \(names.joined(separator: ", ")))")
        }
        let column = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var corners = [String: [GeoPoint]]()
        var row = 0
        for (k, rawLine) in lines.enumerated().dropFirst() {
            let line = IntersectionCSV.stripped(rawLine)
            if line.allSatisfy(\.isWhitespace) { continue }
            defer { row += 1 }
            result.featureCount += 1
            let lineNumber = k + 1
            func problem(_ field: String, _ value: String, _ reason: String) {
                result.problems.append(StreetFeatureProblem(featureIndex: row, field: field, value: value, reason: "line \(lineNumber): \(reason)"))
            }
            guard let fields = IntersectionCSV.fields(line) else {
                problem("row", String(line), "a quoted field is not closed on its line")
                continue
            }
            guard fields.count == names.count else {
                problem("row", String(line), "\(fields.count) fields where the header has \(names.count)")
                continue
            }
            let value = { (name: String) in fields[column[name]!].trimmingCharacters(in: .whitespaces) }
            let streets = ["street_1", "street_2"].map { IntersectionCSV.key(value($0)) }
            if let empty = zip(["street_1", "street_2"], streets).first(where: { $0.1.isEmpty }) {
                problem(empty.0, "", "no street name")
                continue
            }
            guard let latitude = Double(value("latitude")), latitude.isFinite, abs(latitude) <= 90 else {
                problem("latitude", value("latitude"), "not a latitude (a number from -90 to 90)")
                continue
            }
            guard let longitude = Double(value("longitude")), longitude.isFinite, abs(longitude) <= 180 else {
                problem("longitude", value("longitude"), "not a longitude (a number from -180 to 180)")
                continue
            }
            let point = GeoPoint(latitude: latitude, longitude: longitude)
            guard point.isPossible else {
                problem("latitude", value("latitude"), "0, 0 is a geocoding failure, not a corner")
                continue
            }
            for name in Set(streets) { corners[name, default: []].append(point) }
        }
        for name in corners.keys.sorted() {
            let display = options.titleCaseNames ? IntersectionCSV.titleCased(name) : name
            let streetClass = IntersectionCSV.evidentClass(name)
            for piece in IntersectionCSV.pieces(corners[name]!, options: options) {
                result.streets.append(Street(name: display, streetClass: streetClass, points: piece))
            }
        }
        return result
    }
}
