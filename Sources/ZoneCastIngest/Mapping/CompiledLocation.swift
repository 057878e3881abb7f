import Foundation
import ZoneCastCore

enum LocationReading {
    case absent
    case sentinel
    case invalid(field: String, value: String)
    case point(GeoPoint)
}

/// One location alternative bound to columns, with its CRS converter prepared.
struct CompiledLocation: Sendable, CustomStringConvertible {
    enum Shape: Sendable {
        case latLon(lat: Int, lon: Int)
        case point(Int)
        case xy(x: Int, y: Int, toGeographic: @Sendable (Double, Double) -> GeoPoint)
    }

    let shape: Shape
    let description: String
    let sentinels: [Double]
    /// Whether x/y may use a decimal comma (latitudes and longitudes always may).
    let decimalCommaXY: Bool

    /// Nil when this alternative's columns are not in the file (another alternative may be).
    init?(_ spec: LocationSpec, field: String, mapping: String, find: (ColumnList?, String) throws -> Int?) throws {
        sentinels = spec.missingValues ?? []
        decimalCommaXY = spec.decimalComma ?? false
        if let lat = spec.latitude, let lon = spec.longitude {
            guard let li = try find(lat, field), let oi = try find(lon, field) else { return nil }
            shape = .latLon(lat: li, lon: oi)
            description = "\(lat.names[0])/\(lon.names[0])"
        } else if let p = spec.point {
            guard let i = try find(p, field) else { return nil }
            shape = .point(i)
            description = p.names[0]
        } else if let x = spec.x, let y = spec.y {
            guard let xi = try find(x, field), let yi = try find(y, field) else { return nil }
            let crs: CoordinateReferenceSystem
            if let tm = spec.transverseMercator {
                let unit: Double
                switch tm.unit {
                case "m": unit = 1
                case "ftUS": unit = CoordinateReferenceSystem.usSurveyFootMeters
                case "ft": unit = 0.3048
                default: throw IngestError.invalidMapping(file: mapping, reason: "\(field).transverseMercator.unit must be m, ftUS or ft, got \(tm.unit)")
                }
                crs = .transverseMercator(TransverseMercator(
                    ellipsoid: .grs80, latitudeOfOriginDegrees: tm.latitudeOfOrigin, centralMeridianDegrees: tm.centralMeridian,
                    scaleFactor: tm.scaleFactor, falseEastingMeters: tm.falseEasting * unit, falseNorthingMeters: tm.falseNorthing * unit), metersPerUnit: unit)
            } else {
                do { crs = try CoordinateReferenceSystem.named(spec.crs ?? "EPSG:4326") } catch {
                    throw IngestError.invalidMapping(file: mapping, reason: "\(field).crs: \(error)")
                }
            }
            shape = .xy(x: xi, y: yi, toGeographic: crs.converter())
            description = "\(x.names[0])/\(y.names[0])"
        } else {
            throw IngestError.invalidMapping(file: mapping, reason: "\(field) needs latitude+longitude, point, or x+y")
        }
    }

    func read(_ cells: Cells) -> LocationReading {
        switch shape {
        case .latLon(let li, let oi):
            guard let ls = cells.value(li), let os = cells.value(oi) else { return .absent }
            guard let lat = Self.number(ls, decimalComma: true), let lon = Self.number(os, decimalComma: true) else {
                return .invalid(field: description, value: "\(ls), \(os)")
            }
            if isSentinel(lat) || isSentinel(lon) { return .sentinel }
            return .point(GeoPoint(latitude: lat, longitude: lon))
        case .point(let i):
            guard let s = cells.value(i) else { return .absent }
            guard let p = Self.parsePoint(s) else { return .invalid(field: description, value: s) }
            if isSentinel(p.latitude) || isSentinel(p.longitude) { return .sentinel }
            return .point(p)
        case .xy(let xi, let yi, let convert):
            guard let xs = cells.value(xi), let ys = cells.value(yi) else { return .absent }
            guard let x = Self.number(xs, decimalComma: decimalCommaXY), let y = Self.number(ys, decimalComma: decimalCommaXY) else {
                return .invalid(field: description, value: "\(xs), \(ys)")
            }
            if isSentinel(x) || isSentinel(y) || (x == 0 && y == 0) { return .sentinel }
            return .point(convert(x, y))
        }
    }

    private func isSentinel(_ v: Double) -> Bool { sentinels.contains { abs($0 - v) < 1e-9 } }

    /// A number, optionally written with a decimal comma ("41,8781": exactly one comma and no point).
    static func number(_ s: String, decimalComma: Bool) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let v = Double(t) { return v }
        guard decimalComma, !t.contains("."), t.filter({ $0 == "," }).count == 1 else { return nil }
        return Double(t.replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite ? $0 : nil }
    }

    /// "POINT (lon lat)" (WKT), or the last "(lat, lon)" in the text, which KCPD puts after address lines
    /// ("1100 LOCUST ST\nKANSAS CITY 64106\n(39.1009, -94.5774)"). With decimal commas: "POINT (-87,6298 41,8781)"
    /// and "(41,8781; -87,6298)".
    static func parsePoint(_ s: String) -> GeoPoint? {
        let upper = s.uppercased()
        if let r = upper.range(of: "POINT") {
            let rest = upper[r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ()"))
            let byBlank = rest.split(separator: " ").compactMap { number(String($0), decimalComma: true) }
            let parts = byBlank.count == 2 ? byBlank : rest.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            guard parts.count == 2 else { return nil }
            return GeoPoint(latitude: parts[1], longitude: parts[0])
        }
        if let open = s.lastIndex(of: "("), let close = s[open...].firstIndex(of: ")"), s[open..<close].contains(";") {
            let parts = s[s.index(after: open)..<close].split(separator: ";").compactMap { number(String($0), decimalComma: true) }
            return parts.count == 2 ? GeoPoint(latitude: parts[0], longitude: parts[1]) : nil
        }
        guard let open = s.lastIndex(of: "("), let close = s[open...].firstIndex(of: ")") else {
            // A bare "lat, lon" pair.
            let parts = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.compactMap(Double.init)
            return parts.count == 2 ? GeoPoint(latitude: parts[0], longitude: parts[1]) : nil
        }
        let inner = s[s.index(after: open)..<close]
        let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.compactMap(Double.init)
        guard parts.count == 2 else { return nil }
        return GeoPoint(latitude: parts[0], longitude: parts[1])
    }
}
