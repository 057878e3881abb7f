import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastOSM
import ZoneCastStore
import ZoneCastStreets

struct StreetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streets",
        abstract: "The street layer maps draw and zone descriptions use: import it, derive it from addresses, show it.",
        subcommands: [StreetsImportCommand.self, StreetsDeriveCommand.self, StreetsShowCommand.self])
}

struct StreetsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace the street layer with a file's streets and landmarks, clipped to the jurisdiction.",
        discussion: """
            OpenStreetMap extracts (.osm.pbf, .osm) are read through Debian's osmium (osmium-tool); GeoJSON (.geojson, \
            .geojsonseq) as OSM-tagged features, or with --mapping as a city street-centreline file. A .csv of named \
            intersections (columns street_1, street_2, latitude, longitude) gives approximate centrelines: each street's \
            corners joined in order along it, split at gaps over 1.5 km, class unknown unless the name says expressway. Bad features are \
            counted and the first few printed; they are skipped, not fatal. A re-import replaces the layer in one \
            transaction. Example: zonecast streets import kc-centrelines.geojson --mapping kc-streets.json --db kc.sqlite
            """)

    @Argument(help: "The street file.") var file: String
    @Option(help: "A street mapping JSON (name and class properties) for city centreline GeoJSON.") var mapping: String?
    @Flag(help: "Keep streets outside the jurisdiction (a database without a jurisdiction needs this).") var noClip = false
    @Option(help: "The osmium executable.") var osmium = "/usr/bin/osmium"
    @OptionGroup var database: DatabaseOptions

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw IngestError.fileNotFound(file) }
        let streetMapping = try mapping.map { path -> StreetMapping in
            guard let data = FileManager.default.contents(atPath: path) else { throw IngestError.fileNotFound(path) }
            return try StreetMapping.decode(data)
        }
        let store = try await database.openStore()
        let jurisdiction: Jurisdiction? = noClip ? nil : try await store.jurisdiction()
        if !noClip && jurisdiction == nil { throw StoreError.noJurisdiction }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("zonecast-osm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let report = try await StreetImport.run(url, mapping: streetMapping, jurisdiction: jurisdiction,
                                                extractor: OsmiumExtractor(executable: URL(fileURLWithPath: osmium), workDirectory: work),
                                                store: store, clock: EdgeConfiguration.wallClock)
        let detail = "\(report.layer.streets.count) streets, \(report.layer.landmarks.count) landmarks from \(report.featureCount) features; "
            + "\(report.problems.count) skipped; " + (report.clippedTo.map { "clipped to \($0)" } ?? "not clipped")
        try await store.audit(AuditDraft(at: EdgeConfiguration.wallClock(), actor: importActor(command: "streets import"), action: .importData,
                                         subject: "streets:\(url.lastPathComponent)", detail: detail))
        print(Self.render(report))
    }

    static func render(_ r: StreetImportReport) -> String {
        var out = ["Street layer from \(r.layer.source): \(r.featureCount) features read, \(r.streetsRead) streets and \(r.landmarksRead) landmarks usable."]
        if let j = r.clippedTo {
            out.append("Clipped to \(j): \(r.layer.streets.count) street pieces and \(r.layer.landmarks.count) landmarks kept.")
        } else {
            out.append("Not clipped: \(r.layer.streets.count) streets and \(r.layer.landmarks.count) landmarks stored.")
        }
        if !r.problems.isEmpty {
            out.append("\(r.problems.count) feature(s) skipped; the first \(min(5, r.problems.count)):")
            for p in r.problems.prefix(5) { out.append("  feature \(p.featureIndex), \(p.field) = \"\(p.value)\": \(p.reason)") }
        }
        return out.joined(separator: "\n")
    }
}

struct StreetsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The street layer: counts by class, landmarks, source and import time.",
        discussion: "Example: zonecast streets show --db kc.sqlite")

    @OptionGroup var database: DatabaseOptions

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let store = try await database.openExistingStore()
        guard let layer = try await store.streetLayer() else {
            print("No street layer: import one with zonecast streets import FILE.")
            return
        }
        print(Self.render(layer))
    }

    static func render(_ layer: StoredStreetLayer) -> String {
        let f = ISO8601DateFormatter()
        var out = ["Source: \(layer.source)", "Imported: \(f.string(from: layer.importedAt))",
                   "Streets: \(layer.streets.count) (\(Set(layer.streets.map(\.name).filter { !$0.isEmpty }).count) names)"]
        for (c, n) in layer.streetCountsByClass { out.append("  \(c.rawValue): \(n)") }
        out.append("Landmarks: \(layer.landmarks.count)")
        return out.joined(separator: "\n")
    }
}
