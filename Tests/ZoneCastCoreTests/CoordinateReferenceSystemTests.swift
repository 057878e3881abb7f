import Foundation
import Testing
@testable import ZoneCastCore

// Reference values were computed with pyproj 3.7.2 / PROJ 9.5.1 (Transformer.from_crs(source, target,
// always_xy=True)). The two EPSG:3435 points are also the Latitude/Longitude columns of the City of Chicago
// homicide extract, rows 1 and 2.

/// Package root, found from this file's path: <root>/Tests/ZoneCastCoreTests/<this file>.
private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The City of Chicago homicide extract, shared outside the package (../shared/data relative to the root).
private let chicagoHomicidesCSV = packageRoot
    .appendingPathComponent("../shared/data/chicago_homicides_2001_2023/Homicides_2001_to_present.csv").standardizedFileURL

/// Minimal RFC 4180 reader: fields separated by commas, optionally quoted, "" inside quotes is a literal quote,
/// quoted fields may hold commas and newlines. Enough for the Chicago export (whose last column, "Location",
/// is a quoted "(lat, lon)" pair and whose "Location Description" can be e.g. "CTA ""L"" PLATFORM").
private func parseCSV(_ bytes: [UInt8]) -> [[String]] {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    var rows: [[String]] = [], row: [String] = [], field: [UInt8] = []
    var inQuotes = false, fieldStarted = false
    var i = 0
    func endField() { row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true); fieldStarted = false }
    while i < bytes.count {
        let c = bytes[i]
        if inQuotes {
            if c == quote {
                if i + 1 < bytes.count, bytes[i + 1] == quote { field.append(quote); i += 1 } else { inQuotes = false }
            } else {
                field.append(c)
            }
        } else if c == quote, field.isEmpty {
            inQuotes = true; fieldStarted = true
        } else if c == comma {
            endField()
        } else if c == lf || c == cr {
            if c == cr, i + 1 < bytes.count, bytes[i + 1] == lf { i += 1 }
            endField(); rows.append(row); row = []
        } else {
            field.append(c); fieldStarted = true
        }
        i += 1
    }
    if fieldStarted || !field.isEmpty || !row.isEmpty { endField(); rows.append(row) }
    return rows
}

@Suite("Coordinate reference systems")
struct CoordinateReferenceSystemTests {
    // MARK: Resolving names

    @Test("given WGS84 and NAD83 geographic codes when resolved then both are .geographic and x is longitude")
    func geographic() async throws {
        #expect(try CoordinateReferenceSystem.named("EPSG:4326") == .geographic)
        #expect(try CoordinateReferenceSystem.named("EPSG:4269") == .geographic)
        let convert = try CoordinateReferenceSystem.named("EPSG:4326").converter()
        let p = convert(-94.5774, 39.1009)
        #expect(p.latitude == 39.1009)
        #expect(p.longitude == -94.5774)
    }

    @Test("given UTM codes when resolved then zone, hemisphere, ellipsoid and unit follow the EPSG numbering")
    func utmCodes() async throws {
        #expect(try CoordinateReferenceSystem.named("EPSG:32615") == .transverseMercator(.utm(zone: 15, north: true), metersPerUnit: 1))
        #expect(try CoordinateReferenceSystem.named("EPSG:32601") == .transverseMercator(.utm(zone: 1, north: true), metersPerUnit: 1))
        #expect(try CoordinateReferenceSystem.named("EPSG:32660") == .transverseMercator(.utm(zone: 60, north: true), metersPerUnit: 1))
        #expect(try CoordinateReferenceSystem.named("EPSG:32756") == .transverseMercator(.utm(zone: 56, north: false), metersPerUnit: 1))
        #expect(try CoordinateReferenceSystem.named("EPSG:26915")
            == .transverseMercator(.utm(zone: 15, north: true, ellipsoid: .grs80), metersPerUnit: 1))
    }

    @Test("given a code in lower case or without the EPSG prefix when resolved then it is accepted")
    func caseAndPrefix() async throws {
        let canonical = try CoordinateReferenceSystem.named("EPSG:3435")
        #expect(try CoordinateReferenceSystem.named("epsg:3435") == canonical)
        #expect(try CoordinateReferenceSystem.named("3435") == canonical)
    }

    @Test("given an unknown CRS name when resolved then CoreError.unknownCRS carries the name as written",
          arguments: ["EPSG:9999", "WGS84", "", "EPSG:", "EPSG:32600", "EPSG:32661", "EPSG:32700", "EPSG:26924", "EPSG:3857",
                      "ESRI:102671", "EPSG:3435x"])
    func unknown(_ name: String) async {
        #expect(throws: CoreError.unknownCRS(name)) { try CoordinateReferenceSystem.named(name) }
    }

    @Test("given EPSG:3435 when resolved then it is NAD83 Illinois East in US survey feet")
    func illinoisEastDefinition() async throws {
        guard case .transverseMercator(let tm, let unit) = try CoordinateReferenceSystem.named("EPSG:3435") else {
            Issue.record("EPSG:3435 should be a transverse Mercator grid")
            return
        }
        #expect(unit == 1200.0 / 3937.0)
        #expect(CoordinateReferenceSystem.usSurveyFootMeters == 1200.0 / 3937.0)
        #expect(tm.ellipsoid == .grs80)
        #expect(abs(tm.latitudeOfOriginDegrees - 36.666_666_666_666_67) < 1e-12)
        #expect(abs(tm.centralMeridianDegrees - -88.333_333_333_333_33) < 1e-12)
        #expect(tm.scaleFactor == 0.999975)
        #expect(tm.falseEastingMeters == 300_000)
        #expect(tm.falseNorthingMeters == 0)
    }

    // MARK: Conversions

    @Test("given Chicago State Plane x/y (EPSG:3435, ftUS) when converted then lat/lon match PROJ and the city's own columns within 1e-6°",
          arguments: [
              (1_154_405.0, 1_924_119.0, 41.947607802, -87.707846683),
              (1_174_775.0, 1_860_707.0, 41.773168477, -87.634868256),
          ])
    func illinoisEast(x: Double, y: Double, latitude: Double, longitude: Double) async throws {
        let convert = try CoordinateReferenceSystem.named("EPSG:3435").converter()
        let p = convert(x, y)
        #expect(abs(p.latitude - latitude) < 1e-6, "latitude \(p.latitude) vs \(latitude)")
        #expect(abs(p.longitude - longitude) < 1e-6, "longitude \(p.longitude) vs \(longitude)")
        // PROJ itself agrees with the inputs to the 9 printed decimals; so do we, to well below the tolerance.
        #expect(abs(p.latitude - latitude) < 1e-8)
        #expect(abs(p.longitude - longitude) < 1e-8)
    }

    @Test("given Illinois West x/y (EPSG:3436, ftUS) when converted then lat/lon match PROJ")
    func illinoisWest() async throws {
        // pyproj 3.7.2: EPSG:3436 -> EPSG:4269, (2400000.0, 1300000.0) -> lon -89.796237432, lat 40.235855973
        //               EPSG:4269 -> EPSG:3436, (-89.589, 40.6936) -> 2456765.8132, 1467063.9867
        let convert = try CoordinateReferenceSystem.named("EPSG:3436").converter()
        let a = convert(2_400_000, 1_300_000)
        #expect(abs(a.latitude - 40.235855973) < 1e-8)
        #expect(abs(a.longitude - -89.796237432) < 1e-8)
        let peoria = convert(2_456_765.8132, 1_467_063.9867)
        #expect(abs(peoria.latitude - 40.6936) < 1e-8)
        #expect(abs(peoria.longitude - -89.589) < 1e-8)
    }

    @Test("given UTM x/y in metres (EPSG:32615 and NAD83 EPSG:26915) when converted then lat/lon match PROJ")
    func utmConverters() async throws {
        // pyproj 3.7.2: EPSG:4326 -> EPSG:32615 (-94.5774, 39.1009) -> 363600.8129, 4329158.0021
        //               EPSG:4269 -> EPSG:26915 (-94.5774, 39.1009) -> 363600.8129, 4329158.0020 (GRS80)
        let wgs = try CoordinateReferenceSystem.named("EPSG:32615").converter()(363_600.8129, 4_329_158.0021)
        #expect(abs(wgs.latitude - 39.1009) < 2e-9)
        #expect(abs(wgs.longitude - -94.5774) < 2e-9)
        let nad = try CoordinateReferenceSystem.named("EPSG:26915").converter()(363_600.8129, 4_329_158.0020)
        #expect(abs(nad.latitude - 39.1009) < 2e-9)
        #expect(abs(nad.longitude - -94.5774) < 2e-9)
    }

    @Test("given a TM grid in feet when converted then the converter applies the unit before unprojecting")
    func unitIsApplied() async {
        let tm = TransverseMercator.local(centeredOn: GeoPoint(latitude: 39.1, longitude: -94.55))
        let feet = CoordinateReferenceSystem.transverseMercator(tm, metersPerUnit: CoordinateReferenceSystem.usSurveyFootMeters).converter()
        let meters = CoordinateReferenceSystem.transverseMercator(tm, metersPerUnit: 1).converter()
        // 3937 ftUS is exactly 1200 m.
        let a = feet(3_937, -3_937), b = meters(1_200, -1_200)
        #expect(abs(a.latitude - b.latitude) < 1e-12)
        #expect(abs(a.longitude - b.longitude) < 1e-12)
    }

    // MARK: The whole City of Chicago file

    // Skipped (with this message) when the shared data set is not checked out next to the package.
    @Test("given every City of Chicago homicide row with X/Y and lat/lon when X/Y is converted from EPSG:3435 then it agrees with the city's lat/lon within 1e-6°",
          .enabled(if: FileManager.default.fileExists(atPath: chicagoHomicidesCSV.path),
                   "Chicago homicide CSV not found at ../shared/data/chicago_homicides_2001_2023/Homicides_2001_to_present.csv; skipping"))
    func chicagoFile() async throws {
        let data = try Data(contentsOf: chicagoHomicidesCSV)
        let rows = parseCSV([UInt8](data))
        let header = try #require(rows.first)
        let ix = try #require(header.firstIndex(of: "X Coordinate"))
        let iy = try #require(header.firstIndex(of: "Y Coordinate"))
        let ilat = try #require(header.firstIndex(of: "Latitude"))
        let ilon = try #require(header.firstIndex(of: "Longitude"))
        let convert = try CoordinateReferenceSystem.named("EPSG:3435").converter()
        var checked = 0, skipped = 0, maxError = 0.0, worstRow = 0
        for (n, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].isEmpty) {
            #expect(row.count == header.count, "row \(n + 2) has \(row.count) fields, header has \(header.count)")
            guard row.count == header.count,
                  let x = Double(row[ix]), let y = Double(row[iy]),
                  let lat = Double(row[ilat]), let lon = Double(row[ilon]) else { skipped += 1; continue }
            let p = convert(x, y)
            let error = max(abs(p.latitude - lat), abs(p.longitude - lon))
            if error > maxError { maxError = error; worstRow = n + 2 }
            checked += 1
        }
        print("EPSG:3435 vs City of Chicago lat/lon: \(checked) rows checked, \(skipped) without coordinates, max error \(maxError)° (file line \(worstRow))")
        // The extract has 12,657 rows, 3 without coordinates (see its README.txt).
        #expect(checked >= 12_000)
        #expect(maxError < 1e-6, "max error \(maxError)° at file line \(worstRow)")
    }
}
