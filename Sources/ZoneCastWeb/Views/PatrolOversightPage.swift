import Foundation
import ZoneCastHTML
import ZoneCastOversight
import ZoneCastServices
import ZoneCastStore
import ZoneCastOperations

/// The oversight pages of patrol dosage and the non-enforcement monitor for a whole cycle: a summary table of every
/// zone, then each zone's section as the zone page shows it. No map and no cells: auditors may read all of it.
enum PatrolOversightPage {
    enum Kind: String, CaseIterable, Sendable {
        case enforcement, dosage

        var title: String { self == .enforcement ? "Non-enforcement monitor" : "Patrol dosage" }
        var auditSubject: String { self == .enforcement ? "enforcement monitor" : "patrol dosage" }

        func auditDetail(_ r: CyclePatrolOversight) -> String {
            switch self {
            case .enforcement:
                "\(r.zones.count) zone(s), \(r.zones.filter { $0.enforcement.alerted }.count) with an enforcement alert, no map"
            case .dosage:
                "\(r.zones.count) zone(s), \(r.zones.filter { $0.dosage.flagged }.count) flagged for little patrol, no map"
            }
        }
    }

    /// `inZoneChecks`: each zone's visits checked in the zone by the officer's phone (the dosage page shows them).
    static func body(_ kind: Kind, report: CyclePatrolOversight?, cycles: [CycleRecord], linksZones: Bool, timeZone tz: TimeZone,
                     inZoneChecks: [String: InZoneChecks] = [:]) -> HTML {
        let other: Kind = kind == .enforcement ? .dosage : .enforcement
        let picker = cycles.map { r -> HTML in
            guard r.id != report?.cycleID else { return "<strong>\(r.id)</strong>" }
            let query = r.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? r.id
            return "<a href=\"/oversight/\(kind.rawValue)?cycle=\(query)\">\(r.id)</a>"
        }
        let otherQuery = report.map { "?cycle=" + ($0.cycleID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.cycleID) } ?? ""
        let head: HTML = """
            <h1>\(kind.title)</h1><p class="no-print"><a href="/oversight">Oversight</a> · \
            <a href="/oversight/\(other.rawValue)\(otherQuery)">\(other.title)</a></p>\
            \(cycles.isEmpty ? nil : "<p class=\"no-print\" id=\"cycle-picker\">Cycle: \(picker.joined(separator: " · "))</p>" as HTML)
            """
        guard let r = report else { return "\(head)<p id=\"no-cycle\">No cycle has been approved yet: there is no patrol to report.</p>" }
        let period: HTML = """
            <p id="cycle-period">Cycle \(r.cycleID) (\(r.status)), \(localText(r.startsAt, timeZone: tz)) to \(localText(r.endsAt, timeZone: tz)); \
            figures as of \(localText(r.asOf, timeZone: tz)). Zone ids only: no map and no cells are shown here.</p>
            """
        guard !r.zones.isEmpty else { return "\(head)\(period)<p>Cycle \(r.cycleID) has no zones.</p>" }
        let sections = r.zones.map { z -> HTML in
            let name: HTML = linksZones ? "<a href=\"/zones/\(r.cycleID)/\(z.zoneID)\">\(z.zoneID)</a>" : "\(z.zoneID)"
            let checks: HTML? = inZoneChecks[z.zoneID].map { $0.paragraph(id: "in-zone-checks-\(z.zoneID)") }
            let content: HTML = kind == .enforcement
                ? PatrolOversightView.enforcementSection(z.enforcement, timeZone: tz, idZone: z.zoneID)
                : "\(PatrolOversightView.dosageSection(z.dosage, report: r, timeZone: tz, idZone: z.zoneID))\(checks)"
            return "<section class=\"zone-oversight\" data-zone-id=\"\(z.zoneID)\"><h2>Zone \(name)</h2>\(content)</section>"
        }
        return "\(head)\(period)\(kind == .enforcement ? enforcementSummary(r) : dosageSummary(r, inZoneChecks: inZoneChecks))\(sections)"
    }

    /// Every zone in one table: rates, contacts : enforcement and alerts, with the units' outside-zone comparison stated.
    static func enforcementSummary(_ r: CyclePatrolOversight) -> HTML {
        let num = { (x: Double) in PatrolOversightView.num(x) }
        let rows = r.zones.map { z -> [String] in
            let o = z.enforcement.overall
            return [z.zoneID, PatrolOversightView.num(o.patrolHours, 1), num(o.minorCitationsPerHour), num(o.fieldInterviewsPerHour),
                    num(o.arrestsPerHour), o.contactsToEnforcement, z.enforcement.alerts.map(\.text).joined(separator: "; ")]
        }
        let a = r.activities
        let alerted = r.zones.filter { $0.enforcement.alerted }.map(\.zoneID)
        let outside: HTML = r.outsideVisits == 0
            ? "No outside-zone patrol logged this cycle (visits with the zone \"outside\"): nothing to compare the zone rates with."
            : "\(r.outsideVisits) visit(s) logged outside every zone: the units' rates there are in each zone's table below."
        return """
            <p id="all-zones-ratio">All zones: community contacts and business checks : enforcement actions = \
            <strong>\(a.relationshipActions) : \(a.enforcementActions)</strong>.</p><p class="note">\(outside)</p>\
            <div id="enforcement-summary">\(HTML.table(header: ["zone", "patrol hours", "minor citations / h", "field interviews / h", "arrests / h",
                                                            "contacts : enforcement", "alerts"], rows: rows))</div>\
            <p id="alert-summary">\(alerted.isEmpty ? "No enforcement alert." : "Enforcement alerts in: \(alerted.joined(separator: ", ")).")</p>\
            <p class="note">By these thresholds \(r.enforcementThresholds.description).</p>
            """
    }

    /// Every zone in one table: visits, minutes, the Koper share, gaps, hours covered, the visits checked in the zone
    /// by the officer's phone (yes / no / not checked) and the low-patrol flags.
    static func dosageSummary(_ r: CyclePatrolOversight, inZoneChecks: [String: InZoneChecks] = [:]) -> HTML {
        let rows = r.zones.map { z -> [String] in
            let d = z.dosage
            return [z.zoneID, "\(d.visits)", inZoneChecks[z.zoneID]?.cell ?? "-", PatrolOversightView.num(d.visitsPerDay, 1),
                    PatrolOversightView.num(d.minutes, 0), d.visits == 0 ? "-" : PatrolOversightView.pct(d.recommendedShare),
                    PatrolOversightView.num(d.longestGapHours, 1) + " h",
                    "\(d.hoursCovered.count)/24", PatrolOversightView.pct(d.harmHourCoverage), d.flags.map(\.text).joined(separator: "; ")]
        }
        let flagged = r.zones.filter { $0.dosage.flagged }.map(\.zoneID)
        return """
            <div id="dosage-summary">\(HTML.table(header: ["zone", "visits", "checked in zone (yes / no / not checked)", "a day", "minutes", "10-16 min",
                                                       "longest gap", "hours covered", "harm in covered hours", "low patrol"], rows: rows))</div>\
            <p id="flag-summary">\(flagged.isEmpty ? "No zone flagged for little patrol." : "Little patrol in: \(flagged.joined(separator: ", ")).")</p>\
            <p class="note">Low patrol is \(r.dosageThresholds.description).</p>
            """
    }
}
