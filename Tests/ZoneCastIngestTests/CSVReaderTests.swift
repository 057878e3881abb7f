import Testing
@testable import ZoneCastIngest

@Suite("CSV reader")
struct CSVReaderTests {
    static let text = "\u{FEFF}id,notes,n\r\n1,\"quoted, with comma\",2\r\n2,\"two\nlines and \"\"quotes\"\"\",3\n\n3,,\n4,last"

    func readAll(chunkSize: Int) throws -> [CSVRecord] {
        var reader = CSVReader(source: MemoryChunkSource(Self.text, chunkSize: chunkSize))
        var out: [CSVRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test("given RFC 4180 quoting, CRLF, a BOM and a blank line, when read, then fields, raw text and line numbers are exact")
    func parsesQuoting() throws {
        let records = try readAll(chunkSize: 1 << 20)
        #expect(records.map(\.fields) == [
            ["id", "notes", "n"],
            ["1", "quoted, with comma", "2"],
            ["2", "two\nlines and \"quotes\"", "3"],
            ["3", "", ""],
            ["4", "last"],
        ])
        #expect(records.map(\.lineNumber) == [1, 2, 3, 6, 7])
        #expect(records[1].raw == "1,\"quoted, with comma\",2")
        #expect(records[2].raw == "2,\"two\nlines and \"\"quotes\"\"\",3")
    }

    @Test("given any chunk size down to one byte, when read, then the records are identical", arguments: [1, 2, 3, 7, 64])
    func chunkBoundaries(chunkSize: Int) throws {
        let small = try readAll(chunkSize: chunkSize)
        let large = try readAll(chunkSize: 1 << 20)
        #expect(small.map(\.fields) == large.map(\.fields))
        #expect(small.map(\.raw) == large.map(\.raw))
        #expect(small.map(\.lineNumber) == large.map(\.lineNumber))
    }

    @Test("given an empty input, then no records")
    func empty() throws {
        var reader = CSVReader(source: MemoryChunkSource(""))
        #expect(try reader.next() == nil)
    }
}

extension CSVRecord: Equatable {
    public static func == (a: CSVRecord, b: CSVRecord) -> Bool { a.fields == b.fields && a.raw == b.raw && a.lineNumber == b.lineNumber }
}
