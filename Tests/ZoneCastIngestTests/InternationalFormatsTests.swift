import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastIngest
import ZoneCastStore

/// Exports from outside the shipped cities: ISO 8601 instants with "Z" or an offset, semicolon-separated files with
/// decimal commas, and the `"when": {}` catch-all rule (issue #16, item 4).
@Suite("International formats")
struct InternationalFormatsTests {
    static let latLon = #"{"latitude": "lat", "longitude": "lon"}"#
    static let robberyOrOther = #"[{"when": {"offence": ["Robo"]}, "category": "robbery"}, {"when": {}, "category": "other"}]"#

    static func mapping(formats: [String] = ["yyyy-MM-ddTHH:mm:ssXXX"], extra: String = "", location: String = latLon,
                        categories: String = robberyOrOther) throws -> Mapping {
        let formatList = formats.map { "\"\($0)\"" }.joined(separator: ", ")
        let text = """
        {"name": "intl", "source": "intl", "recordID": {"columns": ["id"]}, "offence": "offence", \(extra)
         "occurred": {"dateTime": {"column": "when", "formats": [\(formatList)]}},
         "categories": \(categories), "location": [\(location)]}
        """
        return try Mapping.decode(Data(text.utf8), file: "intl.json")
    }

    /// Every data row's verdict, the file read in chunks of `chunk` bytes.
    static func interpret(_ csv: String, _ mapping: Mapping, chunk: Int = 7) throws -> [RowResult] {
        var reader = CSVReader(source: MemoryChunkSource(csv, chunkSize: chunk))
        let header = try #require(try reader.next())
        var compiled = try CompiledMapping(mapping: mapping, header: header.fields, jurisdiction: try Presets.jurisdiction("kansas-city"), now: testNow)
        var out: [RowResult] = []
        while let record = try reader.next() { out.append(compiled.interpret(record, source: mapping.source)) }
        return out
    }

    static func incident(_ r: RowResult) throws -> Incident {
        guard case .incident(let i, _, _) = r else { Issue.record("expected an incident, got \(r)"); throw CancellationError() }
        return i
    }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("given ISO 8601 values with Z, +hh:mm, +hhmm and -hh, when parsed with XXX, then each carries its offset in seconds")
    func offsetsParse() throws {
        let p = try DatePattern("yyyy-MM-ddTHH:mm:ssXXX")
        #expect(p.parse("2017-03-01T14:05:00Z")?.offsetSeconds == 0)
        #expect(p.parse("2017-03-01T09:05:00-05:00")?.offsetSeconds == -18_000)
        #expect(p.parse("2017-03-01T19:35:00+0530")?.offsetSeconds == 19_800)
        #expect(p.parse("2017-03-01T08:05:00-06")?.offsetSeconds == -21_600)
        #expect(p.parse("2017-03-01T14:05:00") == nil)          // the designator is required by this pattern
        #expect(p.parse("2017-03-01T14:05:00+25:00") == nil)    // beyond +-18:00
        #expect(p.parse("2017-03-01T14:05:00+05:75") == nil)    // minutes over 59
        #expect(try DatePattern("yyyy-MM-dd HH:mm").parse("2017-03-01 14:05")?.offsetSeconds == nil)
    }

    @Test("given UTC and offset times in a Kansas City export, when interpreted, then the instants are the ones written and the local date is Kansas City's")
    func instantsConvertToTheJurisdiction() throws {
        let csv = """
        id,when,offence,lat,lon
        1,2017-03-01T14:05:00Z,Robo,39.05,-94.55
        2,2017-03-01T15:05:00+01:00,Robo,39.05,-94.55
        3,2017-03-01T03:00:00Z,Robo,39.05,-94.55
        4,2017-07-01T03:00:00.000Z,Robo,39.05,-94.55
        """
        let rows = try Self.interpret(csv, Self.mapping(formats: ["yyyy-MM-ddTHH:mm:ssXXX", "yyyy-MM-ddTHH:mm:ss.SSSXXX"]))
        let a = try Self.incident(rows[0]), b = try Self.incident(rows[1]), c = try Self.incident(rows[2]), d = try Self.incident(rows[3])
        #expect(a.occurredAt == Self.utc("2017-03-01T14:05:00Z"))  // not 6 h later, as a literal Z read in Central time was
        #expect(b.occurredAt == Self.utc("2017-03-01T14:05:00Z"))
        #expect(a.localDate == LocalDate(year: 2017, month: 3, day: 1))
        #expect(c.localDate == LocalDate(year: 2017, month: 2, day: 28))  // 03:00 UTC is 21:00 CST the day before
        #expect(d.localDate == LocalDate(year: 2017, month: 6, day: 30))  // 03:00 UTC is 22:00 CDT the day before
        #expect(a.occurredPrecision == .exact)
    }

    @Test("given a malformed offset, when interpreted, then the row is quarantined naming the field and the value")
    func badOffsetNamesFieldAndValue() throws {
        let rows = try Self.interpret("id,when,offence,lat,lon\n1,2017-03-01T14:05:00+99:00,Robo,39.05,-94.55\n", Self.mapping())
        guard case .rejected(let reason, let field, let value, let message) = rows[0] else { Issue.record("accepted \(rows[0])"); return }
        #expect(reason == .unparseableDate && field == "when" && value == "2017-03-01T14:05:00+99:00")
        #expect(message.contains("2017-03-01T14:05:00+99:00"))
    }

    @Test("given a semicolon-separated file with decimal commas, when read in chunks of 1 to 13 bytes, then fields split on semicolons and coordinates read")
    func semicolonsAndDecimalCommas() throws {
        let csv = "id;when;offence;lat;lon\r\n1;2017-03-01T14:05:00Z;\"Robo; a mano armada\";39,05;-94,55\r\n2;2017-03-01T14:05:00Z;Robo;39.06;-94.56\r\n"
        for chunk in 1...13 {
            var reader = CSVReader(source: MemoryChunkSource(csv, chunkSize: chunk))
            #expect(try reader.next()?.fields == ["id", "when", "offence", "lat", "lon"])
            #expect(try reader.next()?.fields == ["1", "2017-03-01T14:05:00Z", "Robo; a mano armada", "39,05", "-94,55"])
            #expect(reader.separator == UInt8(ascii: ";"))
        }
        let rows = try Self.interpret(csv, Self.mapping(categories: #"[{"when": {"offence": ["Robo*"]}, "category": "robbery"}]"#))
        let first = try Self.incident(rows[0]), second = try Self.incident(rows[1])
        #expect(abs(first.location.latitude - 39.05) < 1e-12 && abs(first.location.longitude + 94.55) < 1e-12)
        #expect(abs(second.location.latitude - 39.06) < 1e-12)
        // A comma file whose header holds one semicolon in a name stays a comma file.
        var comma = CSVReader(source: MemoryChunkSource("id,\"a;b\",c\n1,2,3\n"))
        #expect(try comma.next()?.fields == ["id", "a;b", "c"])
        #expect(comma.separator == UInt8(ascii: ","))
        // A declared separator wins over detection.
        var declared = CSVReader(source: MemoryChunkSource("a;b,c;d\n"), separator: UInt8(ascii: ";"))
        #expect(try declared.next()?.fields == ["a", "b,c", "d"])
    }

    @Test("given projected x/y with decimal commas, when the mapping declares decimalComma, then they read; without it the row names the field and value")
    func projectedDecimalCommas() throws {
        // Kansas City in UTM 15N (EPSG:32615), metres.
        let csv = "id;when;offence;x;y\n1;2017-03-01T14:05:00Z;Robo;365180,5;4322500,25\n"
        let declared = try Self.mapping(location: #"{"x": "x", "y": "y", "crs": "EPSG:32615", "decimalComma": true}"#)
        let point = try Self.incident(try Self.interpret(csv, declared)[0]).location
        #expect(abs(point.latitude - 39.04) < 0.02 && abs(point.longitude + 94.56) < 0.02)
        let undeclared = try Self.mapping(location: #"{"x": "x", "y": "y", "crs": "EPSG:32615"}"#)
        guard case .rejected(let reason, let field, let value, _) = try Self.interpret(csv, undeclared)[0] else { Issue.record("accepted"); return }
        #expect(reason == .impossibleCoordinates && field == "x/y" && value == "365180,5, 4322500,25")
        // "1,234" with a thousands separator is never read as 1.234 in x/y without the declaration.
        #expect(CompiledLocation.number("1,234", decimalComma: false) == nil)
        #expect(CompiledLocation.number("41,8781", decimalComma: true) == 41.8781)
        #expect(CompiledLocation.number("1,234,5", decimalComma: true) == nil)
        #expect(CompiledLocation.parsePoint("POINT (-87,6298 41,8781)") == GeoPoint(latitude: 41.8781, longitude: -87.6298))
        #expect(CompiledLocation.parsePoint("Calle 5 (41,8781; -87,6298)") == GeoPoint(latitude: 41.8781, longitude: -87.6298))
    }

    @Test("given a catch-all rule, when a row matches no other rule, then the catch-all decides; a catch-all before other rules is refused by index")
    func catchAll() throws {
        let csv = "id,when,offence,lat,lon\n1,2017-03-01T14:05:00Z,Robo,39.05,-94.55\n2,2017-03-01T14:05:00Z,Hurto,39.05,-94.55\n"
        let rows = try Self.interpret(csv, Self.mapping())
        #expect(try Self.incident(rows[0]).category == .robbery)
        #expect(try Self.incident(rows[1]).category == .other)
        let early = try Self.mapping(categories: #"[{"when": {}, "category": "other"}, {"when": {"offence": ["Robo"]}, "category": "robbery"}]"#)
        #expect {
            _ = try Self.interpret(csv, early)
        } throws: { error in
            guard case IngestError.invalidMapping(let file, let reason) = error else { return false }
            return file == "intl" && reason.contains("categories[0]") && reason.contains("1 rule(s)")
        }
    }

    @Test("given a mapping declaring an unknown separator, when compiled, then the error names the key and the value")
    func badSeparator() throws {
        let m = try Self.mapping(extra: #""separator": "|","#)
        #expect {
            _ = try Self.interpret("id,when,offence,lat,lon\n", m)
        } throws: { error in
            guard case IngestError.invalidMapping(_, let reason) = error else { return false }
            return reason.contains("separator") && reason.contains("\"|\"")
        }
        #expect(try Self.mapping(extra: #""separator": "semicolon","#).declaredSeparator() == UInt8(ascii: ";"))
        #expect(try Self.mapping().declaredSeparator() == nil)
    }
}
