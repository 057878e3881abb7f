public import Foundation
public import ZoneCastCore
public import ZoneCastStore
public import ZoneCastStreets

extension StreetImport {
    /// Derives a street layer from the geocoded addresses of one or more CSV files (each read with the same column
    /// alternatives, their observations pooled before any street is drawn, so a street seen in both files is one
    /// street), clips it to `jurisdiction` and replaces the store's layer with it in one transaction. Bad rows are
    /// reported, never fatal; a file without the columns is an error and the old layer stays.
    public static func runDerived(_ files: [InputFile], columns: AddressStreetColumns, options: AddressStreetOptions = AddressStreetOptions(),
                                  jurisdiction: Jurisdiction?, store: any StreetStore, clock: @Sendable () -> Date) async throws -> StreetImportReport {
        var observations = [StreetObservation](), read = StreetReadResult()
        for file in files {
            let one = try AddressStreetCSV.read(file, columns: columns)
            observations += one.observations
            read.problems += one.problems
            read.featureCount += one.rowCount
        }
        read.streets = StreetReaders.streets(fromAddresses: observations, options: options)
        let kept = clip(read, to: jurisdiction)
        let source = "streets derived from addresses in " + files.map(\.fileName).joined(separator: ", ")
        let layer = StoredStreetLayer(streets: kept.streets, landmarks: [], source: source, importedAt: clock())
        try await store.replaceStreetLayer(layer)
        return StreetImportReport(featureCount: read.featureCount, streetsRead: read.streets.count, landmarksRead: 0,
                                  clippedTo: jurisdiction?.name, problems: read.problems, layer: layer)
    }
}
