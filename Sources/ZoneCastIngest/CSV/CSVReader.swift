import Foundation

/// One CSV record: its fields, its verbatim text (without the line terminator) and the physical line it starts on.
public struct CSVRecord: Sendable {
    public var fields: [String]
    public var raw: String
    public var lineNumber: Int
}

/// A byte source the reader pulls from: a file, a decompressor's pipe, or memory.
public protocol ByteChunkSource {
    /// The next chunk, or an empty array at the end.
    mutating func nextChunk() throws -> [UInt8]
}

/// Streaming RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks (GVA's notes do);
/// CRLF and LF both end records; a UTF-8 byte-order mark is skipped. Memory is bounded by the chunk size and the
/// longest record, never by the file.
public struct CSVReader<Source: ByteChunkSource> {
    private var source: Source
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    public private(set) var bytesConsumed: Int64 = 0
    private var startedAtBOMCheck = false

    public init(source: Source) { self.source = source }

    /// The next record, or nil at the end of input. Blank lines are skipped (they carry no row).
    public mutating func next() throws -> CSVRecord? {
        while true {
            guard let (start, end, terminatorLength, newlines) = try findRecord() else { return nil }
            let recordLine = line
            line += newlines
            position = end + terminatorLength
            bytesConsumed += Int64(end + terminatorLength - start)
            if end == start { continue }
            return CSVRecord(fields: parseFields(start, end), raw: text(buffer[start..<end]), lineNumber: recordLine)
        }
    }

    /// Locates [start, end) of the next record and its terminator, refilling the buffer as needed.
    private mutating func findRecord() throws -> (Int, Int, Int, Int)? {
        // Scan state survives refills: a long record (or an unbalanced quote that runs to the end of the file) is
        // scanned once, not again from its start after every chunk (which was quadratic in the record's length).
        var scanFrom = 0
        var inQuotes = false
        var newlines = 0
        while true {
            if !startedAtBOMCheck {
                while buffer.count - position < 3 && !atEnd { try fill() }
                if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                    position += 3
                }
                startedAtBOMCheck = true
            }
            let start = position
            var i = start + scanFrom
            let count = buffer.count
            while i < count {
                let b = buffer[i]
                if b == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                } else if b == UInt8(ascii: "\n") {
                    newlines += 1
                    if !inQuotes {
                        let end = (i > start && buffer[i - 1] == UInt8(ascii: "\r")) ? i - 1 : i
                        return (start, end, i - end + 1, newlines)
                    }
                }
                i += 1
            }
            if atEnd {
                if start >= count { return nil }
                var end = count
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return (start, end, count - end, newlines)
            }
            scanFrom = count - start
            try fill()
        }
    }

    /// Drops consumed bytes and appends the next chunk.
    private mutating func fill() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let chunk = try source.nextChunk()
        if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
    }

    /// Bytes as text: UTF-8 when they are valid UTF-8, else Windows-1252/Latin-1 (what older records systems
    /// export), byte for byte, so no row is altered by replacement characters and the raw row stays verbatim.
    private func text(_ bytes: ArraySlice<UInt8>) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    private func parseFields(_ start: Int, _ end: Int) -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(16)
        var i = start
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
                // Anything between the closing quote and the comma is kept (lenient on malformed quoting).
                while i < end, buffer[i] != UInt8(ascii: ",") {
                    bytes.append(buffer[i])
                    i += 1
                }
                fields.append(text(bytes[...]))
            } else {
                let fieldStart = i
                while i < end, buffer[i] != UInt8(ascii: ",") { i += 1 }
                fields.append(text(buffer[fieldStart..<i]))
            }
            if i >= end { break }
            i += 1 // the comma
            if i == end {
                fields.append("")
                break
            }
        }
        return fields
    }
}

/// Reads a file in 1 MiB chunks.
public struct FileChunkSource: ByteChunkSource {
    let handle: FileHandle
    let chunkSize: Int

    public init(handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.chunkSize = chunkSize
    }

    public mutating func nextChunk() throws -> [UInt8] {
        guard let data = try handle.read(upToCount: chunkSize) else { return [] }
        return [UInt8](data)
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
