import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastStore

/// Cities beyond the shipped ones (issue #16, item 4): a jurisdiction from a city-limits GeoJSON, so forecasts,
/// zones and the hit-rate/PAI figures cover the real boundary (not a bounding box that takes in a lake).
struct JurisdictionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jurisdiction", abstract: "Create the database's jurisdiction from a city-limits file, outline one from points, or show it.",
        subcommands: [Create.self, Outline.self, Show.self], defaultSubcommand: Show.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a new database to a jurisdiction: a name, its boundary (GeoJSON Polygon or MultiPolygon) and its time zone.",
            discussion: """
                The grid is laid over the boundary: only cells whose centres fall inside it are forecast, proposed and scored, \
                so the share of the area in hit rates and PAI is a share of the city itself. Imports then use this \
                jurisdiction (a mapping naming another is refused). A database holds one jurisdiction: create it before the \
                first import.
                Example: zonecast jurisdiction create --db city.sqlite --name springfield --boundary city-limits.geojson \
                --time-zone America/Chicago
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Short machine name: letters, digits, - or _ (e.g. springfield).") var name: String
        @Option(help: "Name shown on pages (default: the name).") var displayName: String?
        @Option(help: "City-limits GeoJSON: a Polygon or MultiPolygon, bare, in a Feature or a FeatureCollection.") var boundary: String
        @Option(help: "IANA time zone the city's records are in, e.g. America/Chicago or Europe/Madrid.") var timeZone: String
        @Option(help: "Cell size in metres for the grid figures printed.") var cell = 150.0

        func validate() throws {
            guard cell >= 10 else { throw ValidationError("--cell must be at least 10 metres") }
        }

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let jurisdiction = try Self.jurisdiction(name: name, displayName: displayName, boundaryPath: boundary, timeZone: timeZone)
            let store = try await database.openStore()
            if let existing = try await store.jurisdiction() {
                throw ValidationError("the database is already bound to jurisdiction \(existing.name): a database holds one jurisdiction, "
                                      + "so create \(jurisdiction.name) in a new one (--db)")
            }
            try await store.setJurisdiction(jurisdiction)
            print("Jurisdiction \(jurisdiction.name) (\(jurisdiction.displayName)), time zone \(jurisdiction.timeZoneIdentifier), created.")
            print(Self.gridSummary(jurisdiction, cellSizeMeters: cell))
        }

        /// The jurisdiction the options describe, or the error naming what is wrong: an unreadable file, GeoJSON that
        /// is not valid or holds no polygon (with its JSON path), a bad name, an unknown time zone.
        static func jurisdiction(name: String, displayName: String?, boundaryPath: String, timeZone: String) throws -> Jurisdiction {
            guard let data = FileManager.default.contents(atPath: boundaryPath) else { throw IngestError.fileNotFound(boundaryPath) }
            let polygons: GeoMultiPolygon
            do { polygons = try GeoJSON.multiPolygon(from: data) } catch {
                throw CoreError.invalidJurisdiction("--boundary \(boundaryPath): \(error)")
            }
            return try Jurisdiction(name: name, displayName: displayName ?? name, timeZoneIdentifier: timeZone, boundary: polygons).validated()
        }

        /// "N cells of 150 m inside the boundary (A km²) of the M in its bounding box": what the grid will cover.
        static func gridSummary(_ j: Jurisdiction, cellSizeMeters: Double) -> String {
            let grid = Grid.covering(j.boundary, projection: j.projection, cellSizeMeters: cellSizeMeters)
            return String(format: "Grid: %d cells of %.0f m inside the boundary (%.1f km²), of the %d in its bounding box (%.0f %%); "
                          + "%d polygon(s).", grid.activeCells.count, cellSizeMeters, grid.activeAreaKm2, grid.cellCount,
                          grid.cellCount > 0 ? 100 * Double(grid.activeCells.count) / Double(grid.cellCount) : 0, j.boundary.polygons.count)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the database's jurisdiction and its grid.",
                                                        discussion: "Example: zonecast jurisdiction show --db city.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Cell size in metres for the grid figures.") var cell = 150.0

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let j = try await AnalysisData.jurisdiction(database: database)
            print("Jurisdiction \(j.name) (\(j.displayName)), time zone \(j.timeZoneIdentifier)\(j.isSynthetic ? ", SYNTHETIC" : "").")
            print(Create.gridSummary(j, cellSizeMeters: cell))
        }
    }
}
