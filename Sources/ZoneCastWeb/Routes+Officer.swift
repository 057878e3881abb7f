import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore

/// The officer's phone view: the zones assigned to their units, and the patrol log.
func addOfficerRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .logPatrols, env: env).get("/officer") { request, context -> Response in
        let viewer = try context.viewer
        let logged = try await request.uri.queryParameters["logged"].asyncFlatMap { try await env.store.document(PatrolVisit.self, id: String($0)) }
            .flatMap { $0.officer == viewer.username ? $0 : nil }
        let home = try await env.officerHome(viewer, logged: logged)
        if !home.zones.isEmpty { try await env.audit(viewer, .viewZones, home.active?.cycle.id ?? "", "officer view: \(home.zones.count) zone(s)") }
        return html(OfficerView.myZones(home, viewer: viewer))
    }

    router.pages(requiring: .logPatrols, env: env).get("/patrols/new") { request, context -> Response in
        let viewer = try context.viewer
        let preselect = request.uri.queryParameters["zone"].map(String.init)
        return await html(OfficerView.patrolForm(try env.patrolFormChoices(viewer), viewer: viewer, form: nil, preselect: preselect, error: nil))
    }

    router.pages(requiring: .logPatrols, env: env).post("/patrols") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        do {
            let visit = try await env.withLocationCheck(try await env.patrolVisit(from: form, viewer: viewer), form: form)
            let a = visit.activities
            let detail = ["\(Int(visit.minutes.rounded())) min; contacts \(a.communityContacts)", "business checks \(a.businessChecks)",
                          "field interviews \(a.fieldInterviews)", "minor citations \(a.minorInfractionCitations)",
                          "other citations \(a.otherCitations)", "arrests \(a.arrests)"].joined(separator: ", ") + visit.inZoneAuditText
            try await env.savePatrolVisit(visit, audit: env.draft(viewer, .logPatrol, "\(visit.cycleID)/\(visit.zoneID)", detail))
            return redirect("/officer?logged=\(visit.id)")
        } catch let error as WebError where error.kind == .badRequest {
            let page = await OfficerView.patrolForm(try env.patrolFormChoices(viewer), viewer: viewer, form: form, preselect: nil, error: error.message)
            return html(page, status: .badRequest)
        }
    }
    addVisitRoutes(to: router, env: env)
}

extension WebEnvironment {
    /// How long after a cycle ends a visit may still be logged against it (late entries after a shift).
    static let patrolGrace: TimeInterval = 3 * 3_600
    /// How early before a cycle starts a visit to its zone may begin: a clock a little off, not patrol of a zone that
    /// did not exist yet (the cycle's dosage and monitor would count it).
    static let patrolEarlyStart: TimeInterval = 15 * 60

    /// Cycles an officer can log visits for: approved cycles in force now or ended within the grace period, at the
    /// database's time, so an exercise on historical data logs visits to its own cycles.
    func patrolCycles() async throws -> [CycleView] {
        let now = try await dataTime().now
        return try await store.cycles().filter {
            ($0.status == .approved || $0.status == .active) && $0.startsAt <= now && now < $0.endsAt.addingTimeInterval(Self.patrolGrace)
        }.asyncMap(cycleView)
    }

    /// A visit from the form, checked: the zone is one this officer's units patrol, the times make sense and fall
    /// in the cycle's window, the counts are plausible, and it does not overlap another of the officer's visits.
    /// `replacing`: the officer's own visit being corrected (it keeps its id and does not overlap itself).
    /// Times are checked against the database's time (an exercise's visits fall in its own cycles); `loggedAt` is the
    /// clock's, when the log was really written.
    func patrolVisit(from form: Form, viewer: Viewer, replacing: PatrolVisit? = nil) async throws -> PatrolVisit {
        let now = try await dataTime().now
        let tz = try await timeZone()
        let raw = form["zone"] ?? ""
        let parts = raw.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw WebError.invalid("zone", raw, "choose a zone from the list") }
        guard let view = try await patrolCycles().first(where: { $0.cycle.id == parts[0] }) else {
            throw WebError(.notFound, "No zone \(raw) that your units patrol now.")
        }
        let visible = view.visibleZones(for: viewer.account)
        // A comparison patrol outside the zones, open to officers deployed in this cycle.
        let outside = visible.isEmpty ? nil : PatrolVisit.outsideZones
        guard let zoneID = parts[1] == PatrolVisit.outsideZones ? outside : visible.first(where: { $0.id == parts[1] })?.id else {
            throw WebError(.notFound, "No zone \(raw) that your units patrol now.")
        }
        let start = try form.localDateTime("start", timeZone: tz), end = try form.localDateTime("end", timeZone: tz)
        // Times in messages as people write them ("Tue 1 Dec 22:17"), not as the input sends them ("2026-12-01T22:17").
        let startText = PlainWords.dateTime(start, timeZone: tz, now: now), endText = PlainWords.dateTime(end, timeZone: tz, now: now)
        guard end > start else { throw WebError.invalid("end", endText, "must be after the start (\(startText))") }
        guard end <= now.addingTimeInterval(5 * 60) else {
            throw WebError.invalid("end", endText, "is in the future (now is \(PlainWords.dateTime(now, timeZone: tz, now: now)))")
        }
        guard end.timeIntervalSince(start) <= 12 * 3_600 else {
            throw WebError.invalid("end", endText, "the visit would last \(String(format: "%.1f", end.timeIntervalSince(start) / 3_600)) hours; at most 12")
        }
        guard start >= view.cycle.startsAt.addingTimeInterval(-Self.patrolEarlyStart) else {
            let began = PlainWords.dateTime(view.cycle.startsAt, timeZone: tz, now: now)
            throw WebError.invalid("start", startText, "before cycle \(view.cycle.id) began (\(began))")
        }
        guard end <= view.cycle.endsAt.addingTimeInterval(Self.patrolGrace) else {
            throw WebError.invalid("end", endText, "after cycle \(view.cycle.id) ended (\(PlainWords.dateTime(view.cycle.endsAt, timeZone: tz, now: now)))")
        }
        let counts = try ["communityContacts", "businessChecks", "fieldInterviews", "minorCitations", "otherCitations", "arrests"].map {
            try form.integer($0, range: 0...500, default: 0)
        }
        let notes = try form.text("notes", required: false, maxLength: 2_000)
        // The unit: the one chosen (it must be the officer's), else the officer's unit assigned to this zone.
        let zoneUnits = Set(view.deployments[zoneID]?.units ?? [])
        var unit: PatrolUnit?
        if let name = form["unit"], !name.isEmpty {
            guard let u = viewer.account.units.first(where: { $0.name == name }) else {
                throw WebError.invalid("unit", name, "not one of your units (\(viewer.account.units.sorted().map(\.name).joined(separator: ", ")))")
            }
            unit = u
        } else {
            unit = viewer.account.units.intersection(zoneUnits).sorted().first ?? viewer.account.units.sorted().first
        }
        let mine = try await patrolVisits(cycleID: view.cycle.id).filter { $0.officer == viewer.username && $0.id != replacing?.id }
        if let clash = mine.first(where: { $0.startedAt < end && start < $0.endedAt }) {
            let from = PlainWords.dateTime(clash.startedAt, timeZone: tz, now: now)
            let to = PlainWords.dateTime(clash.endedAt, timeZone: tz, now: now)
            throw WebError.invalid("start", startText, "overlaps your visit to \(clash.zoneID) from \(from) to \(to)")
        }
        return PatrolVisit(id: replacing?.id ?? newID("visit"), officer: viewer.username, unit: unit, cycleID: view.cycle.id, zoneID: zoneID,
                           startedAt: start, endedAt: end,
                           activities: PatrolActivities(communityContacts: counts[0], businessChecks: counts[1], fieldInterviews: counts[2],
                                                        minorInfractionCitations: counts[3], otherCitations: counts[4], arrests: counts[5]),
                           notes: notes, loggedAt: replacing?.loggedAt ?? clock())
    }
}
