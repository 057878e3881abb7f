import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// The dashboard: notices, the cycle clock, the last four weeks' counts, the map with its layer toggles and the
/// zones in force and proposed.
enum DashboardView {
    /// Incidents drawn on the map at most.
    static let maxPoints = 3_000
    /// Forecast cells drawn at most (the highest in view): the city-wide surface's shape, in a page a phone loads.
    static let maxSurfaceCells = 1_500

    /// What the page shows; zones and layers are already cut to what the viewer may see.
    struct Page {
        let viewer: Viewer
        let now: Date
        let timeZone: TimeZone
        let isSynthetic: Bool
        let active: CycleView?
        let activeZones: [ZoneCycle.ExplainedZone]
        /// The proposal, for roles that see all zones.
        let proposed: CycleView?
        let proposedZones: [ZoneCycle.ExplainedZone]
        let notices: [Notice]
        let nextMeeting: Meeting?
        let recent: DashboardCache.RecentIncidents
        let summary: StoreSummary
        /// The relationship-to-enforcement ratio in the zones in force, for roles that oversee.
        let contactsRatio: HTML?
        let map: HTML?
        /// The approved cycle that starts next (for roles that see all zones), for "what needs doing next".
        var upcoming: CycleView? = nil
        /// How the proposal's model did at its zones' area over recent windows (`RecentRecordText`), on its card.
        var proposalRecord: HTML? = nil
    }

    static let noData: HTML = "<p>No data yet: import incidents with <code>zonecast import</code>.</p>"

    static func page(_ p: Page) -> HTML {
        let tz = p.timeZone
        let confidential: HTML? = p.activeZones.isEmpty && p.proposedZones.isEmpty ? nil : Layout.confidential(p.viewer, at: p.now, timeZone: tz)
        let notices = p.notices.suffix(5).reversed().map { n -> HTML in
            let open: HTML? = n.link.map { " <a href=\"\($0)\">Open</a>" }
            return "<div class=\"notice\">\(localText(n.createdAt, timeZone: tz)): \(n.text)\(open)</div>"
        }
        let capped: HTML? = p.recent.total > maxPoints ? """
            <p class="note">The map shows the newest \(maxPoints) of \(p.recent.total) incidents of the last 28 days.</p>
            """ : nil
        let cycleClock = clock(active: p.active, proposed: p.proposed, nextMeeting: p.nextMeeting, now: p.now, timeZone: tz, upcoming: p.upcoming,
                               viewer: p.viewer, proposalRecord: p.proposalRecord)
        // The layer controls open a wrapper that the map closes: the checkboxes must be the map figure's siblings.
        return """
            \(Layout.syntheticBanner(p.isSynthetic))\(confidential)\(notices)\
            \(cycleClock)\
            \(headline(recent: p.recent, timeZone: tz, summary: p.summary))\(p.contactsRatio)\
            \(layerControls(viewer: p.viewer, categories: Set(p.recent.byCategory.keys)))\(p.map)</div>\(capped)\
            \(zoneTable(active: p.active, activeZones: p.activeZones, proposed: p.proposed, proposedZones: p.proposedZones))
            """
    }

    /// The cycle clock: the cycle in force, what needs doing next about the approved cycle to come (for roles that
    /// see every zone), the proposal and the next IRIS meeting. The proposal and meeting cards stay when there is
    /// none, saying so, so that after a meeting closes the page still points somewhere.
    static func clock(active: CycleView?, proposed: CycleView?, nextMeeting: Meeting?, now: Date, timeZone tz: TimeZone,
                      upcoming: CycleView? = nil, viewer: Viewer? = nil, proposalRecord: HTML? = nil) -> HTML {
        let inForce: HTML
        if let active {
            let left = max(0, active.cycle.endsAt.timeIntervalSince(now)) / 3_600
            let length = active.cycle.endsAt.timeIntervalSince(active.cycle.startsAt) / 3_600
            inForce = """
                <div class="card"><div>Cycle \(active.cycle.id) (\(active.status.rawValue))</div><div class="n">\(left, decimals: 0) h left</div>\
                <div class="note">of \(length, decimals: 0) h, ends \(localText(active.cycle.endsAt, timeZone: tz))</div></div>
                """
        } else {
            inForce = """
                <div class="card"><div>No cycle in force</div><div class="note">Zones patrol once an IRIS meeting approves a proposal.</div></div>
                """
        }
        let seesAll = viewer?.may(.viewAllZones) ?? false
        let mayRunMeetings = (viewer?.may(.decideZones) ?? false) || (viewer?.may(.proposeZones) ?? false)
        var proposal: HTML? = proposed.map { p in
            """
            <div class="card"><div>Proposal \(p.cycle.id)</div><div class="n">\(p.cycle.zones.count) zone(s)</div><div class="note">from \
            \(localText(p.cycle.startsAt, timeZone: tz)) · <a href="/proposals/\(p.cycle.id)">review</a></div>\
            \(proposalRecord.map { r -> HTML in "<div class=\"note\" id=\"proposal-record\">\(r)</div>" })</div>
            """
        }
        if proposal == nil && seesAll {
            proposal = """
                <div class="card" id="no-proposal"><div>No proposal pending</div><div class="note">The next cycle's proposal appears here \
                when it is made · <a href="/proposals">proposals</a></div></div>
                """
        }
        var meeting: HTML? = nextMeeting.map { m in
            """
            <div class="card"><div>Next IRIS meeting</div><div class="n">\(localText(m.scheduledAt, timeZone: tz))</div>\
            <div class="note"><a href="/meetings/\(m.id)">\(m.title)</a></div></div>
            """
        }
        if meeting == nil && seesAll {
            let schedule: HTML? = mayRunMeetings && upcoming == nil ? " · <a href=\"/meetings#schedule-form\">schedule the next meeting</a>" : nil
            meeting = "<div class=\"card\" id=\"no-meeting\"><div>No IRIS meeting scheduled</div><div class=\"note\">\(schedule)</div></div>"
        }
        let next: HTML? = seesAll ? upcoming.map { nextSteps($0, meetingScheduled: nextMeeting != nil, mayDeploy: viewer?.may(.assignUnits) ?? false,
                                                             mayRunMeetings: mayRunMeetings, now: now, timeZone: tz) } : nil
        return "<div class=\"cards\" id=\"cycle-clock\">\(inForce)\(next)\(proposal)\(meeting)</div>"
    }

    /// "What needs doing next" once a meeting has approved the next cycle: when it starts, and the steps still open
    /// (deploying units to its zones, scheduling the meeting that decides the cycle after it).
    static func nextSteps(_ cycle: CycleView, meetingScheduled: Bool, mayDeploy: Bool, mayRunMeetings: Bool, now: Date, timeZone tz: TimeZone) -> HTML {
        let hours = max(0, cycle.cycle.startsAt.timeIntervalSince(now)) / 3_600
        let missing = cycle.zones.filter { cycle.deployments[$0.id]?.units.isEmpty ?? true }.count
        var steps: [HTML] = []
        if missing > 0 {
            let link: HTML = mayDeploy ? "<a href=\"/deployments/\(cycle.cycle.id)\">deploy units</a>" : "deploy units"
            steps.append("<li data-step=\"deploy\">\(link): \(missing) of \(cycle.zones.count) zone(s) have none</li>")
        } else {
            steps.append("<li data-step=\"deployed\">units deployed to every zone</li>")
        }
        if !meetingScheduled {
            let link: HTML = mayRunMeetings ? "<a href=\"/meetings#schedule-form\">schedule the next meeting</a>" : "schedule the next meeting"
            steps.append("<li data-step=\"meeting\">\(link)</li>")
        }
        return """
            <div class="card" id="next-steps"><div>Cycle \(cycle.cycle.id) approved</div><div class="n">starts in \(hours, decimals: 0) h</div>\
            <div class="note">\(PlainWords.dateTime(cycle.cycle.startsAt, timeZone: tz, now: now)). Next:</div><ul class="note">\(steps)</ul></div>
            """
    }

    static func headline(recent: DashboardCache.RecentIncidents, timeZone tz: TimeZone, summary: StoreSummary) -> HTML {
        let cards = HarmCategory.allCases.compactMap { c -> HTML? in
            recent.byCategory[c].map { n in "<div class=\"card\"><div class=\"n\">\(FixedText.grouped(n))</div><div>\(c.pluralName)</div></div>" }
        }
        return """
            <h2>Last 28 days to \(localText(recent.reference, timeZone: tz))</h2><div class="cards" id="headline">\(cards)\
            <div class="card"><div class="n">\(FixedText.grouped(summary.incidents))</div><div>incidents on record</div></div></div>
            """
    }

    /// Layer toggles are checkboxes that CSS reads (no script needed); they must precede the map in the markup.
    static func layerControls(viewer: Viewer, categories: Set<HarmCategory>) -> HTML {
        var layers: [(id: String, label: HTML)] = []
        if viewer.may(.viewAllZones) {
            layers.append(("layer-surface", "Risk surface"))
            layers.append(("layer-proposed", "Proposed zones (dashed outlines)"))
        }
        if viewer.may(.viewZoneLocations) { layers.append(("layer-active", "Zones in force (solid outlines)")) }
        if viewer.may(.recordIntelligence) { layers.append(("layer-intel", "Intelligence")) }
        layers.append(("layer-incidents", "Incidents:"))
        let shown = HarmCategory.allCases.filter(categories.contains)
        for c in shown {
            layers.append(("layer-inc-\(c.rawValue)", """
                <span style="display:inline-block;width:.7rem;height:.7rem;border-radius:50%;background:\(MapStyle.categoryColour(c))"></span> \
                \(c.displayName)
                """))
        }
        let css = shown.map { c -> HTML in "#layer-inc-\(c.rawValue):not(:checked)~.zc-figure [data-layer=incidents-\(c.rawValue)]{display:none}" }
        let labels = layers.map { l -> HTML in "<label for=\"\(l.id)\">\(l.label)</label>" }
        // The checkboxes themselves sit just before the map (siblings), visually hidden; the labels above toggle them.
        let boxes = layers.map { l -> HTML in "<input type=\"checkbox\" id=\"\(l.id)\" checked> " }
        return """
            <style>\(css).layers>input{position:absolute;opacity:0;pointer-events:none}</style>\
            <div class="layers"><p class="no-print"><strong>Layers:</strong> \(labels)</p>\(boxes)
            """
    }

    static func zoneTable(active: CycleView?, activeZones: [ZoneCycle.ExplainedZone], proposed: CycleView?,
                          proposedZones: [ZoneCycle.ExplainedZone]) -> HTML {
        func rows(_ view: CycleView, _ zones: [ZoneCycle.ExplainedZone]) -> HTML {
            let rows = zones.map { z -> HTML in
                let units = view.deployments[z.id]?.units.map(\.name).joined(separator: ", ") ?? "not assigned"
                return """
                    <tr><td class="l"><a class="zone-link" href="/zones/\(view.cycle.id)/\(z.id)">\(z.id)</a></td><td class="l">\(z.status.rawValue)</td>\
                    <td>\(z.zone.areaKm2, decimals: 2)</td><td class="l">\(units)</td><td class="l">\(z.explanation.text)</td></tr>
                    """
            }
            return """
                <table id="zones-\(view.cycle.id)"><thead><tr><th class="l">zone</th><th class="l">status</th><th>km²</th><th class="l">units</th>\
                <th class="l">why</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        }
        var tables: [HTML] = []
        if let active, !activeZones.isEmpty { tables.append("<h2>Zones in force (cycle \(active.cycle.id))</h2>\(rows(active, activeZones))") }
        if let proposed, !proposedZones.isEmpty {
            tables.append("<h2>Proposed (cycle \(proposed.cycle.id), awaiting the IRIS meeting)</h2>\(rows(proposed, proposedZones))")
        }
        return tables.joined()
    }
}
