import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// IRIS meetings: scheduling, the agenda filled from the data, a decision per proposed zone, minutes, closing
/// (which approves the cycle in the same transaction) and the printable briefing.
///
/// Who: anyone who sees every zone may read a meeting; commanders (decideZones) and analysts (proposeZones)
/// schedule meetings and keep minutes; only commanders decide zones and close the meeting.
func addMeetingsRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .viewAllZones, env: env).get("/meetings") { request, context -> Response in
        let viewer = try context.viewer
        let tz = try await env.timeZone()
        let meetings = try await env.store.documents(Meeting.self)
        var schedule: MeetingsView.Schedule?
        if env.mayRunMeetings(viewer) {
            let pending = try await env.store.cycles().filter { $0.status == .proposed }   // newest first: the pending proposal leads
            schedule = MeetingsView.Schedule(defaultTime: env.defaultMeetingTime(after: meetings, timeZone: tz), pending: pending)
        }
        return html(MeetingsView.page(viewer: viewer, meetings: meetings, schedule: schedule, now: env.clock(), timeZone: tz))
    }

    router.pages(requiring: .decideZones, orAnyOf: [.proposeZones], env: env).post("/meetings") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let tz = try await env.timeZone()
        let title = try form.text("title", maxLength: 200)
        let at = try form.localDateTime("scheduledAt", label: "date and time", timeZone: tz)
        let cycleText = try form.text("cycle", required: false, maxLength: 200)
        var cycleID: String?
        if !cycleText.isEmpty {
            guard let record = try await env.store.cycle(id: cycleText) else { throw WebError.invalid("cycle", cycleText, "no such cycle") }
            guard record.status == .proposed else {
                throw WebError.invalid("cycle", cycleText, "is \(record.status.rawValue): a meeting reviews a proposal not yet decided")
            }
            cycleID = record.id
        }
        let attendees = try meetingAttendees(form)
        let meeting = Meeting(id: env.newID("M"), title: title, scheduledAt: at, cycleID: cycleID, attendees: attendees,
                              createdBy: viewer.username, createdAt: env.clock())
        let detail = "\(title) at \(localText(at, timeZone: tz)); reviews \(cycleID ?? "no proposal"); \(attendees.count) attendee(s)"
        try await env.store.apply([.save(meeting), .audit(env.draft(viewer, .scheduleMeeting, meeting.id, detail))])
        return redirect("/meetings/\(meeting.id)")
    }

    router.pages(requiring: .viewAllZones, env: env).get("/meetings/{id}") { _, context -> Response in
        let (viewer, meeting, tz, now, agenda, jurisdiction) = try await env.meetingWithAgenda(try context.viewer, id: try context.parameters.require("id"))
        let page = MeetingView(viewer: viewer, meeting: meeting, agenda: agenda, jurisdiction: jurisdiction, timeZone: tz, now: now,
                               mayKeepMinutes: env.mayRunMeetings(viewer))
        try await env.audit(viewer, .viewZones, "meeting \(meeting.id)")
        return html(page.html)
    }

    router.pages(requiring: .decideZones, env: env).post("/meetings/{id}/decisions") { request, context -> Response in
        try await env.meetingChanges.run {
            let viewer = try context.viewer
            let form = try context.form
            var meeting = try await env.meeting(try context.parameters.require("id"))
            try requireOpen(meeting)
            guard let cycleID = meeting.cycleID else { throw WebError(.badRequest, "This meeting reviews no proposal: there is nothing to decide.") }
            let ctx = try await env.proposalContext(cycleID)
            guard ctx.isOpen else {
                throw WebError(.conflict, "Cycle \(cycleID) is already \(ctx.view.record.status.rawValue): its zones can no longer be decided.")
            }
            let zone = try form.text("zone", maxLength: 20)
            guard let adjustedZone = ctx.adjusted.zone(zone) else {
                throw WebError.invalid("zone", zone,
                                       "no such zone in the proposal as adjusted (zones: \(ctx.adjusted.zones.map(\.id).joined(separator: ", ")))")
            }
            let decision = try form.choice("decision", ZoneDecisionRecord.Decision.self)
            // "Modified" approves the analysts' adjustments; with none, the record and the briefing would say the zone
            // changed when it did not.
            if decision == .modify, adjustedZone.origin == .optimiser, adjustedZone.adjustments.isEmpty {
                throw WebError.invalid("decision", "modify", "\(zone) has no adjustment to approve: have the analysts adjust it on the proposal page "
                                       + "(/proposals/\(cycleID)), then approve it as modified; or approve or reject it as proposed")
            }
            let reason = try form.text("reason", required: decision != .approve, maxLength: 2_000)
            meeting.decisions.append(ZoneDecisionRecord(zoneID: zone, decision: decision, reason: reason, decidedBy: viewer.username, decidedAt: env.clock()))
            let detail = "\(decision.rawValue)\(reason.isEmpty ? "" : ": \(reason)")"
            try await env.store.apply([.save(meeting), .audit(env.draft(viewer, .decideZone, "\(meeting.id)/\(cycleID)/\(zone)", detail))])
            return redirect("/meetings/\(meeting.id)#zone-\(zone)")
        }
    }

    router.pages(requiring: .decideZones, orAnyOf: [.proposeZones], env: env).post("/meetings/{id}/minutes") { request, context -> Response in
        try await env.meetingChanges.run {
            let viewer = try context.viewer
            let form = try context.form
            var meeting = try await env.meeting(try context.parameters.require("id"))
            try requireOpen(meeting)
            meeting.minutes = try form.text("minutes", required: false, maxLength: 50_000)
            try await env.store.apply([.save(meeting), .audit(env.draft(viewer, .updateMeeting, meeting.id,
                "minutes saved (\(meeting.minutes.count) characters)"))])
            return redirect("/meetings/\(meeting.id)#minutes")
        }
    }

    // Two steps, without script: the meeting page's button posts here and gets a confirmation page saying what
    // closing approves; only its second POST (confirm=yes, with the CSRF token like every form) closes the meeting.
    router.pages(requiring: .decideZones, env: env).post("/meetings/{id}/close") { request, context -> Response in
        try await env.meetingChanges.run {
            let viewer = try context.viewer
            let form = try context.form
            let meeting = try await env.meeting(try context.parameters.require("id"))
            let closing = try await prepareClose(meeting, env: env)
            guard form["confirm"] == "yes" else {
                let rejected = closing.ctx.adjusted.zones.map(\.id).filter { id in !closing.outcome.explainedZones.contains { $0.id == id } }
                return html(MeetingView.confirmClose(meeting, cycle: closing.ctx.cycle, approved: closing.outcome.explainedZones.map(\.id),
                                                     rejected: rejected, summary: closing.outcome.summary, viewer: viewer, timeZone: closing.ctx.timeZone,
                                                     now: env.clock()))
            }
            try await closeMeeting(closing, env: env, viewer: viewer)
            return redirect("/meetings/\(meeting.id)")
        }
    }

    router.pages(requiring: .viewAllZones, env: env).get("/meetings/{id}/briefing") { _, context -> Response in
        let (viewer, meeting, tz, now, agenda, jurisdiction) = try await env.meetingWithAgenda(try context.viewer, id: try context.parameters.require("id"))
        let page = BriefingView(viewer: viewer, meeting: meeting, agenda: agenda, jurisdiction: jurisdiction, timeZone: tz, now: now)
        try await env.audit(viewer, .viewBriefing, meeting.id, meeting.cycleID.map { "proposal \($0)" } ?? "")
        return html(page.html)
    }
}

/// Attendees from the form: one per line, blank lines left out, at most 60 of at most 200 characters each.
private func meetingAttendees(_ form: Form) throws -> [String] {
    let text = try form.text("attendees", required: false, maxLength: 8_000)
    let attendees = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    if attendees.count > 60 { throw WebError.invalid("attendees", "\(attendees.count) lines", "at most 60 attendees") }
    if let long = attendees.first(where: { $0.count > 200 }) {
        throw WebError.invalid("attendees", long, "one attendee per line, at most 200 characters each")
    }
    return attendees
}

/// What closing a meeting would do, checked but not saved: the proposal's context and the approval outcome.
private struct MeetingClosing {
    let meeting: Meeting
    let cycleID: String
    let ctx: ProposalContext
    let outcome: CycleApproval.Outcome
}

/// Checks that the meeting can close (open, reviewing an open proposal, every zone decided) and works out the
/// approval, without saving anything; refusals are the same errors closing gives.
private func prepareClose(_ meeting: Meeting, env: WebEnvironment) async throws -> MeetingClosing {
    try requireOpen(meeting)
    guard let cycleID = meeting.cycleID else { throw WebError(.badRequest, "This meeting reviews no proposal: there is nothing to approve.") }
    let ctx = try await env.proposalContext(cycleID)
    guard ctx.isOpen else {
        throw WebError(.conflict, "Cycle \(cycleID) is already \(ctx.view.record.status.rawValue): a cycle is approved only once.")
    }
    let tz = ctx.timeZone
    let ids = Set(ctx.adjusted.zones.map(\.id))
    // Decisions on zones the analysts dropped since do not count.
    let verdicts = meeting.decisions.filter { ids.contains($0.zoneID) }.map(ZoneVerdict.init)
    let evidence = try await explanationEvidence(env, ctx)
    let drawnBy = Dictionary(ctx.adjusted.zones.filter { $0.origin == .drawn }.compactMap { z in z.adjustments.first.map { (z.id, $0.adjustedBy) } },
                             uniquingKeysWith: { a, _ in a })
    // The database's time: live, a window already over is refused; in an exercise it is approved, and says so.
    let time = try await env.dataTime()
    let outcome: CycleApproval.Outcome
    do {
        outcome = try CycleApproval.approve(ctx.cycle, adjusted: ctx.adjusted, verdicts: verdicts, at: time, timeZone: tz,
                                            context: "IRIS meeting \"\(meeting.title)\" of \(localText(meeting.scheduledAt, timeZone: tz))",
                                            evidence: evidence, drawnBy: drawnBy)
    } catch {
        // `approve` throws only PlanningInputError (typed throws).
        if error.field == "decision" {
            throw WebError(.badRequest, "Every zone needs a decision before the meeting can close: still to decide \(error.value).")
        }
        if error.field == "window" { throw WebError(.conflict, "The meeting cannot close: \(error.reason) (window \(error.value)).") }
        throw error.web
    }
    return MeetingClosing(meeting: meeting, cycleID: cycleID, ctx: ctx, outcome: outcome)
}

/// Closes the meeting and approves its proposal with the zones approved or modified, as adjusted, in one transaction.
private func closeMeeting(_ closing: MeetingClosing, env: WebEnvironment, viewer: Viewer) async throws {
    var meeting = closing.meeting
    let (cycleID, ctx, outcome) = (closing.cycleID, closing.ctx, closing.outcome)
    meeting.status = .closed
    meeting.closedAt = env.clock()
    meeting.closedBy = viewer.username
    meeting.outcome = outcome.summary
    let approval = env.draft(viewer, .approveCycle, cycleID, "\(outcome.explainedZones.count) zone(s) approved at meeting \(meeting.id): \(outcome.summary)")
    var changes = try await CycleApproval.changes(outcome, createdAt: ctx.view.record.createdAt, store: env.store, audit: approval)
    changes.append(try .save(meeting))
    changes.append(.audit(env.draft(viewer, .updateMeeting, meeting.id, "closed; cycle \(cycleID) approved")))
    try await env.store.apply(changes)
}

private func requireOpen(_ meeting: Meeting) throws {
    guard meeting.status == .scheduled else {
        throw WebError(.conflict, "The meeting \"\(meeting.title)\" is closed: its decisions, minutes and attendees can no longer change.")
    }
}

/// Evidence to explain the zones the analysts changed or drew: the incidents of the year before the cycle around them.
private func explanationEvidence(_ env: WebEnvironment, _ ctx: ProposalContext) async throws -> ExplanationEvidence? {
    let changed = ctx.adjusted.zones.filter(\.isAdjusted)
    guard !changed.isEmpty else { return nil }
    let boxes = changed.map(\.zone.boundingBox)
    let box = PlanarBoundingBox(minX: boxes.map(\.minX).min()!, minY: boxes.map(\.minY).min()!, maxX: boxes.map(\.maxX).max()!, maxY: boxes.map(\.maxY).max()!)
    let origin = ctx.cycle.provenance.origin
    let incidents = try await env.store.incidents(IncidentQuery(occurredFrom: origin.addingTimeInterval(-365 * 86_400), occurredBefore: origin, bounds: box,
                                                          includePoliceInitiated: ctx.cycle.provenance.includePoliceInitiated, includeRawRow: false))
    return ExplanationEvidence(grid: ctx.grid, surfaceTotal: ctx.surface.total, incidents: incidents)
}

extension WebEnvironment {
    /// What the meeting page and its printable briefing both start from: the signed-in viewer (who sees every
    /// zone: the route group checked), the meeting, the time zone, the database's now (the data's own in an exercise), the
    /// agenda filled from the data and the jurisdiction.
    func meetingWithAgenda(_ viewer: Viewer, id: String) async throws
        -> (viewer: Viewer, meeting: Meeting, timeZone: TimeZone, now: Date, agenda: MeetingAgenda, jurisdiction: Jurisdiction?) {
        let meeting = try await meeting(id)
        let time = try await dataTime()
        return await (viewer, meeting, try timeZone(), time.now, try await agenda(for: meeting, at: time), try store.jurisdiction())
    }
}
