import Foundation
import Testing
import ZoneCastCore
import ZoneCastStore
@testable import ZoneCastIngest
@testable import ZoneCastSynthetic

/// The generator's output through the shipped `synthetic` preset: every deliberately dirty row is quarantined
/// with the reason the metadata predicts, and every clean row becomes an incident.
@Suite("Synthetic data through the importer")
struct SyntheticImportTests {
    @Test("given 20,000 generated rows, when imported with the synthetic preset, then the quarantine matches the metadata's dirty rows")
    func dirtyRowsAreQuarantined() async throws {
        let generator = SyntheticIncidentGenerator(rowCount: 20_000, seed: 42)
        var text = ""
        let metadata = try SyntheticCSV.write(generator, chunkBytes: 1 << 16) { data in text += String(decoding: data, as: UTF8.self) }
        let mapping = try Presets.mapping(named: "synthetic")
        let city = try Presets.jurisdiction("synthetic-city")
        #expect(city.isSynthetic)
        let store = InMemoryIncidentStore()
        let now = Date(timeIntervalSince1970: 1_893_456_000) // 2030-01-01, after the generated span
        let info = ImportBatchInfo(source: "synthetic", mappingName: "synthetic", fileName: "gen.csv", fileSHA256: "x", startedAt: now)
        let batch = try await Importer(mapping: mapping, jurisdiction: city, now: now).importRecords(CSVReader(source: MemoryChunkSource(text)), info: info, into: store)
        #expect(batch.counts.rowsRead == 20_000)
        #expect(batch.counts.rejectedByReason[.exactDuplicate] == metadata.dirtyRows.duplicateRows)
        #expect(batch.counts.rejectedByReason[.missingCoordinates] == metadata.dirtyRows.blankCoordinateRows)
        #expect(batch.counts.rejectedByReason[.unparseableDate] == metadata.dirtyRows.unparseableDateRows)
        #expect(batch.counts.rowsRejected == metadata.dirtyRows.totalRows)
        #expect(batch.counts.incidentsImported == 20_000 - metadata.dirtyRows.totalRows)
        #expect(batch.counts.warnings["time_missing_day_precision"] == metadata.dateOnlyEvents)
        let summary = try await store.summary()
        #expect((summary.incidentsByCategory[.homicide] ?? 0) > 0)
        #expect((summary.incidentsByCategory[.fatalTrafficCrash] ?? 0) > 0)
        #expect(summary.policeInitiatedIncidents > 0)
    }
}
