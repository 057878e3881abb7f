import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastOSM
import ZoneCastStore
import ZoneCastSynthetic

/// The demo's street layer: the synthetic city's network (written beside its CSV, and written now when the CSV
/// came from a version that did not write it), imported once so every map shows streets out of the box.
func importSyntheticStreets(besideCSV csv: String, seed: UInt64, into store: any AppStore, jurisdiction: Jurisdiction) async throws {
    guard try await store.streetLayer() == nil else { return }
    let path = SyntheticStreetNetwork.streetFilePath(forCSV: csv)
    if !FileManager.default.fileExists(atPath: path) { try SyntheticStreetNetwork(seed: seed).write(besideCSV: csv) }
    let work = FileManager.default.temporaryDirectory  // GeoJSON needs no osmium; the extractor is never run
    let report = try await StreetImport.run(URL(fileURLWithPath: path), mapping: nil, jurisdiction: jurisdiction,
                                            extractor: OsmiumExtractor(workDirectory: work), store: store, clock: EdgeConfiguration.wallClock)
    try await store.audit(AuditDraft(at: EdgeConfiguration.wallClock(), actor: importActor(command: "demo"), action: .importData,
                                     subject: "streets:\(report.layer.source)",
                                     detail: "\(report.layer.streets.count) streets, \(report.layer.landmarks.count) landmarks; "
                                         + "clipped to \(jurisdiction.name)"))
    print("Imported the synthetic street network: \(report.layer.streets.count) streets, \(report.layer.landmarks.count) landmarks.")
}
