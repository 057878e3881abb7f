import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore

/// Where the analysis grid comes from.
enum GridExtent: String, ExpressibleByArgument, CaseIterable {
    /// Cells whose centres are inside the jurisdiction's boundary.
    case boundary
    /// Every cell of the bounding box of the events (the protocol of the published peer benchmarks).
    case data
}

/// The database's incidents as model input, and the grid to forecast on.
struct AnalysisData {
    var jurisdiction: Jurisdiction
    var weights: HarmWeights
    var events: EventSet
    var grid: Grid

    /// The database's jurisdiction alone (to read dates in its time zone before loading anything).
    static func jurisdiction(database: DatabaseOptions) async throws -> Jurisdiction {
        guard database.postgresURL != nil || FileManager.default.fileExists(atPath: database.path) else {
            throw ValidationError("no database at \(database.path): import data first (zonecast import ...)")
        }
        guard let j = try await database.openStore().jurisdiction() else { throw StoreError.noJurisdiction }
        return j
    }

    static func load(database: DatabaseOptions, from: Date?, to: Date?, includePoliceInitiated: Bool, cellSizeMeters: Double,
                     extent: GridExtent) async throws -> AnalysisData {
        guard database.postgresURL != nil || FileManager.default.fileExists(atPath: database.path) else {
            throw ValidationError("no database at \(database.path): import data first (zonecast import ...)")
        }
        let store = try await database.openStore()
        guard let jurisdiction = try await store.jurisdiction() else { throw StoreError.noJurisdiction }
        let incidents = try await store.incidents(IncidentQuery(occurredFrom: from, occurredBefore: to, includePoliceInitiated: includePoliceInitiated))
        let events = EventSet(incidents, includePoliceInitiated: includePoliceInitiated)
        let grid: Grid
        switch extent {
        case .boundary: grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cellSizeMeters)
        case .data: grid = Grid.covering(zip(events.x, events.y).map { PlanarPoint(xMeters: $0, yMeters: $1) }, cellSizeMeters: cellSizeMeters)
        }
        return AnalysisData(jurisdiction: jurisdiction, weights: try await store.harmWeights(), events: events, grid: grid)
    }
}

/// "2017-01-31" (midnight, jurisdiction time) or an ISO 8601 instant.
func parseInstant(_ text: String, timeZone: String, option: String) throws -> Date {
    if let d = ISO8601DateFormatter().date(from: text) { return d }
    guard let day = parseDay(text) else { throw ValidationError("\(option) \"\(text)\" is not a date (2017-01-31) or an ISO 8601 instant") }
    var clock = try LocalTimeConverter(timeZoneIdentifier: timeZone)
    return clock.instant(LocalDateTime(date: day))
}

/// "homicide,non_fatal_shooting" or "violent".
func parseCategories(_ text: String) throws -> Set<HarmCategory> {
    var out = Set<HarmCategory>()
    for part in text.split(separator: ",") {
        let name = part.trimmingCharacters(in: .whitespaces)
        if name == "violent" { out.formUnion(HarmCategory.violent); continue }
        if name == "all" { out.formUnion(HarmCategory.allCases); continue }
        out.insert(try HarmCategory.parse(name))
    }
    guard !out.isEmpty else { throw ValidationError("no categories in \"\(text)\"") }
    return out
}

/// "96h", "4d", "3600s" or plain hours.
func parseDurationHours(_ text: String, option: String) throws -> Double {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let (number, factor): (Substring, Double) = t.hasSuffix("h") ? (t.dropLast(), 1)
        : t.hasSuffix("d") ? (t.dropLast(), 24)
        : t.hasSuffix("s") ? (t.dropLast(), 1.0 / 3600)
        : (Substring(t), 1)
    guard let v = Double(number), v > 0 else { throw ValidationError("\(option) \"\(text)\" is not a duration such as 96h or 4d") }
    return v * factor
}

/// Refuses targets the database holds no incident of, naming what it does hold and how to choose it. A database of
/// overdose calls (the Tempe preset) forecast the default violent categories and got "no training data: choose an
/// origin within or just after the data", which no origin could mend, and `propose` recorded a cycle of no zones.
func requireTargetsHeld(_ targets: Set<HarmCategory>, in store: any IncidentStore) async throws {
    let held = try await store.summary().incidentsByCategory.filter { $0.value > 0 }
    guard !held.isEmpty, targets.allSatisfy({ held[$0] == nil }) else { return }
    let heldText = held.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \(FixedText.grouped($0.value))" }.joined(separator: ", ")
    throw CLIDataError(description: "the database holds no incident of the target categories "
                                + "(\(targets.map(\.rawValue).sorted().joined(separator: ", "))); it holds \(heldText). "
                                + "Choose the categories with --target, e.g. --target \(held.max { $0.value < $1.value }!.key.rawValue)")
}

/// Says on standard error when the records thin out just before `origin` (`RecordCoverage`): the forecast then
/// rests on a few weeks of almost nothing, which the zones' explanations do not show.
func warnIfRecordsThin(_ store: any IncidentStore, before origin: Date, timeZone: String) async throws {
    guard let thin = try await RecordCoverage.thinEnd(in: store, before: origin) else { return }
    let zone = TimeZone(identifier: timeZone) ?? .gmt
    FileHandle.standardError.write(Data(("zonecast: warning: the 28 days before \(PlainWords.dateTime(origin, timeZone: zone, zone: true)) hold "
        + "\(FixedText.grouped(thin.recent)) incident(s), against a typical \(FixedText.grouped(Int(thin.typical.rounded()))) in each 28 days of "
        + "the year before: the records thin out (did a source stop earlier than the newest record?), and the forecast rests on what is "
        + "there. `zonecast summary` shows the months.\n").utf8))
}
