import Foundation
import Hummingbird
import ZoneCastHTML
import ZoneCastOversight
import ZoneCastServices
import ZoneCastStore
import ZoneCastCore
import ZoneCastAccess

/// GET /oversight/enforcement and /oversight/dosage: the non-enforcement monitor and patrol dosage of one cycle's
/// zones, what `zonecast report enforcement` and `report dosage` print, for every role holding `viewOversight`
/// (auditors included). Zone ids and figures only, never a map or cells, so roles that may not see zone locations
/// read them too; each view is audited as an oversight view naming the cycle.
func addPatrolOversightRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    let group = router.pages(requiring: .viewOversight, env: env)
    for kind in PatrolOversightPage.Kind.allCases {
        group.get("/oversight/\(kind.rawValue)") { request, context -> Response in
            try await patrolOversightPage(kind, request, viewer: try context.viewer, env: env)
        }
    }
}

private func patrolOversightPage(_ kind: PatrolOversightPage.Kind, _ request: Request, viewer: Viewer, env: WebEnvironment) async throws -> Response {
    let query = Form(request.uri.query ?? "")
    // Which cycle is in force, approved or over: at the database's time (the data's own in an exercise).
    let now = try await env.dataTime().now
    let tz = try await env.timeZone()
    let jurisdiction = try await env.store.jurisdiction()
    // The cycles that patrol or patrolled: approved, in force or expired, newest first (the picker's choices).
    let patrolling = try await env.store.cycles()
        .filter { [.approved, .active, .expired].contains($0.status(at: now)) }
        .sorted { $0.startsAt != $1.startsAt ? $0.startsAt > $1.startsAt : $0.id > $1.id }
    let wanted = try query.text("cycle", required: false, maxLength: 200)
    var selected: CycleRecord?
    if !wanted.isEmpty {
        guard let record = try await env.store.cycle(id: wanted) else { throw WebError.invalid("cycle", wanted, "no such cycle") }
        guard [.approved, .active, .expired].contains(record.status(at: now)) else {
            throw WebError.invalid("cycle", wanted, "not approved: only approved cycles are patrolled")
        }
        selected = record
    } else {
        selected = try await env.store.cycleInForce(at: now) ?? patrolling.first { $0.startsAt <= now } ?? patrolling.first
    }
    var report: CyclePatrolOversight?
    var checks: [String: InZoneChecks] = [:]
    if let selected {
        let view = try await env.cycleView(selected, at: now)
        report = try await env.patrolOversight(view)
        if let report { checks = try await InZoneChecks.byZone(env: env, report: report) }
    }
    let subject = "\(kind.auditSubject) \(selected?.id ?? "none")"
    let detail = report.map { kind.auditDetail($0) } ?? "no approved cycle"
    try await env.audit(viewer, oversightViewAction, subject, detail)
    let body = PatrolOversightPage.body(kind, report: report, cycles: Array(patrolling.prefix(12)),
                                        linksZones: viewer.may(.viewZoneLocations), timeZone: tz, inZoneChecks: checks)
    return html(Layout.page(title: kind.title, viewer: viewer, current: "/oversight",
                            body: "\(Layout.syntheticBanner(jurisdiction?.isSynthetic ?? false))\(body)"))
}
