import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastZoning
import ZoneCastStore

/// The zone page as an officer sees it on a phone (issue #15): one narrow column, no table wider than the screen.
/// The map, where the zone is in words (when the street layer describes it), why it was chosen, how to patrol it,
/// this cycle's patrol so far, then the incidents inside a page at a time. Commanders and analysts keep the full
/// zone page with its tables.
enum ZoneCardView {
    /// Incidents per page of the card's list: a phone screen or two, instead of the full page's 500-row table.
    static let incidentsPerPage = 20

    struct Card {
        let view: CycleView
        let zone: ZoneCycle.ExplainedZone
        let jurisdiction: Jurisdiction
        let grid: Grid
        let inside: ZoneView.Inside
        /// This cycle's patrol dosage in the zone (flags, hour chart, activities), the section every role sees.
        let patrol: HTML?
        /// The zone's place in words from the street layer ("between Main St and …"), nil without one.
        let locationDescription: String?
        /// Page of the incident list, 1-based, already range-checked by `page(_:count:)`.
        let page: Int
        let now: Date
        let timeZone: TimeZone
    }

    /// The page number asked for in `?page=`: 1 when absent; a number outside 1...pages is refused (400), so a
    /// link never silently shows another page than the one it names.
    static func page(_ raw: Substring?, count: Int) throws -> Int {
        let pages = max(1, (count + incidentsPerPage - 1) / incidentsPerPage)
        guard let raw else { return 1 }
        guard let n = Int(raw), (1...pages).contains(n) else {
            let shown = raw.count > 20 ? String(raw.prefix(20)) + "…" : String(raw)
            throw WebError(.badRequest, "page must be a whole number from 1 to \(pages), not \"\(shown)\"")
        }
        return n
    }

    /// The incidents the card lists: the year before the cycle and since, newest first.
    static func listed(_ d: ZoneView.Inside) -> [Incident] {
        d.incidents.filter { $0.occurredAt >= d.yearBefore }.sorted { $0.occurredAt > $1.occurredAt }
    }

    /// The dosage section's activity table fits the column: fixed layout, headers wrap anywhere.
    static let fitCSS: HTML = """
        <style>.zc-fit table{table-layout:fixed;width:100%}.zc-fit th,.zc-fit td{overflow-wrap:anywhere;font-size:.8rem;padding:.15rem}\
        .zc-fit .cards .card{min-width:0;flex:1 1 7rem}</style>
        """

    static func body(_ c: Card, viewer: Viewer) -> HTML {
        let tz = c.timeZone, z = c.zone, cycleID = c.view.cycle.id
        let units = c.view.deployments[z.id]?.units.map(\.name).joined(separator: ", ") ?? "not assigned yet"
        let content = MapContent(lattice: PageMap.lattice(c.grid), boundary: c.jurisdiction.boundary,
                                 zones: [MapZone(id: z.id, label: z.id, cells: z.zone.cells, status: c.view.isApproved ? .active : .proposed)])
        let map = PageMap.figure(id: "zone-map", title: "Zone \(z.id)", projection: c.jurisdiction.projection, frame: z.zone.boundingBox,
                                 widthPixels: 360, marginMeters: 300, content: content, zoomable: true)
        let location: HTML? = c.locationDescription.map { "<p id=\"zone-location\"><strong>Where:</strong> \($0)</p>" }
        let centre = c.jurisdiction.projection.unproject(z.zone.centroid)
        let geo = String(format: "geo:%.6f,%.6f", centre.latitude, centre.longitude)
        let why: HTML = "<h2>Why this zone</h2><p id=\"explanation\">\(z.explanation.text)</p>"
        return """
            \(OfficerView.css)\(fitCSS)\(Layout.syntheticBanner(c.jurisdiction.isSynthetic))\(Layout.confidential(viewer, at: c.now, timeZone: tz))\
            <section class="zonecard" data-zone="\(z.id)" id="zone-card"><p class="facts">Cycle \(cycleID) (\(c.view.status.rawValue)), \
            \(PlainWords.dateTime(c.view.cycle.startsAt, timeZone: tz, now: c.now)) to \
            \(PlainWords.dateTime(c.view.cycle.endsAt, timeZone: tz, now: c.now)). Units: \(units).</p>\(map)\(location)\
            \(logging(c, viewer: viewer))\
            <a class="big secondary" href="\(geo)" id="navigate">Navigate to the zone</a></section>\
            \(why)\(OfficerView.guidance)<div class="zc-fit">\(c.patrol)</div>\(incidents(c))\(VisitTimer.scriptTag)
            """
    }

    /// The timer and the form link while the cycle is open for logging; before it starts, when it starts.
    static func logging(_ c: Card, viewer: Viewer) -> HTML {
        let cycleID = c.view.cycle.id, z = c.zone
        guard c.view.cycle.startsAt.addingTimeInterval(-WebEnvironment.patrolEarlyStart) <= c.now else {
            let starts = PlainWords.dateTime(c.view.cycle.startsAt, timeZone: c.timeZone, now: c.now)
            return "<p class=\"notice\" id=\"starts\">Patrols start with the cycle, \(starts).</p>"
        }
        return """
            \(VisitTimer.widget(zone: "\(cycleID)/\(z.id)", label: z.id, timeZone: c.timeZone, viewer: viewer))\
            <a class="big" href="/patrols/new?zone=\(cycleID)/\(z.id)" id="log-visit">Log a visit to \(z.id)</a>
            """
    }

    /// The incidents inside, one page as a list (no wide table), with previous and next links.
    static func incidents(_ c: Card) -> HTML {
        let all = listed(c.inside)
        let pages = max(1, (all.count + incidentsPerPage - 1) / incidentsPerPage)
        let shown = all.dropFirst((c.page - 1) * incidentsPerPage).prefix(incidentsPerPage)
        let items = shown.map { i -> HTML in
            let since: HTML? = i.occurredAt >= c.inside.cycleStart ? " class=\"since-start\"" : nil
            let address: HTML? = i.address.map { "<br><span class=\"facts\">\($0)</span>" }
            return """
                <li\(since)><strong>\(i.category.displayName)</strong> · \(PlainWords.dateTime(i.occurredAt, timeZone: c.timeZone, now: c.now))\
                <br>\(i.offence)\(address)</li>
                """
        }
        let base = "/zones/\(c.view.cycle.id)/\(c.zone.id)"
        let previous: HTML? = c.page > 1 ? "<a href=\"\(base)?page=\(c.page - 1)#zone-incidents\" rel=\"prev\">Newer</a>" : nil
        let next: HTML? = c.page < pages ? "<a href=\"\(base)?page=\(c.page + 1)#zone-incidents\" rel=\"next\">Older</a>" : nil
        let nav: HTML? = pages > 1
            ? "<nav class=\"zc-zoom\" aria-label=\"Pages of incidents\">\(previous)<span>page \(c.page) of \(pages)</span>\(next)</nav>" : nil
        let none: HTML? = all.isEmpty ? "<p>None recorded.</p>" : nil
        return """
            <h2 id="zone-incidents">Incidents inside (\(PlainWords.count(all.count, "incident")), the year before the cycle and since)</h2>\
            \(none)<ul class="visits" id="zone-incident-list">\(items)</ul>\(nav)
            """
    }
}
