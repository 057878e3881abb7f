import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// IRIS meetings: scheduling, the agenda filled from the data, a decision per proposed zone, minutes, closing
/// (which approves the cycle in the same transaction) and the printable briefing.
///
/// Who: anyone who sees every zone may read a meeting; commanders (decideZones) and analysts (proposeZones)
/// schedule meetings and keep minutes; only commanders decide zones and close the meeting.
func addMeetingsRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/meetings") { request, _ -> Response in
        let viewer = try await env.viewer(request, requiring: .viewAllZones)
        let tz = try env.timeZone()
        let now = env.clock()
        let meetings = try env.store.documents(Meeting.self)
        var body = ""
        if env.mayRunMeetings(viewer) { body += "<h2>Schedule a meeting</h2>" + (try scheduleForm(env, viewer: viewer, meetings: meetings, timeZone: tz)) }
        let upcoming = meetings.filter { $0.status == .scheduled }.sorted { $0.scheduledAt < $1.scheduledAt }
        let past = meetings.filter { $0.status == .closed }.sorted { $0.scheduledAt > $1.scheduledAt }
        body += "<h2>Upcoming and open</h2>" + meetingTable(upcoming, id: "upcoming-meetings", now: now, timeZone: tz, empty: "No meeting scheduled.")
        body += "<h2>Past (closed)</h2>" + meetingTable(past, id: "past-meetings", now: now, timeZone: tz, empty: "No meeting closed yet.")
        return html(Layout.page(title: "IRIS meetings", viewer: viewer, current: "/meetings", body: body))
    }

    router.post("/meetings") { request, _ -> Response in
        let viewer = try await env.viewer(request, requiring: .viewAllZones)
        guard env.mayRunMeetings(viewer) else { throw WebError(.forbidden, "The \(viewer.role.rawValue) role may not schedule IRIS meetings (decideZones or proposeZones).") }
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        let tz = try env.timeZone()
        let title = try form.text("title", maxLength: 200)
        let at = try form.localDateTime("scheduledAt", label: "date and time", timeZone: tz)
        let cycleText = try form.text("cycle", required: false, maxLength: 200)
        var cycleID: String?
        if !cycleText.isEmpty {
            guard let record = try env.store.cycle(id: cycleText) else { throw WebError.invalid("cycle", cycleText, "no such cycle") }
            guard record.status == .proposed else { throw WebError.invalid("cycle", cycleText, "is \(record.status.rawValue): a meeting reviews a proposal not yet decided") }
            cycleID = record.id
        }
        let attendeesText = try form.text("attendees", required: false, maxLength: 8_000)
        let attendees = attendeesText.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if attendees.count > 60 { throw WebError.invalid("attendees", "\(attendees.count) lines", "at most 60 attendees") }
        if let long = attendees.first(where: { $0.count > 200 }) { throw WebError.invalid("attendees", long, "one attendee per line, at most 200 characters each") }
        let meeting = Meeting(id: env.newID("M"), title: title, scheduledAt: at, cycleID: cycleID, attendees: attendees, createdBy: viewer.username, createdAt: env.clock())
        try env.store.apply([.save(meeting), .audit(env.draft(viewer, .scheduleMeeting, meeting.id,
                                                               "\(title) at \(localText(at, timeZone: tz)); reviews \(cycleID ?? "no proposal"); \(attendees.count) attendee(s)"))])
        return redirect("/meetings/\(meeting.id)")
    }

    router.get("/meetings/{id}") { request, context -> Response in
        let (viewer, meeting, tz, now, agenda, jurisdiction) = try await env.meetingWithAgenda(request, id: try context.parameters.require("id"))
        let open = meeting.status == .scheduled
        var body = MeetingPage.decisionStyle + Layout.syntheticBanner(jurisdiction?.isSynthetic ?? false) + Layout.confidential(viewer, at: now, timeZone: tz)
        body += "<p>\(LegacyHTML.escape(localText(meeting.scheduledAt, timeZone: tz))) · \(open ? "open" : "closed") · scheduled by \(LegacyHTML.escape(meeting.createdBy))"
        if let id = meeting.cycleID { body += " · reviews <a href=\"/proposals/\(LegacyHTML.escape(id))\">proposal \(LegacyHTML.escape(id))</a>" }
        body += " · <a href=\"/meetings/\(LegacyHTML.escape(meeting.id))/briefing\">printable briefing</a></p>"
        if !open {
            body += "<p class=\"ok\" id=\"outcome\">Closed\(meeting.closedBy.map { " by \(LegacyHTML.escape($0))" } ?? "")\(meeting.closedAt.map { " at \(LegacyHTML.escape(localText($0, timeZone: tz)))" } ?? ""). \(LegacyHTML.escape(meeting.outcome ?? ""))</p>"
        }
        body += "<h2>Attendees</h2>" + MeetingPage.attendeesList(meeting)
        body += MeetingPage.agendaFigures(agenda, jurisdiction: jurisdiction, timeZone: tz)

        body += "<h2 id=\"proposal\">The proposal</h2>"
        let current = meeting.currentDecisions
        if let ctx = agenda.proposal {
            body += "<p>Cycle \(LegacyHTML.escape(ctx.cycleID)) from \(LegacyHTML.escape(localText(ctx.cycle.startsAt, timeZone: tz))) to \(LegacyHTML.escape(localText(ctx.cycle.endsAt, timeZone: tz))), as adjusted by the analysts (\(ctx.adjustments.count) adjustment(s)); status \(ctx.view.record.status.rawValue).</p>"
            body += ProposalPage.map(id: "meeting-map", label: "Proposed zones of cycle \(ctx.cycleID) as adjusted", ctx: ctx,
                                     zones: ctx.activeZones.map { ($0.id, $0.cells, MapCanvas.ZoneKind.active) } + ctx.adjusted.zones.map { ($0.id, $0.zone.cells, MapCanvas.ZoneKind.proposed) }, surface: true)
            body += ProposalPage.differences(ctx)
            let mayDecide = viewer.may(.decideZones) && open && ctx.isOpen
            for z in ctx.adjusted.zones {
                body += "<section class=\"zone-review\">" + ProposalPage.zoneSection(z, ctx: ctx)
                if let d = current[z.id] {
                    body += "<p class=\"ok\">Decision: \(LegacyHTML.escape(MeetingPage.decisionWord(d.decision))) by \(LegacyHTML.escape(d.decidedBy))\(d.reason.isEmpty ? "" : ": \(LegacyHTML.escape(d.reason))")</p>"
                    if let later = z.adjustments.last, later.adjustedAt > d.decidedAt {
                        body += "<p class=\"error\">The analysts adjusted \(LegacyHTML.escape(z.id)) after this decision: review it again.</p>"
                    }
                } else {
                    body += "<p class=\"notice\">No decision yet.</p>"
                }
                if mayDecide { body += MeetingPage.decisionForm(meeting, zone: z.id, current: current[z.id], viewer: viewer) }
                body += "</section>"
            }
            if ctx.adjusted.zones.isEmpty { body += "<p>The proposal as adjusted has no zones.</p>" }
        } else {
            body += "<p>No proposal is under review at this meeting.</p>"
        }
        body += "<h2>Decisions</h2>" + MeetingPage.decisionsTable(meeting, timeZone: tz)

        body += "<h2 id=\"minutes\">Minutes</h2>"
        if open && env.mayRunMeetings(viewer) {
            body += "<form class=\"stack\" id=\"minutes-form\" method=\"post\" action=\"/meetings/\(LegacyHTML.escape(meeting.id))/minutes\">\(Layout.csrfField(viewer))"
            body += "<label for=\"minutes-text\">Minutes (discussion, actions, who follows up)</label><textarea id=\"minutes-text\" name=\"minutes\" rows=\"8\">\(LegacyHTML.escape(meeting.minutes))</textarea>"
            body += "<button type=\"submit\">Save the minutes</button></form>"
        } else {
            body += meeting.minutes.isEmpty ? "<p>No minutes.</p>" : "<div class=\"minutes\" style=\"white-space:pre-wrap\">\(LegacyHTML.escape(meeting.minutes))</div>"
        }
        if open && viewer.may(.decideZones), let ctx = agenda.proposal, ctx.isOpen {
            let missing = ctx.adjusted.zones.map(\.id).filter { current[$0] == nil }
            body += "<h2>Close the meeting</h2>"
            body += missing.isEmpty ? "<p>Every zone has a decision. Closing approves cycle \(LegacyHTML.escape(ctx.cycleID)) with the approved and modified zones, as adjusted; the meeting can then no longer change.</p>"
                : "<p class=\"notice\">Still to decide: \(LegacyHTML.escape(missing.joined(separator: ", "))).</p>"
            body += "<form method=\"post\" id=\"close-form\" action=\"/meetings/\(LegacyHTML.escape(meeting.id))/close\">\(Layout.csrfField(viewer))<button type=\"submit\">Close the meeting and approve the cycle</button></form>"
        }
        try env.audit(viewer, .viewZones, "meeting \(meeting.id)")
        return html(Layout.page(title: meeting.title, viewer: viewer, current: "/meetings", body: body))
    }

    router.post("/meetings/{id}/decisions") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .decideZones)
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        var meeting = try env.meeting(try context.parameters.require("id"))
        try requireOpen(meeting)
        guard let cycleID = meeting.cycleID else { throw WebError(.badRequest, "This meeting reviews no proposal: there is nothing to decide.") }
        let ctx = try await env.proposalContext(cycleID)
        guard ctx.isOpen else { throw WebError(.conflict, "Cycle \(cycleID) is already \(ctx.view.record.status.rawValue): its zones can no longer be decided.") }
        let zone = try form.text("zone", maxLength: 20)
        guard ctx.adjusted.zone(zone) != nil else {
            throw WebError.invalid("zone", zone, "no such zone in the proposal as adjusted (zones: \(ctx.adjusted.zones.map(\.id).joined(separator: ", ")))")
        }
        let decision = try form.choice("decision", ZoneDecisionRecord.Decision.self)
        let reason = try form.text("reason", required: decision != .approve, maxLength: 2_000)
        meeting.decisions.append(ZoneDecisionRecord(zoneID: zone, decision: decision, reason: reason, decidedBy: viewer.username, decidedAt: env.clock()))
        try env.store.apply([.save(meeting), .audit(env.draft(viewer, .decideZone, "\(meeting.id)/\(cycleID)/\(zone)", "\(decision.rawValue)\(reason.isEmpty ? "" : ": \(reason)")"))])
        return redirect("/meetings/\(meeting.id)#zone-\(zone)")
    }

    router.post("/meetings/{id}/minutes") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .viewAllZones)
        guard env.mayRunMeetings(viewer) else { throw WebError(.forbidden, "The \(viewer.role.rawValue) role may not keep IRIS minutes (decideZones or proposeZones).") }
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        var meeting = try env.meeting(try context.parameters.require("id"))
        try requireOpen(meeting)
        meeting.minutes = try form.text("minutes", required: false, maxLength: 50_000)
        try env.store.apply([.save(meeting), .audit(env.draft(viewer, .updateMeeting, meeting.id, "minutes saved (\(meeting.minutes.count) characters)"))])
        return redirect("/meetings/\(meeting.id)#minutes")
    }

    router.post("/meetings/{id}/close") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .decideZones)
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        var meeting = try env.meeting(try context.parameters.require("id"))
        try requireOpen(meeting)
        guard let cycleID = meeting.cycleID else { throw WebError(.badRequest, "This meeting reviews no proposal: there is nothing to approve.") }
        let ctx = try await env.proposalContext(cycleID)
        guard ctx.isOpen else { throw WebError(.conflict, "Cycle \(cycleID) is already \(ctx.view.record.status.rawValue): a cycle is approved only once.") }
        let tz = ctx.timeZone
        let ids = Set(ctx.adjusted.zones.map(\.id))
        // Decisions on zones the analysts dropped since do not count.
        let verdicts = meeting.decisions.filter { ids.contains($0.zoneID) }.map(ZoneVerdict.init)
        let evidence = try explanationEvidence(env, ctx)
        let drawnBy = Dictionary(ctx.adjusted.zones.filter { $0.origin == .drawn }.compactMap { z in z.adjustments.first.map { (z.id, $0.adjustedBy) } }, uniquingKeysWith: { a, _ in a })
        let outcome: CycleApproval.Outcome
        do {
            outcome = try CycleApproval.approve(ctx.cycle, adjusted: ctx.adjusted, verdicts: verdicts,
                                                context: "IRIS meeting \"\(meeting.title)\" of \(localText(meeting.scheduledAt, timeZone: tz))", evidence: evidence, drawnBy: drawnBy)
        } catch let e as PlanningInputError {
            if e.field == "decision" { throw WebError(.badRequest, "Every zone needs a decision before the meeting can close: still to decide \(e.value).") }
            throw e.web
        }
        let now = env.clock()
        meeting.status = .closed
        meeting.closedAt = now
        meeting.closedBy = viewer.username
        meeting.outcome = outcome.summary
        var changes = try CycleApproval.changes(outcome, createdAt: ctx.view.record.createdAt, store: env.store,
                                                audit: env.draft(viewer, .approveCycle, cycleID, "\(outcome.explainedZones.count) zone(s) approved at meeting \(meeting.id): \(outcome.summary)"))
        changes.append(try .save(meeting))
        changes.append(.audit(env.draft(viewer, .updateMeeting, meeting.id, "closed; cycle \(cycleID) approved")))
        try env.store.apply(changes)
        return redirect("/meetings/\(meeting.id)")
    }

    router.get("/meetings/{id}/briefing") { request, context -> Response in
        let (viewer, meeting, tz, now, agenda, jurisdiction) = try await env.meetingWithAgenda(request, id: try context.parameters.require("id"))
        let banner = Layout.confidential(viewer, at: now, timeZone: tz)
        var body = banner + Layout.syntheticBanner(jurisdiction?.isSynthetic ?? false)
        body += "<p class=\"no-print\">Use the browser's Print command; navigation and forms are left off the printout. <a href=\"/meetings/\(LegacyHTML.escape(meeting.id))\">Back to the meeting</a></p>"
        body += "<p>\(LegacyHTML.escape(localText(meeting.scheduledAt, timeZone: tz))) · \(meeting.status == .closed ? "closed" : "open")\(meeting.cycleID.map { " · proposal \(LegacyHTML.escape($0))" } ?? "")</p>"
        if let outcome = meeting.outcome { body += "<p><strong>Outcome:</strong> \(LegacyHTML.escape(outcome))</p>" }
        body += "<h2>Attendees</h2>" + MeetingPage.attendeesList(meeting)
        body += MeetingPage.agendaFigures(agenda, jurisdiction: jurisdiction, timeZone: tz)
        body += "<h2>Zones</h2>"
        let current = meeting.currentDecisions
        if let ctx = agenda.proposal {
            let approvedCells = ctx.cycle.approvedZones.map { Set($0.map(\.cells)) }
            for z in ctx.adjusted.zones {
                body += "<section class=\"briefing-zone\">" + ProposalPage.zoneSection(z, ctx: ctx) + MeetingPage.zoneMap(z, ctx: ctx)
                if let d = current[z.id] {
                    body += "<p><strong>Decision:</strong> \(LegacyHTML.escape(MeetingPage.decisionWord(d.decision))) by \(LegacyHTML.escape(d.decidedBy)) at \(LegacyHTML.escape(localText(d.decidedAt, timeZone: tz)))\(d.reason.isEmpty ? "" : ": \(LegacyHTML.escape(d.reason))")</p>"
                } else {
                    body += "<p><strong>Decision:</strong> not yet taken.</p>"
                }
                if let approvedCells { body += "<p>\(approvedCells.contains(z.zone.cells) ? "In force in the approved cycle." : "Not in the approved cycle.")</p>" }
                body += "</section>"
            }
            for d in ctx.adjusted.dropped { body += "<p>\(LegacyHTML.escape(d.zone.id)) was dropped by the analysts: \(LegacyHTML.escape(d.adjustment.reason))</p>" }
        } else {
            body += "<p>No proposal under review.</p>"
        }
        body += "<h2>Decisions</h2>" + MeetingPage.decisionsTable(meeting, timeZone: tz)
        body += "<h2>Minutes</h2>" + (meeting.minutes.isEmpty ? "<p>No minutes.</p>" : "<div class=\"minutes\" style=\"white-space:pre-wrap\">\(LegacyHTML.escape(meeting.minutes))</div>")
        body += "<footer id=\"briefing-footer\">" + banner + "</footer>"
        try env.audit(viewer, .viewBriefing, meeting.id, meeting.cycleID.map { "proposal \($0)" } ?? "")
        return html(Layout.page(title: "IRIS briefing: \(meeting.title)", viewer: viewer, current: "/meetings", body: body))
    }
}

private func requireOpen(_ meeting: Meeting) throws {
    guard meeting.status == .scheduled else {
        throw WebError(.conflict, "The meeting \"\(meeting.title)\" is closed: its decisions, minutes and attendees can no longer change.")
    }
}

/// Evidence to explain the zones the analysts changed or drew: the incidents of the year before the cycle around them.
private func explanationEvidence(_ env: WebEnvironment, _ ctx: ProposalContext) throws -> ExplanationEvidence? {
    let changed = ctx.adjusted.zones.filter(\.isAdjusted)
    guard !changed.isEmpty else { return nil }
    let boxes = changed.map(\.zone.boundingBox)
    let box = PlanarBoundingBox(minX: boxes.map(\.minX).min()!, minY: boxes.map(\.minY).min()!, maxX: boxes.map(\.maxX).max()!, maxY: boxes.map(\.maxY).max()!)
    let origin = ctx.cycle.provenance.origin
    let incidents = try env.store.incidents(IncidentQuery(occurredFrom: origin.addingTimeInterval(-365 * 86_400), occurredBefore: origin, bounds: box,
                                                          includePoliceInitiated: ctx.cycle.provenance.includePoliceInitiated, includeRawRow: false))
    return ExplanationEvidence(grid: ctx.grid, surfaceTotal: ctx.surface.total, incidents: incidents)
}

private func scheduleForm(_ env: WebEnvironment, viewer: Viewer, meetings: [Meeting], timeZone tz: TimeZone) throws -> String {
    let at = env.defaultMeetingTime(after: meetings, timeZone: tz)
    let pending = try env.store.cycles().filter { $0.status == .proposed }   // newest first: the pending proposal leads
    var options = pending.map { "<option value=\"\(LegacyHTML.escape($0.id))\">\(LegacyHTML.escape($0.id)) (from \(LegacyHTML.escape(localText($0.startsAt, timeZone: tz))))</option>" }.joined()
    options += "<option value=\"\">No proposal yet</option>"
    return """
        <form class="stack" id="schedule-form" method="post" action="/meetings">\(Layout.csrfField(viewer))
        <label for="meeting-title">Title</label><input type="text" id="meeting-title" name="title" required maxlength="200" value="IRIS meeting">
        <label for="meeting-at">Date and time (\(LegacyHTML.escape(tz.identifier)); the default is a fortnight after the last meeting)</label>
        <input type="datetime-local" id="meeting-at" name="scheduledAt" required value="\(LegacyHTML.escape(localInputValue(at, timeZone: tz)))">
        <label for="meeting-cycle">Proposal under review</label><select id="meeting-cycle" name="cycle">\(options)</select>
        <label for="meeting-attendees">Attendees, one per line</label><textarea id="meeting-attendees" name="attendees" rows="4"></textarea>
        <button type="submit">Schedule the meeting</button>
        </form>
        """
}

private func meetingTable(_ meetings: [Meeting], id: String, now: Date, timeZone tz: TimeZone, empty: String) -> String {
    guard !meetings.isEmpty else { return "<p id=\"\(id)\">\(empty)</p>" }
    var s = "<table id=\"\(id)\"><thead><tr><th class=\"l\">when</th><th class=\"l\">meeting</th><th class=\"l\">proposal</th><th>decisions</th><th class=\"l\">status</th></tr></thead><tbody>"
    for m in meetings {
        let when = m.scheduledAt < now && m.status == .scheduled ? " (due)" : ""
        s += "<tr><td class=\"l\">\(LegacyHTML.escape(localText(m.scheduledAt, timeZone: tz)))\(when)</td><td class=\"l\"><a href=\"/meetings/\(LegacyHTML.escape(m.id))\">\(LegacyHTML.escape(m.title))</a></td>"
        s += "<td class=\"l\">\(m.cycleID.map { "<a href=\"/proposals/\(LegacyHTML.escape($0))\">\(LegacyHTML.escape($0))</a>" } ?? "-")</td><td>\(m.currentDecisions.count)</td><td class=\"l\">\(m.status == .closed ? "closed" : "open")</td></tr>"
    }
    return s + "</tbody></table>"
}

extension WebEnvironment {
    /// What the meeting page and its printable briefing both start from: the signed-in viewer (who must see every
    /// zone), the meeting, the time zone, now, the agenda filled from the data and the jurisdiction.
    func meetingWithAgenda(_ request: Request, id: String) async throws
        -> (viewer: Viewer, meeting: Meeting, timeZone: TimeZone, now: Date, agenda: MeetingAgenda, jurisdiction: Jurisdiction?) {
        let viewer = try await viewer(request, requiring: .viewAllZones)
        let meeting = try meeting(id)
        return (viewer, meeting, try timeZone(), clock(), try await agenda(for: meeting), try store.jurisdiction())
    }
}
