import Foundation
import ZoneCastAccess
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastZoning
import ZoneCastStore
import ZoneCastCore

/// Deployment of a cycle: the approved zones on a map, the units in force per zone, a form per zone to assign
/// units (approved and active cycles), and every assignment made.
struct DeploymentView {
    let data: DeploymentPageData
    let viewer: Viewer
    /// The zone whose units were just saved.
    let saved: String?
    /// Why the form was refused, with the form to put back.
    let error: String?
    let form: Form?

    /// The page when no approved cycle is in force or coming up.
    static func noCycle(viewer: Viewer, pendingProposal: String?) -> HTML {
        let pending: HTML? = pendingProposal.map { id -> HTML in "<p>Proposal \(id) awaits its IRIS meeting.</p>" }
        let body: HTML = """
            <p>No approved cycle is in force or coming up. Units are assigned once an IRIS meeting approves a proposal.</p>\(pending)
            """
        return Layout.page(title: "Deployment", viewer: viewer, current: "/deployments", body: body)
    }

    /// The cycle in force and the approved cycles still to start, side by side: each one's zones with the units in
    /// force and a link to assign units, so the next cycle is deployed ahead of its start.
    static func overview(inForce: CycleView?, upcoming: [CycleView], viewer: Viewer, now: Date, timeZone tz: TimeZone) -> HTML {
        let sections = ([inForce].compactMap { $0 } + upcoming).map { cycle -> HTML in
            let assigned = cycle.zones.filter { !(cycle.deployments[$0.id]?.units.isEmpty ?? true) }.count
            let kind = cycle.status == .active ? "in-force" : "upcoming"
            let rows = cycle.zones.map { z -> HTML in
                let units = cycle.deployments[z.id].map { unitNames($0.units) } ?? "not assigned"
                return "<tr data-zone=\"\(z.id)\"><td class=\"l\">\(z.id)</td><td class=\"l units\">\(units)</td></tr>"
            }
            let todo: HTML = assigned < cycle.zones.count
                ? "<p class=\"notice\">\(cycle.zones.count - assigned) of \(cycle.zones.count) zone(s) have no units yet.</p>"
                : "<p class=\"ok\">Every zone has units.</p>"
            return """
                <div><section class="cycle-deployment" id="deploy-\(kind)" data-cycle="\(cycle.cycle.id)">\
                <h2>\(cycle.status == .active ? "In force" : "Upcoming"): cycle \(cycle.cycle.id)</h2><p>(\(phase(cycle, now: now, timeZone: tz)))</p>\
                \(todo)<table><thead><tr><th class="l">zone</th><th class="l">units in force</th></tr></thead><tbody>\(rows)</tbody></table>\
                <p><a class="big" href="/deployments/\(cycle.cycle.id)">Assign units for cycle \(cycle.cycle.id)</a></p></section></div>
                """
        }
        let none: HTML? = inForce == nil ? "<p>No cycle is in force now.</p>" : nil
        let next: HTML? = upcoming.isEmpty ? "<p>No approved cycle is coming up yet: it appears here once an IRIS meeting approves it.</p>" : nil
        return Layout.page(title: "Deployment", viewer: viewer, current: "/deployments", body: """
            \(Layout.confidential(viewer, at: now, timeZone: tz))<p class="note">Units can be assigned to an approved cycle before it starts; \
            officers of those units see its zones at once, under "Next cycle".</p>\(none)<div class="cols" id="deployable-cycles">\(sections)</div>\(next)
            """)
    }

    /// Where a cycle stands, for labels: "in force, ends …", "upcoming, starts …" (approved, not yet started), "ended …".
    static func phase(_ cycle: CycleView, now: Date, timeZone tz: TimeZone) -> String {
        switch cycle.status {
        case .active: "in force, ends \(PlainWords.dateTime(cycle.cycle.endsAt, timeZone: tz, now: now))"
        case .approved: "upcoming, starts \(PlainWords.dateTime(cycle.cycle.startsAt, timeZone: tz, now: now))"
        case .expired: "ended \(PlainWords.dateTime(cycle.cycle.endsAt, timeZone: tz, now: now))"
        case .proposed, .superseded: cycle.status.rawValue
        }
    }

    var html: HTML { Layout.page(title: "Deployment, cycle \(view.cycle.id)", viewer: viewer, current: "/deployments", body: body) }

    private var view: CycleView { data.view }
    private var tz: TimeZone { data.timeZone }
    private var editable: Bool { view.status == .approved || view.status == .active }

    private var body: HTML {
        let synthetic: HTML? = data.jurisdiction.map { Layout.syntheticBanner($0.isSynthetic) }
        let savedNote: HTML? = saved.flatMap { zone -> HTML? in
            view.zone(zone) == nil ? nil : "<p class=\"ok\" role=\"status\">Units for \(zone) saved. Officers of those units see the zone now.</p>"
        }
        let errorNote: HTML? = error.map { message -> HTML in "<p class=\"error\" role=\"alert\">\(message)</p>" }
        return """
            \(synthetic)\(Layout.confidential(viewer, at: data.now, timeZone: tz))\(savedNote)\(errorNote)\
            <p id="cycle-phase">Cycle \(view.cycle.id) (\(phaseText)), \(localText(view.cycle.startsAt, timeZone: tz)) to \
            \(localText(view.cycle.endsAt, timeZone: tz)). <a href="/deployments">All deployable cycles</a></p>\
            <p class="note">Flexible units patrol these zones for presence and relationships, \
            not enforcement. Changing a zone's units while the cycle is active needs a reason; every change is kept below and in the audit log.</p>\
            \(map)\(unitsByZone)\(assignForms)<h2>History of assignments</h2>\(history)
            """
    }

    private var phaseText: String { Self.phase(view, now: data.now, timeZone: tz) }

    private var map: HTML? {
        guard let jurisdiction = data.jurisdiction, let grid = data.grid,
              let frame = PageMap.box(of: view.zones.flatMap(\.zone.cells), grid: grid) ?? PageMap.box(of: jurisdiction) else { return nil }
        // Approved zones draw as zones in force; the tooltip says when an upcoming cycle's zones start, not "active".
        let note = view.status == .active ? nil : phaseText
        let zones = ProposalView.mapZones(view.zones.map { ($0.id, $0.zone.cells) }, status: .active, cycleID: view.cycle.id).map { z in
            var z = z
            z.note = note
            return z
        }
        let content = MapContent(lattice: PageMap.lattice(grid), boundary: jurisdiction.boundary, zones: zones)
        return PageMap.figure(id: "deployment-map", title: "Approved zones of cycle \(view.cycle.id) (\(phaseText))", projection: jurisdiction.projection,
                              frame: frame, marginMeters: 800, content: content, zoomable: true)
    }

    private static func unitNames(_ units: [PatrolUnit]) -> String {
        units.isEmpty ? "none (withdrawn)" : units.map(\.name).joined(separator: ", ")
    }

    /// Beside each zone of a cycle not yet in force: " (upcoming, starts …)".
    private var upcomingNote: HTML? {
        view.status == .approved ? "<span class=\"note upcoming\"> (\(phaseText))</span>" : nil
    }

    private var unitsByZone: HTML {
        let rows = view.zones.map { z -> HTML in
            let d = view.deployments[z.id]
            let since = d.map { "\(localText($0.assignedAt, timeZone: tz)) by \($0.assignedBy)" } ?? ""
            return """
                <tr data-zone="\(z.id)"><td class="l"><a href="/zones/\(view.cycle.id)/\(z.id)">\(z.id)</a>\(upcomingNote)</td>\
                <td>\(z.zone.areaKm2, decimals: 2)</td>\
                <td class="l units">\(d.map { Self.unitNames($0.units) } ?? "not assigned")</td><td class="l">\(since)</td>\
                <td class="l">\(ZoneLocationText.paragraph(data.locations[z.id], id: "location-\(z.id)"))\(z.explanation.text)</td></tr>
                """
        }
        let none: HTML? = view.zones.isEmpty ? "<p>This cycle has no approved zones.</p>" : nil
        let closed: HTML? = editable ? nil : "<p class=\"notice\">This cycle is \(view.status.rawValue): its deployment can no longer change.</p>"
        return """
            <h2>Units by zone</h2><table id="deployments"><thead><tr><th class="l">zone</th><th>km²</th><th class="l">units in force</th>\
            <th class="l">since</th><th class="l">where and why</th></tr></thead><tbody>\(rows)</tbody></table>\(none)\(closed)
            """
    }

    private var assignForms: HTML {
        guard editable else { return "<div></div>" }
        return "<h2>Assign units</h2><div class=\"cols\">\(view.zones.map(assignForm))</div>"
    }

    /// A zone's form: a checkbox per known unit (the units in force, or what was sent when it was refused).
    private func assignForm(_ z: ZoneCycle.ExplainedZone) -> HTML {
        let current = Set(view.deployments[z.id]?.units.map(\.name) ?? [])
        let retry = form?["zone"] == z.id ? form : nil
        let chosen = retry.map { Set($0.all("unit")) } ?? current
        let boxes = data.units.map { u -> HTML in
            "<label><input type=\"checkbox\" name=\"unit\" value=\"\(u.name)\"\(chosen.contains(u.name) ? " checked" : "")> \(u.name)</label>"
        }
        let required = view.deployments[z.id] != nil && view.status == .active ? " (required for a change now)" : " (optional)"
        return """
            <div><form method="post" action="/deployments/\(view.cycle.id)" class="stack assign" data-zone="\(z.id)">\(Layout.csrfField(viewer))\
            <input type="hidden" name="zone" value="\(z.id)"><fieldset><legend>Zone \(z.id)</legend>\(boxes)\
            <label>Reason\(required) <textarea name="reason" maxlength="1000">\(retry?["reason"] ?? "")</textarea></label>\
            <button type="submit">Save units for \(z.id)</button></fieldset></form></div>
            """
    }

    private var history: HTML {
        guard !data.history.isEmpty else { return "<p>No units assigned yet.</p>" }
        let rows = data.history.map { d -> HTML in
            """
            <tr><td class="l">\(localText(d.assignedAt, timeZone: tz))</td><td class="l">\(d.zoneID)</td>\
            <td class="l">\(Self.unitNames(d.units))</td><td class="l">\(d.assignedBy)</td><td class="l">\(d.reason)</td></tr>
            """
        }
        return """
            <table id="deployment-history"><thead><tr><th class="l">when</th><th class="l">zone</th><th class="l">units</th><th class="l">by</th>\
            <th class="l">reason</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
