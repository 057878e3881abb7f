import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastStore
import ZoneCastStreets

struct StreetsDeriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Replace the street layer with approximate streets derived from the geocoded addresses of incident CSVs.",
        discussion: """
            For a city without a street file: each record's address (house and block numbers dropped, "A and B" giving \
            both streets, spellings grouped) and position become points of its streets; each street's points are joined \
            in order along it, split at gaps over 1.5 km, spikes dropped and simplified. Only streets with recorded \
            incidents appear, as straight lines between them. Several files are pooled before any street is drawn; each \
            column option lists alternatives (comma-separated, any case), the first a file's header has is used. A class \
            column is COLUMN=CODES with CODES fars-road-fnc (FARS ROAD_FNC to 2014), func-sys (FARS FUNC_SYS 2015 on) or \
            class (motorway, primary, ... or OSM highway values); it classes the row's first street. Bad rows are \
            counted and the first few printed, not fatal. A re-run replaces the layer in one transaction. Example (Kansas \
            City, Gun Violence Archive and FARS): zonecast streets derive gva_kansas_city_mo_2013_2018.csv \
            fars_kc_mo_bbox_2013_2015.csv --address-column address,TWAY_ID --second-name-column TWAY_ID2 \
            --latitude-column latitude --longitude-column longitude,LONGITUD --class-column ROAD_FNC=fars-road-fnc \
            --class-column FUNC_SYS=func-sys --db kc.sqlite
            """)

    @Argument(help: "The CSV files (.gz and .bz2 are decompressed).") var files: [String]
    @Option(help: "The address column(s).") var addressColumn = "address"
    @Option(help: "A second street column (a cross street), if the files have one.") var secondNameColumn: String?
    @Option(help: "The latitude column(s).") var latitudeColumn = "latitude"
    @Option(help: "The longitude column(s).") var longitudeColumn = "longitude"
    @Option(help: "COLUMN=CODES classing each row's first street; repeatable, tried in order.") var classColumn: [String] = []
    @Option(help: "Split a street where consecutive points are farther apart than this.") var maxGapMeters = 1_500.0
    @Flag(help: "Keep streets outside the jurisdiction (a database without a jurisdiction needs this).") var noClip = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws { try await CLIFailure.run(perform) }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func perform() async throws {
        guard !files.isEmpty else { throw ValidationError("give at least one CSV file") }
        let inputs = try files.map { path throws(IngestError) in try InputFile(path: path) }
        let columns = AddressStreetColumns(address: Self.list(addressColumn), secondName: secondNameColumn.map(Self.list) ?? [],
                                           latitude: Self.list(latitudeColumn), longitude: Self.list(longitudeColumn),
                                           classColumns: try classColumn.map { text throws(IngestError) in try StreetClassColumn(parsing: text) })
        guard maxGapMeters.isFinite, maxGapMeters > 0 else { throw ValidationError("--max-gap-meters must be a positive number, got \(maxGapMeters)") }
        let store = try await database.openStore()
        let jurisdiction: Jurisdiction? = noClip ? nil : try await store.jurisdiction()
        if !noClip && jurisdiction == nil { throw StoreError.noJurisdiction }
        let report = try await StreetImport.runDerived(inputs, columns: columns, options: AddressStreetOptions(maxGapMeters: maxGapMeters),
                                                       jurisdiction: jurisdiction, store: store, clock: EdgeConfiguration.wallClock)
        let detail = "\(report.layer.streets.count) streets derived from \(report.featureCount) rows; \(report.problems.count) rows skipped or partly used; "
            + (report.clippedTo.map { "clipped to \($0)" } ?? "not clipped")
        try await store.audit(AuditDraft(at: EdgeConfiguration.wallClock(), actor: importActor(command: "streets derive"), action: .importData,
                                         subject: "streets:" + inputs.map(\.fileName).joined(separator: ","), detail: detail))
        print(Self.render(report))
    }

    static func render(_ r: StreetImportReport) -> String {
        let names = Set(r.layer.streets.map(\.name)).count
        var out = ["Street layer \(r.layer.source): \(r.featureCount) rows read, \(r.streetsRead) street pieces derived."]
        if let j = r.clippedTo {
            out.append("Clipped to \(j): \(r.layer.streets.count) street pieces under \(names) names kept.")
        } else {
            out.append("Not clipped: \(r.layer.streets.count) street pieces under \(names) names stored.")
        }
        if !r.problems.isEmpty {
            out.append("\(r.problems.count) row(s) skipped or partly used; the first \(min(5, r.problems.count)):")
            for p in r.problems.prefix(5) { out.append("  row \(p.featureIndex), \(p.field) = \"\(p.value)\": \(p.reason)") }
        }
        return out.joined(separator: "\n")
    }
}
