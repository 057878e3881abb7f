import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastServices

/// How many of a zone's visits the officer's phone checked inside the zone, outside it, or not at all (issue #15):
/// the in/out flag the in-zone check keeps (`PatrolVisit.inZone`), counted for the roles that oversee patrol, so a
/// commander or auditor can tell logged presence from checked presence without reading the audit log. Counts only:
/// never a position, even where the department keeps coordinates.
struct InZoneChecks: Hashable, Sendable {
    var inside = 0
    var outside = 0
    var notChecked = 0

    var visits: Int { inside + outside + notChecked }

    /// The visits that started before `horizon`: the same ones the zone's dosage counts (`Oversight.dosage`).
    init(_ visits: [PatrolVisit], before horizon: Date) {
        for i in visits.indices where visits[i].startedAt < horizon {
            switch visits[i].inZone {
            case true?: inside += 1
            case false?: outside += 1
            case nil: notChecked += 1
            }
        }
    }

    /// Every zone's counts in a cycle, as of a dosage report's time (visits started before it and before the cycle's end).
    static func byZone(env: WebEnvironment, report: CyclePatrolOversight) async throws -> [String: InZoneChecks] {
        let horizon = min(report.asOf, report.endsAt)
        let visits = try await env.patrolVisitsByZone(cycleID: report.cycleID)
        var out: [String: InZoneChecks] = [:]
        for z in report.zones { out[z.zoneID] = InZoneChecks(visits[z.zoneID] ?? [], before: horizon) }
        return out
    }

    /// "yes / no / not checked" as one table cell: "2 / 1 / 3".
    var cell: String { "\(inside) / \(outside) / \(notChecked)" }

    /// The sentence under a zone's dosage.
    func paragraph(id: String) -> HTML {
        """
        <p id="\(id)" class="in-zone-checks">Checked in zone by the officer's phone: yes \(inside), no \(outside), not checked \(notChecked) \
        (of \(PlainWords.count(visits, "visit"))). The check is optional and needs the officer's consent; only its yes or no is kept.</p>
        """
    }
}
