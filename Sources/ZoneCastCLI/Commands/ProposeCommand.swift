import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastServices
import ZoneCastStore
import ZoneCastStreets
import ZoneCastZoning

struct ProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Propose the next cycle's patrol zones (at most 4, compact, separated), with the reason for each, and record the proposal.",
        discussion: """
            Zones in force stay unless a replacement captures 20 % more forecast harm, and never change within 72 h of taking \
            effect. The proposal is stored as a cycle (status proposed) with its provenance; `zonecast cycles approve ID` \
            approves it, and `--replay ID` recomputes a recorded proposal from its provenance and checks it is identical.
            Example: zonecast propose --db kc.sqlite --at 2017-06-01 --geojson zones.geojson
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: """
        Cycle start (yyyy-MM-dd in the jurisdiction's time, or ISO 8601; default: the database's time: now, or on historical data \
        the hour after the newest incident).
        """) var at: String?
    @Option(help: """
        Forecast model: auto (default: the model chosen for this city by validation on the windows before the origin), harm, kde, \
        sepp, naive, prospective, learned or boosted.
        """) var model = "auto"
    @Option(name: .customLong("static-layer"), help: StaticLayerOption.help) var staticLayers: [String] = []
    @Option(help: "Categories the zones are for, comma-separated, or violent (the default) or all.") var target = "violent"
    @Option(help: "Cycle length in hours (72 to 96).") var hours = 96.0
    @Option(help: "Cell size in metres.") var cell = 150.0
    @Option(help: "Most zones.") var zones = 4
    @Option(help: "Largest zone area in km2 (0.65 is about a quarter square mile).") var maxArea = 0.65
    @Option(help: "Largest zone diameter in metres.") var maxDiameter = 1_200.0
    @Option(help: "Smallest distance between zones in metres.") var minSeparation = 400.0
    @Option(help: "Keep a zone unless a replacement captures this much more harm (0.2 = 20 %).") var replacementGain = 0.2
    @Flag(help: "Include police-initiated records in the forecast (excluded by default).") var includePoliceInitiated = false
    @Option(help: "GeoJSON of areas no zone may cover (a stadium, an airport): cells whose centres fall inside are excluded.") var exclude: String?
    @Option(help: "Write the zones as GeoJSON (marked confidential).") var geojson: String?
    @Option(help: "Recompute the recorded proposal with this cycle id and compare.") var replay: String?
    @Flag(help: "Do not record the proposal.") var dryRun = false
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        guard ModelCatalog.names.contains(model) else { throw ValidationError("\(ForecastError.unknownModel(model, known: ModelCatalog.names))") }
        try StaticLayerOption.check(staticLayers, models: model, settings: [])
        _ = try parseCategories(target)
        guard (72...96).contains(hours) else { throw ValidationError("--hours must be between 72 and 96 (got \(hours))") }
        guard (1...10).contains(zones) else { throw ValidationError("--zones must be between 1 and 10") }
        guard maxArea > 0, maxDiameter > 0, minSeparation >= 0, replacementGain >= 0 else { throw ValidationError("zone limits must be positive") }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        guard database.postgresURL != nil || FileManager.default.fileExists(atPath: database.path) else {
            throw ValidationError("no database at \(database.path): import data first")
        }
        let store = try await database.openStore()
        guard let jurisdiction = try await store.jurisdiction() else { throw StoreError.noJurisdiction }
        if let replay {
            guard let record = try await store.cycle(id: replay) else { throw ValidationError("no cycle \(replay) (see zonecast cycles list)") }
            let recorded = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
            let again = try await ProposalService.replay(recorded, store: store, clock: EdgeConfiguration.wallClock,
                                                   logger: database.edge.logger("zonecast.planning"))
            let same = again.proposal == recorded.proposal && again.zones.map(\.zone) == recorded.zones.map(\.zone)
            print(same ? "Cycle \(replay): the proposal was reproduced exactly from its provenance "
                         + "(\(recorded.provenance.incidentCount) incidents, digest \(recorded.provenance.incidentDigest.prefix(16))…)."
                       : "Cycle \(replay): the recomputed proposal DIFFERS from the recorded one.")
            if !same { throw ExitCode(1) }
            return
        }
        let start = if let at { try parseInstant(at, timeZone: jurisdiction.timeZoneIdentifier, option: "--at") } else {
            try await DatabaseTime.defaultStart(store, doing: "Proposing the cycle")
        }
        var constraints = ZoneConstraints(maxZones: zones, maxAreaKm2: maxArea, maxDiameterMeters: maxDiameter, minSeparationMeters: minSeparation)
        if let exclude {
            guard let data = FileManager.default.contents(atPath: exclude) else { throw ValidationError("cannot read --exclude \(exclude)") }
            let areas = try GeoJSON.multiPolygon(from: data)
            let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cell)
            let projection = jurisdiction.projection.prepared()
            constraints = constraints.excluding(grid.activeCells.filter { areas.contains(projection.unproject(grid.center(of: $0))) })
        }
        let targets = try parseCategories(target)
        try await requireTargetsHeld(targets, in: store)
        try await warnIfRecordsThin(store, before: start, timeZone: jurisdiction.timeZoneIdentifier)
        let service = ProposalService(model: model, windowHours: hours, cellSizeMeters: cell, includePoliceInitiated: includePoliceInitiated,
                                      targets: targets, constraints: constraints,
                                      stability: ZoneStabilityPolicy(replacementGain: replacementGain),
                                      staticLayers: try StaticLayerOption.read(staticLayers, projection: jurisdiction.projection),
                                      clock: EdgeConfiguration.wallClock, logger: database.edge.logger("zonecast.planning"))
        let id = "C-" + ISO8601DateFormatter().string(from: start).replacingOccurrences(of: ":", with: "")
        let cycle = try await service.propose(store: store, at: start, id: id)
        let actor = "cli:" + (database.edge.environment["USER"] ?? "unknown")
        if !dryRun {
            try await store.apply([.saveCycle(try cycle.record(createdAt: Date())),
                             .audit(AuditDraft(at: Date(), actor: actor, action: .propose, subject: cycle.id,
                                               detail: "\(cycle.zones.count) zones, model \(cycle.provenance.modelShown)"))])
        } else {
            // Not recorded, but its zone cells and centres are printed: a read of zone locations like any other.
            try await store.audit(AuditDraft(at: Date(), actor: actor, action: .viewZones, subject: cycle.id,
                                       detail: "dry run printed \(cycle.zones.count) zones\(json ? " as JSON" : "") (not recorded), "
                                           + "model \(cycle.provenance.modelShown)"))
        }
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cell)
        // Each zone (and each retired one, by its position "R1"...) in words from the street layer, when one is imported.
        let layer = try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction)
        let described: [(id: String, cells: [Int])] = cycle.zones.map { ($0.id, $0.zone.cells) }
            + cycle.retired.enumerated().map { ("R\($0.offset + 1)", $0.element.zone.cells) }
        let locations = ZoneLocations.standard(for: jurisdiction).locations(of: described, grid: grid, projection: jurisdiction.projection, layer: layer)
        if let geojson {
            // Zone locations leaving the application: logged like the web application's exports.
            try ZoneGeoJSON.featureCollection(cycle, grid: grid, jurisdiction: jurisdiction, locations: locations)
                .write(toFile: geojson, atomically: true, encoding: .utf8)
            try await store.audit(AuditDraft(at: Date(), actor: actor, action: .export, subject: cycle.id, detail: "geojson to \(geojson)"))
        }
        if json {
            struct Out: Encodable {
                struct Z: Encodable {
                    var id: String; var status: String; var reason: String; var cells: [Int]; var areaKm2: Double; var forecastHarm: Double
                    var shareOfCity: Double; var explanation: String; var locationDescription: String; var streets: [String]
                }
                var cycle: String; var startsAt: Date; var endsAt: Date; var confidential: String; var synthetic: Bool; var zones: [Z]; var retired: [Z]
                var capturedShare: Double; var model: String; var provenance: ProposalProvenance
            }
            let out = Out(cycle: cycle.id, startsAt: cycle.startsAt, endsAt: cycle.endsAt, confidential: "CONFIDENTIAL: patrol zone locations",
                          synthetic: jurisdiction.isSynthetic,
                          zones: cycle.zones.map {
                              .init(id: $0.id, status: $0.status.rawValue, reason: $0.reason, cells: $0.zone.cells, areaKm2: $0.zone.areaKm2,
                                    forecastHarm: $0.zone.value, shareOfCity: $0.explanation.shareOfCity, explanation: $0.explanation.text,
                                    locationDescription: locations[$0.id]?.locationDescription ?? "", streets: locations[$0.id]?.streets ?? [])
                          },
                          retired: cycle.retired.enumerated().map { k, r in
                              .init(id: "-", status: "retired", reason: r.reason, cells: r.zone.cells, areaKm2: r.zone.areaKm2,
                                    forecastHarm: r.zone.value, shareOfCity: 0, explanation: "",
                                    locationDescription: locations["R\(k + 1)"]?.locationDescription ?? "", streets: locations["R\(k + 1)"]?.streets ?? [])
                          },
                          capturedShare: cycle.proposal.capturedShare, model: model, provenance: cycle.provenance)
            try printJSON(out)
            return
        }
        print("CONFIDENTIAL: patrol zone locations.")
        if jurisdiction.isSynthetic { print("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        // "CST", not "GMT-6", as `zonecast summary` prints.
        let zone = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let when = { (d: Date) in DateTexts.shared.string(d, format: "yyyy-MM-dd HH:mm zzz", timeZone: zone) }
        print("Proposal \(cycle.id) for \(when(cycle.startsAt)) to \(when(cycle.endsAt)) "
              + "(\(cycle.provenance.modelShown) forecast, \(cycle.provenance.incidentCount) incidents):")
        print(String(format: "%d zones, %.2f km² in all, holding %.1f %% of the city's forecast harm.",
                     cycle.zones.count, cycle.proposal.areaKm2, cycle.proposal.capturedShare * 100))
        let projection = jurisdiction.projection.prepared()
        for z in cycle.zones {
            let c = projection.unproject(z.zone.centroid)
            print("")
            print(String(format: "%@ [%@] %.2f km², %d cells, centre %.5f, %.5f",
                         z.id, z.status.rawValue, z.zone.areaKm2, z.zone.cells.count, c.latitude, c.longitude))
            print("  \(z.reason)")
            if let location = locations[z.id] { print("  Where: \(location.locationDescription)") }
            print("  \(z.explanation.text)")
        }
        for r in cycle.retired { print("\nRetired: \(r.reason)") }
        if !dryRun {
            print("\nRecorded as cycle \(cycle.id) (proposed)."
                  + (cycle.zones.isEmpty ? " It has no zones: nothing to approve." : " Approve with: zonecast cycles approve \(cycle.id) \(database.argument)"))
        }
        if let geojson { print("Zones written to \(geojson) (confidential).") }
    }
}

struct CyclesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycles", abstract: "List recorded cycles, or approve a proposal (optionally with other zones and a reason).",
        subcommands: [List.self, Approve.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cycles, newest first.", discussion: "Example: zonecast cycles list --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await CLIFailure.run(perform) }
        func perform() async throws {
            let store = try await database.openStore()
            let records = try await store.cycles()
            if records.isEmpty { print("No cycles yet: zonecast propose"); return }
            let iso = ISO8601DateFormatter()
            // Statuses at the database's time, as the web pages read them: in an exercise a cycle approved for the
            // data's last days is in force or upcoming, not expired.
            let now = try await DatabaseTime.of(store, clock: Date()).now
            for r in records {
                print("\(r.id)  \(r.status(at: now).rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  "
                      + "\(iso.string(from: r.startsAt)) -> \(iso.string(from: r.endsAt))")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a proposed cycle; it supersedes the cycle in force.",
            discussion: "Example: zonecast cycles approve C-2017-06-01T050000Z --db kc.sqlite --reason \"IRIS 2017-05-31\"")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Cycle id.") var id: String
        @Option(help: "A proposed zone to leave out (repeatable), e.g. Z3.") var drop: [String] = []
        @Option(help: "Why (logged with the approval; required when zones are dropped).") var reason: String?

        func validate() throws {
            if !drop.isEmpty && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("approving with changes needs --reason")
            }
        }

        func run() async throws { try await CLIFailure.run(perform) }
        func perform() async throws {
            let store = try await database.openStore()
            guard let record = try await store.cycle(id: id) else { throw ValidationError("no cycle \(id)") }
            guard record.status == .proposed else { throw ValidationError("cycle \(id) is \(record.status.rawValue), not proposed") }
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
            let unknown = drop.filter { d in !cycle.zones.contains { $0.id == d } }
            guard unknown.isEmpty else {
                throw ValidationError("no zone \(unknown.joined(separator: ", ")) in cycle \(id) (zones: \(cycle.zones.map(\.id).joined(separator: ", ")))")
            }
            // The same rules as the IRIS meeting: every zone approved, or rejected with the reason; no analysts'
            // adjustments from the command line (the proposal is approved as the optimiser made it).
            let note = (reason ?? "").trimmingCharacters(in: .whitespaces)
            let verdicts = cycle.zones.map { z in
                drop.contains(z.id) ? ZoneVerdict(zoneID: z.id, decision: .reject, reason: note) : ZoneVerdict(zoneID: z.id, decision: .approve, reason: "")
            }
            let adjusted = AdjustedProposal(unadjusted: cycle.zones)
            // Live data refuses a window already over; an exercise on historical data approves it and says so.
            let time = try await DatabaseTime.of(store, clock: Date()), tz = try await DatabaseTime.timeZone(store)
            let outcome: CycleApproval.Outcome
            do {
                outcome = try CycleApproval.approve(cycle, adjusted: adjusted, verdicts: verdicts, at: time, timeZone: tz,
                                                    context: drop.isEmpty && !note.isEmpty ? note : nil)
            } catch {
                throw ValidationError("\(error)")
            }
            let audit = AuditDraft(at: Date(), actor: "cli", action: .approveCycle, subject: id,
                                   detail: "\(outcome.explainedZones.count) zone(s) approved: \(outcome.summary)")
            try await store.apply(try CycleApproval.changes(outcome, createdAt: record.createdAt, store: store, audit: audit))
            print("Cycle \(id) approved: \(outcome.cycle.approvedZones?.count ?? 0) zones in force from "
                  + "\(ISO8601DateFormatter().string(from: cycle.startsAt)) (\(outcome.cycle.approvalReason ?? "")).")
        }
    }
}
