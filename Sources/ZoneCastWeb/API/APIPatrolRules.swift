import Foundation
import ZoneCastAccess
import ZoneCastAPI
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning

/// A patrol visit from the API, with the officer form's rules (Routes+Officer.swift): an approved zone the caller's
/// units patrol in a cycle open for logging, the end after the start, not in the future, at most 12 hours, within
/// the cycle (with its grace period), no overlap with the caller's other visits, counts 0-500, text without control
/// characters (notes may hold tabs and new lines). The generated decoder has already refused unknown fields,
/// missing ones and values of the wrong JSON type (booleans as counts, fractions, numbers past Int).
struct APIPatrolRules {
    static let maxDuration: TimeInterval = 12 * 3_600
    static let countRange = 0...500

    let env: WebEnvironment
    let caller: Viewer

    func visit(from input: Components.Schemas.PatrolInput) async throws -> PatrolVisit {
        // The database's time for the rules (an exercise logs to its own cycles), the clock's for when it was logged.
        let now = try await env.dataTime().now
        let view = try await cycle(try text(input.cycle, "cycle"), now: now)
        let zone = try zone(try text(input.zone, "zone", required: true)!, of: view)
        let (start, end) = try await times(input, of: view, now: now)
        let unit = try unit(try text(input.unit, "unit"), zone: zone, of: view)
        let activities = try activities(input.activities)
        let notes = try text(input.notes, "notes", maxLength: 2_000) ?? ""
        // Last, once the visit itself is valid: it must not overlap another of the caller's visits.
        let mine = try await env.patrolVisits(cycleID: view.cycle.id).filter { $0.officer == caller.username }
        if let clash = mine.first(where: { $0.startedAt < end && start < $0.endedAt }) {
            throw APIQuery.invalid("startedAt", iso(start),
                                   "overlaps your visit \(clash.id) to \(clash.zoneID) from \(iso(clash.startedAt)) to \(iso(clash.endedAt))")
        }
        return PatrolVisit(id: env.newID("P"), officer: caller.username, unit: unit, cycleID: view.cycle.id, zoneID: zone, startedAt: start, endedAt: end,
                           activities: activities, notes: notes, loggedAt: env.clock())
    }

    /// A text field: no control characters (tab and new lines only in notes), trimmed, at most `maxLength`.
    func text(_ raw: String?, _ name: String, required: Bool = false, maxLength: Int = 200) throws(WebError) -> String? {
        if let raw, let why = InputText.problem(raw, multiline: name == "notes") { throw APIQuery.invalid(name, InputText.visible(raw), why) }
        let v = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if v.isEmpty {
            if required { throw WebError(.badRequest, "\(name) is required", api: true) }
            return nil
        }
        if v.count > maxLength { throw APIQuery.invalid(name, v, "longer than \(maxLength) characters") }
        return v
    }

    /// The cycles the officer's form offers: approved, in force now or ended within the grace period.
    private func cycle(_ id: String?, now: Date) async throws -> CycleView {
        let open = try await env.patrolCycles()
        if let id {
            guard let v = open.first(where: { $0.cycle.id == id }) else {
                let grace = Int(WebEnvironment.patrolGrace / 3_600)
                throw APIQuery.invalid("cycle", id, "not an approved cycle in force (or ended within \(grace) h) to log visits for")
            }
            return v
        }
        guard let v = open.first(where: { $0.cycle.startsAt <= now && now < $0.cycle.endsAt }) ?? open.first else {
            throw WebError(.badRequest, "cycle is required: no cycle is in force now", api: true)
        }
        return v
    }

    /// A zone the caller patrols, or "outside": a comparison patrol outside every zone, open to officers deployed in the cycle.
    private func zone(_ id: String, of view: CycleView) throws(WebError) -> String {
        let visible = view.visibleZones(for: caller.account)
        let zone = id == PatrolVisit.outsideZones ? (visible.isEmpty ? nil : PatrolVisit.outsideZones) : visible.first(where: { $0.id == id })?.id
        guard view.isApproved, let zone else {
            let outside = PatrolVisit.outsideZones
            throw APIQuery.invalid("zone", id, "not an approved zone of cycle \(view.cycle.id) that you patrol (or \"\(outside)\" for a comparison patrol)")
        }
        return zone
    }

    private func times(_ input: Components.Schemas.PatrolInput, of view: CycleView, now: Date) async throws -> (Date, Date) {
        let tz = try await env.timeZone()
        func instant(_ raw: String, _ name: String) throws -> Date {
            let text = try text(raw, name, required: true)!
            guard let d = StrictDates.instant(text, timeZone: tz, allowDateOnly: false) else {
                throw APIQuery.invalid(name, text, "not a calendar date and time with a time zone, like 2024-06-02T14:30:00Z")
            }
            return d
        }
        let start = try instant(input.startedAt, "startedAt"), end = try instant(input.endedAt, "endedAt")
        guard end > start else { throw APIQuery.invalid("endedAt", iso(end), "must be after startedAt (\(iso(start)))") }
        guard end.timeIntervalSince(start) <= Self.maxDuration else {
            throw APIQuery.invalid("endedAt", iso(end), "a visit lasts at most 12 hours (startedAt \(iso(start)))")
        }
        guard end <= now.addingTimeInterval(300) else { throw APIQuery.invalid("endedAt", iso(end), "is in the future (now \(iso(now)))") }
        guard start >= view.cycle.startsAt.addingTimeInterval(-WebEnvironment.patrolEarlyStart) else {
            throw APIQuery.invalid("startedAt", iso(start), "before cycle \(view.cycle.id) began (\(iso(view.cycle.startsAt)))")
        }
        guard end <= view.cycle.endsAt.addingTimeInterval(WebEnvironment.patrolGrace) else {
            throw APIQuery.invalid("endedAt", iso(end), "after cycle \(view.cycle.id) ended (\(iso(view.cycle.endsAt)))")
        }
        return (start, end)
    }

    /// The named unit (one of the caller's, or any for roles that see every zone), else the caller's unit deployed to the zone.
    private func unit(_ name: String?, zone: String, of view: CycleView) throws(WebError) -> PatrolUnit? {
        let mine = caller.account.units.sorted()
        guard let name else {
            let deployed = Set(view.deployments[zone]?.units ?? [])
            return mine.first { deployed.contains($0) } ?? mine.first
        }
        let u = PatrolUnit(name)
        guard caller.account.units.contains(u) || caller.may(.viewAllZones) else {
            throw APIQuery.invalid("unit", name, "not one of your units (\(mine.map(\.name).joined(separator: ", ")))")
        }
        return u
    }

    private func activities(_ input: Components.Schemas.PatrolActivitiesInput?) throws(WebError) -> PatrolActivities {
        guard let a = input else { return PatrolActivities() }
        func count(_ value: Int?, _ name: String) throws(WebError) -> Int {
            guard let value else { return 0 }
            guard Self.countRange.contains(value) else {
                throw APIQuery.invalid("activities.\(name)", String(value), "must be between \(Self.countRange.lowerBound) and \(Self.countRange.upperBound)")
            }
            return value
        }
        return PatrolActivities(
            communityContacts: try count(a.communityContacts, "communityContacts"), businessChecks: try count(a.businessChecks, "businessChecks"),
            fieldInterviews: try count(a.fieldInterviews, "fieldInterviews"),
            minorInfractionCitations: try count(a.minorInfractionCitations, "minorInfractionCitations"),
            otherCitations: try count(a.otherCitations, "otherCitations"), arrests: try count(a.arrests, "arrests"))
    }
}
