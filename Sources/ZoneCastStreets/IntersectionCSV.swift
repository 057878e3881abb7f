import Foundation
import ZoneCastCore

/// The pieces of `StreetReaders.intersections`: CSV fields of one line, name keys, and corners ordered into polylines.
enum IntersectionCSV {
    /// A line without its carriage return and (on the first line) byte-order mark.
    static func stripped(_ line: Substring) -> Substring {
        var l = line
        if l.hasSuffix("\r") { l = l.dropLast() }
        if l.hasPrefix("\u{FEFF}") { l = l.dropFirst() }
        return l
    }

    /// The fields of one CSV line: commas separate, double quotes enclose (a doubled quote inside is one quote).
    /// Nil when a quote is left open.
    static func fields(_ line: Substring) -> [String]? {
        var fields = [String](), current = "", quoted = false, afterQuote = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" { quoted = false; afterQuote = true } else { current.append(c) }
            } else if c == "\"" {
                if afterQuote { current.append("\"") }
                quoted = true
                afterQuote = false
            } else if c == "," {
                fields.append(current)
                current = ""
                afterQuote = false
            } else {
                current.append(c)
                afterQuote = false
            }
        }
        if quoted { return nil }
        fields.append(current)
        return fields
    }

    /// The grouping key of a street name: upper case, runs of spaces made one ("N  State st" is "N STATE ST").
    static func key(_ name: String) -> String {
        name.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// "N STATE ST" to "N State St", "W 31ST ST" to "W 31st St": each word's first character kept, the rest lower case.
    static func titleCased(_ key: String) -> String {
        key.split(separator: " ").map { word in word.prefix(1).uppercased() + word.dropFirst().lowercased() }.joined(separator: " ")
    }

    /// A motorway when the name says expressway or tollway, otherwise unknown (`other`): see `StreetReaders.intersections`.
    static func evidentClass(_ key: String) -> StreetClass {
        let last = key.split(separator: " ").last.map { String($0) } ?? ""
        return ["EXPY", "TOLL"].contains(last) ? .motorway : .other
    }

    /// Metres per degree of latitude on the mean Earth sphere (radius 6,371,008.8 m).
    static let metersPerDegree = 6_371_008.8 * Double.pi / 180

    /// One street's corners in order along its principal axis, merged and split as the options say; runs of two or more.
    static func pieces(_ corners: [GeoPoint], options: IntersectionStreetOptions) -> [[GeoPoint]] {
        guard corners.count >= 2 else { return [] }
        // A local equirectangular frame about the mean: metres east (x) and north (y), ample for ordering a street.
        let n = Double(corners.count)
        let lat0 = corners.map(\.latitude).reduce(0, +) / n, lon0 = corners.map(\.longitude).reduce(0, +) / n
        let cosLat = cos(lat0 * .pi / 180)
        let xy = corners.map { ((($0.longitude - lon0) * cosLat * metersPerDegree), (($0.latitude - lat0) * metersPerDegree)) }
        let mx = xy.map { $0.0 }.reduce(0, +) / n, my = xy.map { $0.1 }.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for (x, y) in xy {
            sxx += (x - mx) * (x - mx)
            syy += (y - my) * (y - my)
            sxy += (x - mx) * (y - my)
        }
        // The major axis of the 2x2 covariance, turned to point east, or north when it runs due north-south (rounding
        // in the means can leave a due north-south axis pointing south).
        let angle = 0.5 * atan2(2 * sxy, sxx - syy)
        var (c, s) = (cos(angle), sin(angle))
        if c < -1e-9 || (abs(c) <= 1e-9 && s < 0) { (c, s) = (-c, -s) }
        let order = corners.indices.sorted { i, j in
            let a = (xy[i].0 * c + xy[i].1 * s, -xy[i].0 * s + xy[i].1 * c, corners[i].latitude, corners[i].longitude)
            let b = (xy[j].0 * c + xy[j].1 * s, -xy[j].0 * s + xy[j].1 * c, corners[j].latitude, corners[j].longitude)
            return a < b
        }
        func distance(_ i: Int, _ j: Int) -> Double {
            let dx = xy[i].0 - xy[j].0, dy = xy[i].1 - xy[j].1
            return (dx * dx + dy * dy).squareRoot()
        }
        var runs = [[Int]](), run = [Int]()
        for i in order {
            guard let last = run.last else { run = [i]; continue }
            let d = distance(last, i)
            if d < options.mergeMeters { continue }
            if d > options.maxGapMeters {
                runs.append(run)
                run = [i]
            } else {
                run.append(i)
            }
        }
        runs.append(run)
        return runs.filter { $0.count >= 2 }.map { $0.map { corners[$0] } }
    }
}
