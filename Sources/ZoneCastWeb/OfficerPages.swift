import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastStreets
import ZoneCastZoning

/// What the officer's "My zones" page shows: the cycle in force, a card per zone assigned to the officer's units
/// (with the units and this cycle's patrol dosage), and the officer's own recent visits.
struct OfficerHome: Sendable {
    struct ZoneCard: Sendable {
        let zone: ZoneCycle.ExplainedZone
        let units: [PatrolUnit]
        let dosage: PatrolDosage
        /// "Where" in street names, from the street layer (nil without one).
        var locationDescription: String? = nil
    }

    let active: CycleView?
    /// The zones this officer sees in the cycle in force.
    let zones: [ZoneCycle.ExplainedZone]
    let cards: [ZoneCard]
    let jurisdiction: Jurisdiction?
    /// The cycle's grid, for the zone maps (when there is a cycle in force with zones and a jurisdiction).
    let grid: Grid?
    /// The officer's latest visits over every cycle open for logging, newest first (at most 10).
    let recentVisits: [PatrolVisit]
    /// The visit just logged, to confirm.
    let logged: PatrolVisit?
    /// Approved cycles that have not started yet, with the zones this officer's units are deployed to in each: seen
    /// as soon as a commander deploys them (issue #15), not only once the cycle is in force.
    var upcoming: [(cycle: CycleView, zones: [ZoneCycle.ExplainedZone])] = []
    let now: Date
    let timeZone: TimeZone
}

/// What the patrol log form offers: the zones the officer may log a visit to, and the officer's units.
struct PatrolFormChoices: Sendable {
    let zones: [(value: String, label: String)]
    let units: [PatrolUnit]
    let now: Date
    let timeZone: TimeZone
}

extension WebEnvironment {
    /// The cycle in force, its dosage so far and the upcoming cycles, all at the database's time (`dataTime()`), so an
    /// officer in an exercise on historical data sees the exercise's cycles.
    func officerHome(_ viewer: Viewer, logged: PatrolVisit?) async throws -> OfficerHome {
        let now = try await dataTime().now
        let tz = try await timeZone()
        let jurisdiction = try await store.jurisdiction()
        let active = try await store.cycleInForce(at: now).asyncMap { try await cycleView($0, at: now) }
        let zones = active?.visibleZones(for: viewer.account) ?? []
        var cards: [OfficerHome.ZoneCard] = []
        var grid: Grid?
        if let active, !zones.isEmpty {
            if let j = jurisdiction { grid = await surfaces.grid(for: j, cellSizeMeters: active.cycle.provenance.cellSizeMeters) }
            let visits = try await patrolVisitsByZone(cycleID: active.cycle.id)
            var locations: [String: ZoneLocation] = [:]
            if let j = jurisdiction, let grid { locations = try await zoneLocations(zones.map { ($0.id, $0.zone.cells) }, grid: grid, jurisdiction: j) }
            cards = zones.map { z in
                let dosage = PatrolDosage(visits[z.id] ?? [], cycleStart: active.cycle.startsAt, cycleEnd: active.cycle.endsAt, now: now, timeZone: tz)
                return OfficerHome.ZoneCard(zone: z, units: active.deployments[z.id]?.units ?? [], dosage: dosage,
                                            locationDescription: locations[z.id]?.locationDescription)
            }
        }
        // Picked out one cycle at a time: joining the cycles' lists first copied every visit of every officer.
        var mine: [PatrolVisit] = []
        for cycle in try await patrolCycles() { await mine += try patrolVisits(cycleID: cycle.cycle.id).filter { $0.officer == viewer.username } }
        mine.sort { $0.startedAt > $1.startedAt }
        let upcoming = try await store.cycles().filter { $0.status == .approved && $0.startsAt > now }.sorted { $0.startsAt < $1.startsAt }
            .asyncMap { try await cycleView($0, at: now) }.map { (cycle: $0, zones: $0.visibleZones(for: viewer.account)) }.filter { !$0.zones.isEmpty }
        return OfficerHome(active: active, zones: zones, cards: cards, jurisdiction: jurisdiction, grid: grid, recentVisits: Array(mine.prefix(10)),
                           logged: logged, upcoming: upcoming, now: now, timeZone: tz)
    }

    /// Every zone the officer may log a visit to, per cycle open for logging, and a comparison patrol outside the
    /// zones of each cycle where the officer's units patrol a zone.
    func patrolFormChoices(_ viewer: Viewer) async throws -> PatrolFormChoices {
        var options: [(value: String, label: String)] = []
        for view in try await patrolCycles() {
            let zones = view.visibleZones(for: viewer.account)
            for z in zones {
                options.append(("\(view.cycle.id)/\(z.id)", "\(z.id) (cycle \(view.cycle.id)\(view.status == .expired ? ", ended" : ""))"))
            }
            if !zones.isEmpty {
                options.append(("\(view.cycle.id)/\(PatrolVisit.outsideZones)", "Outside the zones: comparison patrol (cycle \(view.cycle.id))"))
            }
        }
        let now = try await dataTime().now
        return PatrolFormChoices(zones: options, units: viewer.account.units.sorted(), now: now, timeZone: try await timeZone())
    }
}
