import Foundation
import Testing
import ZoneCastStore
import ZoneCastStreets
import ZoneCastSynthetic
@testable import ZoneCastCLI
import ZoneCastOperations
import ArgumentParser

@Suite("The demo's street layer", .serialized)
struct DemoStreetsTests {
    @Test("given generate, then the synthetic street network is written beside the CSV as OSM-tagged GeoJSON")
    func generateWritesStreets() async throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("c.csv").path
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["generate", "--incidents", "10", "--seed", "3", "--out", csv]))
        let data = try Data(contentsOf: URL(fileURLWithPath: SyntheticStreetNetwork.streetFilePath(forCSV: csv)))
        let read = try StreetReaders.osm(data)
        #expect(read.streets.count == (try StreetReaders.osm(SyntheticStreetNetwork(seed: 3).geoJSON())).streets.count)
        #expect(!read.streets.isEmpty && read.problems.isEmpty)
    }

    @Test("given a demo store without streets, when the synthetic streets are imported, then the layer is stored once and audited")
    func demoImportsStreetsOnce() async throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("demo.csv").path  // no street file yet: it is written on the way
        let store = InMemoryIncidentStore()
        let city = SyntheticCity()
        try await importSyntheticStreets(besideCSV: csv, seed: 3, into: store, jurisdiction: city.jurisdiction)
        let layer = try #require(try await store.streetLayer())
        #expect(!layer.streets.isEmpty && layer.source == "demo.csv.streets.geojson")
        let version = try await store.streetLayerVersion()
        try await importSyntheticStreets(besideCSV: csv, seed: 3, into: store, jurisdiction: city.jurisdiction)
        await #expect(try store.streetLayerVersion() == version)
        await #expect(try store.latestAuditEntries(limit: 5).filter { $0.subject == "streets:demo.csv.streets.geojson" }.count == 1)
    }
}
