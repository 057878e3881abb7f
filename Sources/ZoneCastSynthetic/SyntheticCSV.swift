public import Foundation
import ZoneCastCore

/// Renders synthetic rows as the CSV export of a fictional records system. Writing goes through a byte buffer
/// flushed in large chunks: a million rows are a few tens of megabytes and are written without building one
/// big string.
public enum SyntheticCSV {
    public static let header = "incident_id,occurred_date,occurred_time,offence,latitude,longitude,address,firearm,synthetic"
    /// Value of the `synthetic` column on every row.
    public static let syntheticMarker = "SYNTHETIC"
    /// Date text of `SyntheticDefect.unparseableDate` rows.
    public static let unparseableDateText = "not a date"

    /// Generates the data set and writes header plus rows as UTF-8 chunks of about `chunkBytes` to `output`.
    /// Lines end with LF. Returns the metadata to write beside the file.
    @discardableResult
    public static func write(
        _ generator: SyntheticIncidentGenerator, chunkBytes: Int = 1 << 20, to output: (Data) throws -> Void
    ) rethrows -> SyntheticMetadata {
        var buffer = [UInt8]()
        buffer.reserveCapacity(chunkBytes + 512)
        buffer.append(contentsOf: header.utf8)
        buffer.append(UInt8(ascii: "\n"))
        let metadata = try generator.generate { row in
            appendLine(row, to: &buffer)
            if buffer.count >= chunkBytes {
                try output(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try output(Data(buffer)) }
        return metadata
    }

    /// Generates and writes to an open file handle.
    @discardableResult
    public static func write(_ generator: SyntheticIncidentGenerator, to handle: FileHandle) throws -> SyntheticMetadata {
        try write(generator) { try handle.write(contentsOf: $0) }
    }

    /// The whole CSV as a string (header included), for tests and small sets.
    public static func text(of rows: [SyntheticRow]) -> String {
        var buffer = Array(header.utf8)
        buffer.append(UInt8(ascii: "\n"))
        for row in rows { appendLine(row, to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// One row's line, without the line ending.
    public static func line(_ row: SyntheticRow) -> String {
        var buffer: [UInt8] = []
        appendLine(row, to: &buffer)
        buffer.removeLast()
        return String(decoding: buffer, as: UTF8.self)
    }

    static func appendLine(_ row: SyntheticRow, to b: inout [UInt8]) {
        let comma = UInt8(ascii: ",")
        appendField(row.incidentID, to: &b)
        b.append(comma)
        if row.defect == .unparseableDate {
            appendField(unparseableDateText, to: &b)
        } else {
            let d = row.occurred.date
            appendDigits(d.year, width: 4, to: &b)
            b.append(UInt8(ascii: "-"))
            appendDigits(d.month, width: 2, to: &b)
            b.append(UInt8(ascii: "-"))
            appendDigits(d.day, width: 2, to: &b)
        }
        b.append(comma)
        if row.timePrecision != .day {
            appendDigits(row.occurred.hour, width: 2, to: &b)
            b.append(UInt8(ascii: ":"))
            appendDigits(row.occurred.minute, width: 2, to: &b)
        }
        b.append(comma)
        appendField(row.offence.rawValue, to: &b)
        b.append(comma)
        if row.defect != .blankCoordinates {
            appendMicrodegrees(row.location.latitude, to: &b)
            b.append(comma)
            appendMicrodegrees(row.location.longitude, to: &b)
        } else {
            b.append(comma)
        }
        b.append(comma)
        appendField(row.address, to: &b)
        b.append(comma)
        b.append(row.firearm ? UInt8(ascii: "Y") : UInt8(ascii: "N"))
        b.append(comma)
        b.append(contentsOf: syntheticMarker.utf8)
        b.append(UInt8(ascii: "\n"))
    }

    /// RFC 4180: a field containing a comma, double quote, CR or LF is enclosed in double quotes, with inner
    /// quotes doubled; other fields are written as they are.
    static func appendField(_ s: String, to b: inout [UInt8]) {
        let utf8 = s.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { b.append(contentsOf: utf8); return }
        b.append(UInt8(ascii: "\""))
        for c in utf8 {
            if c == UInt8(ascii: "\"") { b.append(c) }
            b.append(c)
        }
        b.append(UInt8(ascii: "\""))
    }

    /// Fixed 6 decimals from the rounded integer of microdegrees (exact, and much faster than String(format:)).
    static func appendMicrodegrees(_ degrees: Double, to b: inout [UInt8]) {
        var micro = Int64((degrees * 1e6).rounded())
        if micro < 0 { b.append(UInt8(ascii: "-")); micro = -micro }
        appendDigits(Int(micro / 1_000_000), width: 1, to: &b)
        b.append(UInt8(ascii: "."))
        appendDigits(Int(micro % 1_000_000), width: 6, to: &b)
    }

    /// A non-negative integer, zero-padded to at least `width` digits.
    static func appendDigits(_ value: Int, width: Int, to b: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = max(0, value), count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0 && count < 20
            while count < width && count < 20 {
                buf[count] = UInt8(ascii: "0")
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { b.append(buf[i]) }
        }
    }
}
