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
    func parsesQuoting() async throws {
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
    func chunkBoundaries(chunkSize: Int) async throws {
        let small = try readAll(chunkSize: chunkSize)
        let large = try readAll(chunkSize: 1 << 20)
        #expect(small.map(\.fields) == large.map(\.fields))
        #expect(small.map(\.raw) == large.map(\.raw))
        #expect(small.map(\.lineNumber) == large.map(\.lineNumber))
    }

    @Test("given Latin-1 bytes (not UTF-8), when read, then they decode byte for byte instead of turning into replacement characters")
    func latin1() async throws {
        var bytes = Array("id,address\n1,".utf8)
        bytes += [0x43, 0x41, 0x46, 0xC9]            // "CAFÉ" in Latin-1
        bytes += Array("\n2,caf\u{E9} utf8\n".utf8)  // a UTF-8 row in the same file
        var reader = CSVReader(source: MemoryChunkSource(bytes: bytes))
        _ = try reader.next()
        let latin = try #require(try reader.next())
        #expect(latin.fields == ["1", "CAFÉ"])
        #expect(latin.raw == "1,CAFÉ")
        #expect(!latin.raw.contains("\u{FFFD}"))
        #expect(try reader.next()?.fields == ["2", "café utf8"])
    }

    @Test("given an empty input, then no records")
    func empty() async throws {
        var reader = CSVReader(source: MemoryChunkSource(""))
        #expect(try reader.next() == nil)
    }
}

extension CSVRecord: Equatable {
    static func == (a: CSVRecord, b: CSVRecord) -> Bool { a.fields == b.fields && a.raw == b.raw && a.lineNumber == b.lineNumber }
}
