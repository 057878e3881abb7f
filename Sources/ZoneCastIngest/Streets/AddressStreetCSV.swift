import Foundation
import ZoneCastCore
public import ZoneCastStreets

/// How a column's values give a street class.
public enum StreetClassCodes: String, CaseIterable, Hashable, Sendable {
    /// FARS `ROAD_FNC` (to 2014), the FHWA classes of the time: 1/11 interstate, 12 other freeway or expressway,
    /// 2/13 other principal arterial, 3/14 minor arterial, 4/5/15 collector, 6/16 local; 9, 19 and 99 unknown.
    case farsRoadFunction = "fars-road-fnc"
    /// FARS `FUNC_SYS` (2015 on) and HPMS `F_SYSTEM`: 1 interstate, 2 other freeway or expressway, 3 other principal
    /// arterial, 4 minor arterial, 5/6 major/minor collector, 7 local; 96, 98 and 99 unknown.
    case functionalSystem = "func-sys"
    /// A class name (motorway, primary, ...) or an OpenStreetMap `highway=*` value.
    case name = "class"

    /// The class a value codes: `.success(nil)` for a code meaning unknown, `.failure` naming what was expected.
    public func streetClass(for value: String) -> Result<StreetClass?, StreetClassCodeError> {
        if self == .name {
            let v = value.lowercased()
            if let c = StreetClass(rawValue: v) ?? StreetClass(osmHighway: v) { return .success(c) }
            return .failure(StreetClassCodeError(expected: "a class (\(StreetClass.allCases.map(\.rawValue).joined(separator: ", "))) or an OSM highway value"))
        }
        // FARS extracts write codes as "14" or "14.0".
        guard let number = Double(value), number.rounded() == number, let code = Int(exactly: number) else {
            return .failure(StreetClassCodeError(expected: "a whole-number \(rawValue) code"))
        }
        let table: [Int: StreetClass?] = self == .farsRoadFunction
            ? [1: .motorway, 11: .motorway, 12: .trunk, 2: .primary, 13: .primary, 3: .secondary, 14: .secondary, 4: .tertiary, 5: .tertiary,
               15: .tertiary, 6: .residential, 16: .residential, 9: nil, 19: nil, 99: nil]
            : [1: .motorway, 2: .trunk, 3: .primary, 4: .secondary, 5: .tertiary, 6: .tertiary, 7: .residential, 96: nil, 98: nil, 99: nil]
        guard let mapped = table[code] else {
            return .failure(StreetClassCodeError(expected: "a \(rawValue) code (\(table.keys.sorted().map(String.init).joined(separator: ", ")))"))
        }
        return .success(mapped)
    }
}

/// Why a class value was not used: what the column's codes allow.
public struct StreetClassCodeError: Error, Hashable, Sendable {
    public var expected: String
}

/// A column whose values class the first street of each row, and how to read them: "ROAD_FNC=fars-road-fnc".
public struct StreetClassColumn: Hashable, Sendable {
    public var column: String
    public var codes: StreetClassCodes

    public init(column: String, codes: StreetClassCodes) {
        self.column = column
        self.codes = codes
    }

    /// "COLUMN=CODES" (CODES one of `StreetClassCodes`), or "COLUMN" alone for class names.
    public init(parsing text: String) throws(IngestError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let column = parts.first, !column.isEmpty else {
            throw .invalidMapping(file: "--class-column", reason: "\"\(text)\" names no column (give COLUMN=CODES)")
        }
        let codesText = parts.count > 1 ? parts[1] : StreetClassCodes.name.rawValue
        guard let codes = StreetClassCodes(rawValue: codesText.lowercased()) else {
            throw .invalidMapping(file: "--class-column", reason: "\"\(codesText)\" in \"\(text)\" is not one of "
                                  + StreetClassCodes.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.init(column: column, codes: codes)
    }
}

/// Which columns of a CSV hold the address, an optional second street (a cross street), the position and the class.
/// Each is a list of alternatives matched case-insensitively, the first the header has winning, so one set of options
/// reads files that name their columns differently (GVA's `address`/`latitude`, FARS's `TWAY_ID`/`LATITUDE`).
public struct AddressStreetColumns: Hashable, Sendable {
    public var address: [String]
    public var secondName: [String]
    public var latitude: [String]
    public var longitude: [String]
    /// Tried in order for each row: the first with a known class is used.
    public var classColumns: [StreetClassColumn]

    public init(address: [String] = ["address"], secondName: [String] = [], latitude: [String] = ["latitude"],
                longitude: [String] = ["longitude"], classColumns: [StreetClassColumn] = []) {
        self.address = address
        self.secondName = secondName
        self.latitude = latitude
        self.longitude = longitude
        self.classColumns = classColumns
    }
}

/// The observations of one or more files, and the rows that gave none.
public struct AddressObservations: Sendable {
    public var observations: [StreetObservation] = []
    /// `featureIndex` is the 0-based data row of its file; the reason starts with the file and line.
    public var problems: [StreetFeatureProblem] = []
    public var rowCount = 0

    public init() {}
}

/// Reads geocoded records (any incident CSV with an address and a position) into `StreetObservation`s for
/// `StreetReaders.streets(fromAddresses:)`. Bad rows are reported by row, field and value and skipped; a header
/// without the address or position columns is an error.
public enum AddressStreetCSV {
    public static func read(_ file: InputFile, columns: AddressStreetColumns) throws(IngestError) -> AddressObservations {
        let (reader, process) = try file.openReader()
        var r = reader
        defer { process?.waitUntilExit() }
        return try read(&r, source: file.fileName, columns: columns)
    }

    public static func read(text: String, source: String, columns: AddressStreetColumns) throws(IngestError) -> AddressObservations {
        var reader = CSVReader(source: MemoryChunkSource(text))
        return try read(&reader, source: source, columns: columns)
    }

    static func read<S: ByteChunkSource>(_ reader: inout CSVReader<S>, source: String, columns: AddressStreetColumns) throws(IngestError)
        -> AddressObservations {
        func next() throws(IngestError) -> CSVRecord? {
            do { return try reader.next() } catch { throw .unreadableFile(path: source, reason: "\(error)") }
        }
        guard let header = try next() else { throw .emptyFile(source) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func index(_ wanted: [String], _ role: String, required: Bool) throws(IngestError) -> Int? {
            if let k = wanted.lazy.compactMap({ names.firstIndex(of: $0.lowercased()) }).first { return k }
            guard required else { return nil }
            throw .invalidHeader(file: source, reason: "no \(role) column (looked for \(wanted.joined(separator: ", ")); "
                                 + "the header has \(header.fields.joined(separator: ", ")))")
        }
        let addressAt = try index(columns.address, "address", required: true)!
        let latitudeAt = try index(columns.latitude, "latitude", required: true)!
        let longitudeAt = try index(columns.longitude, "longitude", required: true)!
        let secondAt = try index(columns.secondName, "second street", required: false)
        let classAt = columns.classColumns.compactMap { c in names.firstIndex(of: c.column.lowercased()).map { ($0, c) } }
        var result = AddressObservations()
        var row = 0
        while let record = try next() {
            defer { row += 1 }
            result.rowCount += 1
            func problem(_ field: String, _ value: String, _ reason: String) {
                result.problems.append(StreetFeatureProblem(featureIndex: row, field: field, value: value,
                                                            reason: "\(source) line \(record.lineNumber): \(reason)"))
            }
            if let p = record.problem {
                problem("row", record.raw, "\(p)")
                continue
            }
            guard record.fields.count == names.count else {
                problem("row", record.raw, "\(record.fields.count) fields where the header has \(names.count)")
                continue
            }
            let value = { (k: Int) in record.fields[k].trimmingCharacters(in: .whitespacesAndNewlines) }
            let address = value(addressAt), second = secondAt.map(value) ?? ""
            guard !address.isEmpty || !second.isEmpty else {
                problem(header.fields[addressAt], "", "no address")
                continue
            }
            guard let latitude = Double(value(latitudeAt)), latitude.isFinite, abs(latitude) <= 90 else {
                problem(header.fields[latitudeAt], value(latitudeAt), "not a latitude (a number from -90 to 90)")
                continue
            }
            guard let longitude = Double(value(longitudeAt)), longitude.isFinite, abs(longitude) <= 180 else {
                problem(header.fields[longitudeAt], value(longitudeAt), "not a longitude (a number from -180 to 180)")
                continue
            }
            let point = GeoPoint(latitude: latitude, longitude: longitude)
            guard point.isPossible else {
                problem(header.fields[latitudeAt], value(latitudeAt), "0, 0 is a geocoding failure, not a place")
                continue
            }
            guard !AddressStreetNames.streets(in: address).isEmpty || !AddressStreetNames.streets(in: second).isEmpty else {
                problem(header.fields[addressAt], address, "names no street")
                continue
            }
            var streetClass: StreetClass?
            for (k, column) in classAt where !value(k).isEmpty {
                switch column.codes.streetClass(for: value(k)) {
                case .success(let c?): streetClass = c
                case .success(nil): continue
                case .failure(let e): problem(header.fields[k], value(k), "not \(e.expected); the row is used without a class")
                }
                if streetClass != nil { break }
            }
            if !address.isEmpty { result.observations.append(StreetObservation(address: address, point: point, streetClass: streetClass)) }
            if !second.isEmpty { result.observations.append(StreetObservation(address: second, point: point)) }
        }
        return result
    }
}
