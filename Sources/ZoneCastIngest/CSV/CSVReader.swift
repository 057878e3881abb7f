public import Foundation

/// One CSV record: its fields, its verbatim text (without the line terminator) and the physical line it starts on.
public struct CSVRecord: Sendable {
    public var fields: [String]
    public var raw: String
    public var lineNumber: Int
    /// Set when the record broke a limit or an unclosed quote had to be cut: `fields` and `raw` are then partial.
    public var problem: CSVProblem?

    public init(fields: [String], raw: String, lineNumber: Int, problem: CSVProblem? = nil) {
        self.fields = fields
        self.raw = raw
        self.lineNumber = lineNumber
        self.problem = problem
    }
}

/// A byte source the reader pulls from: a file, a decompressor's pipe, or memory.
public protocol ByteChunkSource {
    /// The next chunk, or an empty array at the end.
    mutating func nextChunk() throws -> [UInt8]
}

/// Streaming RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks (GVA's notes do);
/// CRLF and LF both end records; a UTF-8 byte-order mark is skipped.
///
/// The field separator is a comma or a semicolon (European and Latin American exports, where the comma is the
/// decimal mark): given, or detected from the first line (the header): a semicolon when the line holds more
/// semicolons than commas outside quotes, else a comma. Detection reads the whole first line (up to the record
/// limit) before deciding, so it never depends on where chunks end.
///
/// Memory is bounded by the chunk size and `CSVLimits`, never by the file: a field or record over its limit is
/// skipped to the end of its line and handed over with a `CSVProblem` (only its first bytes kept).
///
/// An unbalanced quote must not swallow the rest of the file. A quoted field that spans lines is cut at the end
/// of its first line, and handed over as `unbalancedQuote`, when
/// - a later line, read on its own, is a complete record with the header's field count (balanced quotes): it
///   starts a new record (a legitimate continuation line holds the closing quote, so its quotes are unbalanced);
/// - the field grows past a limit; or
/// - the input ends inside it.
/// The lines after the cut are read again as records. (A note line of a multi-line field that happens to have
/// exactly the header's number of commas and no quote is taken for a record: rare, and that row is quarantined,
/// not lost silently.)
public struct CSVReader<Source: ByteChunkSource> {
    private var source: Source
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    public private(set) var bytesConsumed: Int64 = 0
    private var startedAtBOMCheck = false
    public let limits: CSVLimits
    /// The most bytes the reader has held at once (tests check that it stays bounded by the limits).
    private(set) var peakBufferedBytes = 0
    /// The first record's field count (the header's), once read: what a "fresh record" line must have.
    private var headerFieldCount: Int?
    /// The field separator, once known.
    public private(set) var separator: UInt8
    private var detectSeparator: Bool

    /// `separator`: `,` or `;`, or nil to detect it from the first line.
    public init(source: Source, limits: CSVLimits = .standard, separator: UInt8? = nil) {
        self.source = source
        self.limits = limits
        self.separator = separator ?? UInt8(ascii: ",")
        self.detectSeparator = separator == nil
    }

    /// The separators a reader accepts, by their text in a mapping file.
    public static func separator(named text: String) -> UInt8? {
        switch text {
        case ",", "comma": UInt8(ascii: ",")
        case ";", "semicolon": UInt8(ascii: ";")
        default: nil
        }
    }

    /// Looks at the whole first line (to the record limit) and picks the separator.
    private mutating func detect() throws {
        detectSeparator = false
        while true {
            // Rescanned from the start after each refill: only the first line, so the cost is small.
            let end = min(buffer.count, position + limits.maxRecordBytes)
            var i = position
            var commas = 0, semicolons = 0, inQuotes = false, complete = false
            while i < end {
                let b = buffer[i]
                if b == UInt8(ascii: "\"") { inQuotes.toggle() }
                else if b == UInt8(ascii: "\n") && !inQuotes { complete = true; break }
                else if !inQuotes && b == UInt8(ascii: ",") { commas += 1 }
                else if !inQuotes && b == UInt8(ascii: ";") { semicolons += 1 }
                i += 1
            }
            if complete || atEnd || i - position >= limits.maxRecordBytes {
                if semicolons > commas { separator = UInt8(ascii: ";") }
                return
            }
            try fill()
        }
    }

    /// The next record, or nil at the end of input. Blank lines are skipped (they carry no row).
    public mutating func next() throws -> CSVRecord? {
        while true {
            guard let record = try nextRecord() else { return nil }
            if record.raw.isEmpty && record.problem == nil { continue }
            if headerFieldCount == nil { headerFieldCount = record.fields.count }
            return record
        }
    }

    /// A line that began inside an open quote, read as if it stood alone.
    private struct Candidate {
        var start: Int
        /// Lines of the record before this one.
        var linesBefore: Int
        var inQuotes = false
        var commas = 0
    }

    /// Scan state of one record, in offsets from `position` (they survive refills, which move the buffer).
    private struct Scan {
        var offset = 0
        var inQuotes = false
        var newlines = 0
        var field = 0
        var fieldStart = 0
        var quoteField = 0
        /// The first line end inside the open quote: its offset and the record's lines up to and including it.
        var firstQuotedNewline: (offset: Int, lines: Int)?
        var candidate: Candidate?
    }

    private mutating func nextRecord() throws -> CSVRecord? {
        if !startedAtBOMCheck {
            while buffer.count - position < 3 && !atEnd { try fill() }
            if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                position += 3
                bytesConsumed += 3
            }
            startedAtBOMCheck = true
        }
        if detectSeparator { try detect() }
        let quote = UInt8(ascii: "\""), comma = separator, newline = UInt8(ascii: "\n")
        let maxField = limits.maxFieldBytes, maxRecord = limits.maxRecordBytes
        var s = Scan()
        while true {
            let count = buffer.count
            var i = position + s.offset
            // Limits are checked at the exact byte that breaks them, so where chunks end never changes a record.
            var limitAt = position + min(s.fieldStart + maxField, maxRecord)
            while i < count {
                let b = buffer[i]
                if i >= limitAt {
                    // The byte just past a full-length field or record may still end it.
                    let ends = !s.inQuotes && (b == newline || (b == comma && i - position < maxRecord))
                    if !ends {
                        s.offset = i - position
                        if s.inQuotes, let (nl, lines) = s.firstQuotedNewline {
                            return cut(atNewline: nl, lines: lines, problem: .unbalancedQuote(
                                field: s.quoteField, lineInRecord: lines,
                                why: "the quoted field runs past line \(line + lines - 1) and past the \(maxField)-byte field limit"))
                        }
                        return try skipToLineEnd(s, problemField: s.offset - s.fieldStart >= maxField ? s.field : nil)
                    }
                }
                if b == quote {
                    s.inQuotes.toggle()
                    if s.inQuotes { s.quoteField = s.field } else { s.firstQuotedNewline = nil }
                    s.candidate?.inQuotes.toggle()
                } else if b == comma {
                    if !s.inQuotes {
                        s.field += 1
                        s.fieldStart = i + 1 - position
                        limitAt = position + min(s.fieldStart + maxField, maxRecord)
                    }
                    if let c = s.candidate, !c.inQuotes { s.candidate!.commas += 1 }
                } else if b == newline {
                    let rel = i - position
                    if let c = s.candidate, let n = headerFieldCount, n >= 2, !c.inQuotes, c.commas + 1 == n {
                        return cut(atNewline: c.start - 1, lines: c.linesBefore, problem: .unbalancedQuote(
                            field: s.quoteField, lineInRecord: c.linesBefore,
                            why: "line \(line + c.linesBefore) reads as a record of its own"))
                    }
                    if !s.inQuotes {
                        return finish(end: rel, consumed: rel + 1, lines: s.newlines + 1)
                    }
                    s.newlines += 1
                    if s.firstQuotedNewline == nil { s.firstQuotedNewline = (rel, s.newlines) }
                    s.candidate = Candidate(start: rel + 1, linesBefore: s.newlines)
                }
                i += 1
            }
            s.offset = count - position
            if atEnd {
                if s.offset == 0 { return nil }
                if s.inQuotes, let (nl, lines) = s.firstQuotedNewline {
                    return cut(atNewline: nl, lines: lines, problem: .unbalancedQuote(
                        field: s.quoteField, lineInRecord: lines, why: "the input ends inside the quoted field"))
                }
                return finish(end: s.offset, consumed: s.offset, lines: s.newlines,
                              problem: s.inQuotes
                                  ? .unbalancedQuote(field: s.quoteField, lineInRecord: s.newlines + 1, why: "the input ends inside the quoted field")
                                  : nil)
            }
            try fill()
        }
    }

    /// Hands over [position, position + end) as a record and consumes `consumed` bytes and `lines` line ends.
    private mutating func finish(end: Int, consumed: Int, lines: Int, problem: CSVProblem? = nil) -> CSVRecord {
        var stop = position + end
        if stop > position, buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
        let record = CSVRecord(fields: Self.parseFields(buffer[position..<stop], separator: separator), raw: Self.text(buffer[position..<stop]),
                               lineNumber: line, problem: problem)
        position += consumed
        bytesConsumed += Int64(consumed)
        line += lines
        return record
    }

    /// Cuts the record at a line end inside an open quote; the lines after it are read again.
    private mutating func cut(atNewline offset: Int, lines: Int, problem: CSVProblem) -> CSVRecord {
        finish(end: offset, consumed: offset + 1, lines: lines, problem: problem)
    }

    /// Over a limit: keeps the record's first bytes and drops the rest up to its line end without buffering it.
    private mutating func skipToLineEnd(_ s: Scan, problemField: Int?) throws -> CSVRecord {
        let keep = CSVLimits.keptPrefixBytes
        var kept = Array(buffer[position..<(position + min(s.offset, keep))])
        let startLine = line
        var total = Int64(s.offset)
        var lines = s.newlines
        position += s.offset
        bytesConsumed += Int64(s.offset)
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                guard position < b.count, let base = b.baseAddress, let p = memchr(base + position, 0x0A, b.count - position) else { return nil }
                return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
            }
            let end = found ?? buffer.count
            if kept.count < keep { kept += buffer[position..<min(end, position + keep - kept.count)] }
            total += Int64(end - position)
            bytesConsumed += Int64(end - position)
            position = end
            if found != nil {
                position += 1
                bytesConsumed += 1
                lines += 1
                break
            }
            if atEnd { break }
            try fill()
        }
        if Int64(kept.count) == total, kept.last == UInt8(ascii: "\r") { kept.removeLast() }
        line += lines
        let problem: CSVProblem = problemField.map { .fieldTooLong(field: $0, limit: limits.maxFieldBytes, bytes: total) }
            ?? .recordTooLong(limit: limits.maxRecordBytes, bytes: total)
        return CSVRecord(fields: Self.parseFields(kept[...], separator: separator), raw: Self.text(kept[...]) + " [\u{2026} \(total) bytes in all]",
                         lineNumber: startLine,
                         problem: problem)
    }

    /// Drops consumed bytes and appends the next chunk.
    private mutating func fill() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let chunk = try source.nextChunk()
        if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        peakBufferedBytes = max(peakBufferedBytes, buffer.count)
    }

    /// Bytes as text: UTF-8 when they are valid UTF-8, else Windows-1252/Latin-1 (what older records systems
    /// export), byte for byte, so no row is altered by replacement characters and the raw row stays verbatim.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    static func parseFields(_ buffer: ArraySlice<UInt8>, separator: UInt8 = UInt8(ascii: ",")) -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(16)
        let end = buffer.endIndex
        var i = buffer.startIndex
        while true {
            if i < end, buffer[i] == UInt8(ascii: "\"") {
                // Quoted field: copy bytes, turning "" into ".
                var bytes: [UInt8] = []
                i += 1
                while i < end {
                    let b = buffer[i]
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < end, buffer[i + 1] == UInt8(ascii: "\"") {
                            bytes.append(b)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    bytes.append(b)
                    i += 1
                }
                // Anything between the closing quote and the separator is kept (lenient on malformed quoting).
                while i < end, buffer[i] != separator {
                    bytes.append(buffer[i])
                    i += 1
                }
                fields.append(text(bytes[...]))
            } else {
                let fieldStart = i
                while i < end, buffer[i] != separator { i += 1 }
                fields.append(text(buffer[fieldStart..<i]))
            }
            if i >= end { break }
            i += 1 // the separator
            if i == end {
                fields.append("")
                break
            }
        }
        return fields
    }
}

/// Reads a file in 1 MiB chunks, or a decompressor's output: its end is the end of the file only when the
/// decompressor succeeded, so a damaged or truncated archive fails the read (and the import's transaction) instead
/// of ending it early with what was decompressed so far.
public struct FileChunkSource: ByteChunkSource {
    let handle: FileHandle
    let chunkSize: Int
    let decompressor: (process: Process, path: String)?

    public init(handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.init(handle: handle, chunkSize: chunkSize, decompressor: nil)
    }

    init(handle: FileHandle, chunkSize: Int = 1 << 20, decompressor: (process: Process, path: String)?) {
        self.handle = handle
        self.chunkSize = chunkSize
        self.decompressor = decompressor
    }

    public mutating func nextChunk() throws -> [UInt8] {
        if let data = try handle.read(upToCount: chunkSize), !data.isEmpty { return [UInt8](data) }
        if let (process, path) = decompressor {
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let tool = process.arguments?.first ?? "the decompressor"
                throw IngestError.decompressionFailed(path: path, reason: "\(tool) exited with \(process.terminationStatus): the archive is damaged or "
                                                      + "truncated; nothing was imported from it")
            }
        }
        return []
    }
}

/// Serves bytes already in memory (tests, small inputs), optionally in small chunks to exercise refills.
public struct MemoryChunkSource: ByteChunkSource {
    let bytes: [UInt8]
    let chunkSize: Int
    var offset = 0

    public init(_ text: String, chunkSize: Int = 1 << 20) {
        bytes = Array(text.utf8)
        self.chunkSize = chunkSize
    }

    public init(bytes: [UInt8], chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    public mutating func nextChunk() throws -> [UInt8] {
        guard offset < bytes.count else { return [] }
        let end = min(bytes.count, offset + chunkSize)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
