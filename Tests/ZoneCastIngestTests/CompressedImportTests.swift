import Foundation
import Testing
import ZoneCastCore
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastIngest

/// A damaged archive must fail its import as a whole: the decompressor's exit status is part of the file's end.
struct CompressedImportTests {
    /// `rows` shootings through ImporterTests' mapping, gzip-compressed beside the plain file; returns both paths.
    static func gzipped(rows: Int) throws -> (plain: String, gz: String) {
        var text = "id,date,time,offence,x,y\n"
        for k in 0..<rows { text += "\(k),2017-05-\(String(format: "%02d", 1 + k % 28)),12:\(String(format: "%02d", k % 60)),shooting,\(364_600 + k % 500),4329158\n" }
        let plain = try writeTemp(text, name: "rows.csv")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", "-f", plain]
        try gzip.run()
        gzip.waitUntilExit()
        return (plain, plain + ".gz")
    }

    @Test("""
        given a gzip file cut short half-way, when imported into SQLite, then the import fails naming the file and gzip, and no batch, \
        incident or quarantined row of it is kept; the whole file imports afterwards
        """)
    func truncatedArchiveLeavesNothing() async throws {
        // Given
        let (_, gz) = try Self.gzipped(rows: 20_000)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: gz))
        let cut = (gz as NSString).deletingLastPathComponent + "/cut.csv.gz"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        let dbPath = (gz as NSString).deletingLastPathComponent + "/z.sqlite"
        let store = try SQLiteIncidentStore(path: dbPath)
        let importer = Importer(mapping: try ImporterTests().mapping, jurisdiction: try Presets.jurisdiction("kansas-city"), now: testNow)
        // When
        var failure: (any Error)?
        do { _ = try await importer.importFile(try InputFile(path: cut), into: store) } catch { failure = error }
        // Then
        let message = failure.map { "\($0)" } ?? "no error"
        #expect(message.contains("cannot decompress") && message.contains("cut.csv.gz") && message.contains("gzip exited with"), "\(message)")
        #expect(try await store.batches().isEmpty)
        #expect(try await store.countIncidents(.all) == 0)
        #expect(try await store.quarantinedRows(batchID: nil, reason: nil, limit: 10, offset: 0).isEmpty)
        let whole = try await importer.importFile(try InputFile(path: gz), into: store)
        #expect(whole.incidentsImported == 20_000 && !whole.alreadyImported)
    }
}
