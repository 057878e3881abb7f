import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastStore
import ZoneCastPlanning

/// The visit timer's script, and correcting a logged visit (issue #15): a visit stopped with the timer is stored
/// with no activities and minute-rounded times, so its officer may fix the times, the counts and the notes later,
/// through the same checks as a new visit (audited as a correction).
func addVisitRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .logPatrols, env: env).get(RouterPath(VisitTimer.path)) { _, _ -> Response in
        VisitTimer.response
    }

    router.pages(requiring: .logPatrols, env: env).get("/patrols/{id}/edit") { _, context -> Response in
        let viewer = try context.viewer
        let visit = try await env.ownVisit(try context.parameters.require("id"), viewer: viewer)
        let choices = try await env.patrolFormChoices(viewer)
        let form = Form(formQuery(visit.formFields(timeZone: choices.timeZone)))
        return html(OfficerView.patrolForm(choices, viewer: viewer, form: form, preselect: nil, error: nil, action: "/patrols/\(visit.id)"))
    }

    router.pages(requiring: .logPatrols, env: env).post("/patrols/{id}") { _, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let old = try await env.ownVisit(try context.parameters.require("id"), viewer: viewer)
        do {
            let visit = try await env.withLocationCheck(try await env.patrolVisit(from: form, viewer: viewer, replacing: old), form: form, previous: old)
            let detail = "corrected: \(Int(old.minutes.rounded())) -> \(Int(visit.minutes.rounded())) min, zone \(old.zoneID) -> \(visit.zoneID)"
                + visit.changes(from: old) + visit.inZoneAuditText
            try await env.savePatrolVisit(visit, audit: env.draft(viewer, .logPatrol, "\(visit.cycleID)/\(visit.zoneID)", detail))
            return redirect("/officer?logged=\(visit.id)")
        } catch let error as WebError where error.kind == .badRequest {
            let page = await OfficerView.patrolForm(try env.patrolFormChoices(viewer), viewer: viewer, form: form, preselect: nil, error: error.message,
                                                    action: "/patrols/\(old.id)")
            return html(page, status: .badRequest)
        }
    }
    addVisitLocationRoutes(to: router, env: env)
}

extension WebEnvironment {
    /// The viewer's own visit in a cycle still open for logging; any other (someone else's, too old) is "not found".
    func ownVisit(_ id: String, viewer: Viewer) async throws -> PatrolVisit {
        guard let visit = try await store.document(PatrolVisit.self, id: id), visit.officer == viewer.username,
              try await patrolCycles().contains(where: { $0.cycle.id == visit.cycleID }) else {
            throw WebError(.notFound, "no visit \(id) of yours that can still be corrected")
        }
        return visit
    }
}

extension PatrolVisit {
    /// What a correction changed besides minutes and zone, for its audit entry: each activity count that moved
    /// ("arrests 1 -> 0"), flagged when enforcement went down (an auditor checking that patrols stayed
    /// non-enforcement must see a count taken back), and whether the times or notes changed.
    func changes(from old: PatrolVisit) -> String {
        let counts: [(String, KeyPath<PatrolActivities, Int>)] = [
            ("community contacts", \.communityContacts), ("business checks", \.businessChecks), ("field interviews", \.fieldInterviews),
            ("minor-infraction citations", \.minorInfractionCitations), ("other citations", \.otherCitations), ("arrests", \.arrests),
        ]
        var parts = counts.compactMap { name, path -> String? in
            let was = old.activities[keyPath: path], now = activities[keyPath: path]
            return was == now ? nil : "\(name) \(was) -> \(now)"
        }
        if startedAt != old.startedAt || endedAt != old.endedAt { parts.append("times changed") }
        if notes != old.notes { parts.append("notes changed") }
        let lowered = activities.enforcementActions < old.activities.enforcementActions
            ? "; ENFORCEMENT LOWERED \(old.activities.enforcementActions) -> \(activities.enforcementActions)" : ""
        return (parts.isEmpty ? "" : "; " + parts.joined(separator: ", ")) + lowered
    }

    /// "; in-zone check: inside" for the audit entry (never the coordinates); empty without a check.
    var inZoneAuditText: String {
        inZone.map { "; in-zone check: \($0 ? "inside" : "outside")\(checkedPosition == nil ? "" : " (coordinates kept)")" } ?? ""
    }

    /// The visit as the patrol form's fields, to refill the form for a correction.
    func formFields(timeZone tz: TimeZone) -> [(String, String)] {
        let a = activities
        return [("zone", "\(cycleID)/\(zoneID)"), ("unit", unit?.name ?? ""), ("start", localInputValue(startedAt, timeZone: tz)),
                ("end", localInputValue(endedAt, timeZone: tz)), ("communityContacts", String(a.communityContacts)),
                ("businessChecks", String(a.businessChecks)), ("fieldInterviews", String(a.fieldInterviews)),
                ("minorCitations", String(a.minorInfractionCitations)), ("otherCitations", String(a.otherCitations)),
                ("arrests", String(a.arrests)), ("notes", notes)]
    }
}

/// Form fields as a query string (for `Form(_:)`).
func formQuery(_ fields: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return fields.map { name, value in
        "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
    }.joined(separator: "&")
}
