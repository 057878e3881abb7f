import Foundation
import ZoneCastTestSupport
import ZoneCastCore
import ZoneCastStore
@testable import ZoneCastIngest

/// 2026-01-01T00:00Z: the injected "now" for imports in tests.
let testNow = Date(timeIntervalSince1970: 1_767_225_600)

/// The package root, found from this file's path (Tests/ZoneCastIngestTests/...).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// ../shared/data beside the project root.
let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

func sharedFile(_ relative: String) -> String? {
    let path = sharedData.appendingPathComponent(relative).path
    return FileManager.default.fileExists(atPath: path) ? path : nil
}

/// Imports CSV text held in memory through a mapping.
@discardableResult
func importText(_ text: String, mapping: Mapping, jurisdiction: Jurisdiction, into store: any IncidentStore, sha: String = UUID().uuidString, now: Date = testNow) async throws -> ImportBatch {
    let importer = Importer(mapping: mapping, jurisdiction: jurisdiction, now: now)
    let info = ImportBatchInfo(source: mapping.source, mappingName: mapping.name, fileName: "inline.csv", fileSHA256: sha, startedAt: now)
    return try await importer.importRecords(CSVReader(source: MemoryChunkSource(text, chunkSize: 97)), info: info, into: store)
}

func writeTemp(_ text: String, name: String = "input.csv") throws -> String {
    let dir = try TestDirectory.make("zonecast-ingest")
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}
