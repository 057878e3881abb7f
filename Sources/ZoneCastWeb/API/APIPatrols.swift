import Foundation
import ZoneCastAPI
import ZoneCastOperations
import ZoneCastStore
import ZoneCastPlanning
import ZoneCastAccess

/// GET /api/patrols and POST /api/patrols: patrol visits, with the officer form's rules (`APIPatrolRules`).
extension APIHandlers {
    func listPatrols(_ input: Operations.ListPatrols.Input) async throws -> Operations.ListPatrols.Output {
        let caller = try APICaller.viewer
        let cycleID: String
        if let id = APIQuery.text(input.query.cycle) {
            guard try await env.store.cycle(id: id) != nil else { throw WebError(.notFound, "no cycle \(id)", api: true) }
            cycleID = id
        } else if let active = try await env.activeCycle() {
            cycleID = active.cycle.id
        } else {
            return .ok(.init(body: .json(.init(cycle: .null, patrols: []))))
        }
        var visits = try await env.patrolVisits(cycleID: cycleID)
        if !caller.may(.viewAllZones) { visits = visits.filter { $0.officer == caller.username } }
        return .ok(.init(body: .json(.init(cycle: .value(cycleID), patrols: visits.map(Self.patrol)))))
    }

    func logPatrol(_ input: Operations.LogPatrol.Input) async throws -> Operations.LogPatrol.Output {
        let caller = try APICaller.viewer
        guard case .json(let body) = input.body else { throw WebError(.badRequest, "body: a JSON object is required", api: true) }
        let visit = try await APIPatrolRules(env: env, caller: caller).visit(from: body)
        let a = visit.activities
        let detail = "api: \(visit.id), \(Int(visit.minutes.rounded())) min, \(a.relationshipActions) contacts/checks, \(a.enforcementActions) enforcement"
        try await env.savePatrolVisit(visit, audit: env.draft(caller, .logPatrol, "\(visit.cycleID)/\(visit.zoneID)", detail))
        return .created(.init(headers: .init(location: "/api/patrols?cycle=\(visit.cycleID)"), body: .json(Self.patrol(visit))))
    }

    static func patrol(_ v: PatrolVisit) -> Components.Schemas.Patrol {
        let a = v.activities
        return .init(
            id: v.id, officer: v.officer, unit: Nullable(v.unit?.name), cycle: v.cycleID, zone: v.zoneID, startedAt: v.startedAt, endedAt: v.endedAt,
            minutes: APIQuery.rounded(v.minutes, 10), withinRecommendedMinutes: PatrolVisit.recommendedMinutes.contains(v.minutes),
            activities: .init(communityContacts: a.communityContacts, businessChecks: a.businessChecks, fieldInterviews: a.fieldInterviews,
                              minorInfractionCitations: a.minorInfractionCitations, otherCitations: a.otherCitations, arrests: a.arrests),
            enforcementActions: a.enforcementActions, relationshipActions: a.relationshipActions, notes: v.notes, loggedAt: v.loggedAt)
    }
}
