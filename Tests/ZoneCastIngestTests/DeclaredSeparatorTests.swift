import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastIngest
import ZoneCastStore

/// A mapping's declared separator reaches the reader when a file is imported (issue #16, item 4): a semicolon file
/// whose header holds more commas than semicolons (column names such as "Fecha, hora") would otherwise be read as
/// a comma file and fail on its header.
@Suite("Declared separator")
struct DeclaredSeparatorTests {
    /// Four semicolons and five commas in the header: detection alone would pick the comma.
    static let csv = """
        id;Fecha, hora, UTC;Delito, tipo;Latitud, WGS84;Longitud, WGS84
        1;2017-03-01T14:05:00Z;Robo;39,05;-94,55
        2;2017-03-02T14:05:00Z;Robo;39,06;-94,56

        """

    static func mapping(separator: String?) throws -> Mapping {
        let declared = separator.map { "\"separator\": \"\($0)\"," } ?? ""
        let text = """
            {"name": "sep", "source": "sep", "recordID": {"columns": ["id"]}, "offence": "Delito, tipo", \(declared)
             "occurred": {"dateTime": {"column": "Fecha, hora, UTC", "formats": ["yyyy-MM-ddTHH:mm:ssXXX"]}},
             "categories": [{"when": {"Delito, tipo": ["Robo"]}, "category": "robbery"}],
             "location": [{"latitude": "Latitud, WGS84", "longitude": "Longitud, WGS84"}]}
            """
        return try Mapping.decode(Data(text.utf8), file: "sep.json")
    }

    @Test("given a semicolon file whose header has more commas than semicolons, when imported with separator semicolon declared, then every row lands")
    func declaredSemicolonIsHonoured() async throws {
        let path = try writeTemp(Self.csv)
        let store = InMemoryIncidentStore()
        let importer = Importer(mapping: try Self.mapping(separator: ";"), jurisdiction: try Presets.jurisdiction("kansas-city"), now: testNow)
        let report = try await importer.importFile(try InputFile(path: path), into: store)
        #expect(report.incidentsImported == 2 && report.rowsRejected == 0)
        let incidents = try await store.incidents(IncidentQuery())
        #expect(incidents.map(\.category) == [.robbery, .robbery])
        #expect(incidents.contains { abs($0.location.latitude - 39.05) < 1e-9 && abs($0.location.longitude + 94.55) < 1e-9 })
    }

    @Test("given the same file and no declared separator, when imported, then detection picks the comma and the error names the missing id column and the header as split")
    func undeclaredFallsBackToDetection() async throws {
        let path = try writeTemp(Self.csv)
        let importer = Importer(mapping: try Self.mapping(separator: nil), jurisdiction: try Presets.jurisdiction("kansas-city"), now: testNow)
        await #expect {
            _ = try await importer.importFile(try InputFile(path: path), into: InMemoryIncidentStore())
        } throws: { error in
            // Split on commas, the header's first field is "id;Fecha": the mapping's id column is missing.
            guard case IngestError.missingColumn(_, let field, _, let header) = error else { return false }
            return field == "recordID" && header.first == "id;Fecha"
        }
    }
}
