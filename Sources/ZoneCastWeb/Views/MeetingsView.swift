import Foundation
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastStore

/// The IRIS meetings list: the scheduling form (for those who run meetings), upcoming and past meetings.
enum MeetingsView {
    /// What the scheduling form offers: the default date and time, and the proposals not yet decided.
    struct Schedule {
        let defaultTime: Date
        let pending: [CycleRecord]
    }

    static func page(viewer: Viewer, meetings: [Meeting], schedule: Schedule?, now: Date, timeZone tz: TimeZone) -> HTML {
        let upcoming = meetings.filter { $0.status == .scheduled }.sorted { $0.scheduledAt < $1.scheduledAt }
        let past = meetings.filter { $0.status == .closed }.sorted { $0.scheduledAt > $1.scheduledAt }
        let form: HTML? = schedule.map { s -> HTML in "<h2>Schedule a meeting</h2>\(scheduleForm(s, viewer: viewer, timeZone: tz))" }
        let body: HTML = """
            \(form)<h2>Upcoming and open</h2>\(table(upcoming, id: "upcoming-meetings", now: now, timeZone: tz, empty: "No meeting scheduled."))\
            <h2>Past (closed)</h2>\(table(past, id: "past-meetings", now: now, timeZone: tz, empty: "No meeting closed yet."))
            """
        return Layout.page(title: "IRIS meetings", viewer: viewer, current: "/meetings", body: body)
    }

    private static func scheduleForm(_ schedule: Schedule, viewer: Viewer, timeZone tz: TimeZone) -> HTML {
        // Newest first: the pending proposal leads.
        let options = schedule.pending.map { c -> HTML in "<option value=\"\(c.id)\">\(c.id) (from \(localText(c.startsAt, timeZone: tz)))</option>" }
        return """
            <form class="stack" id="schedule-form" method="post" action="/meetings">\(Layout.csrfField(viewer))
            <label for="meeting-title">Title</label><input type="text" id="meeting-title" name="title" required maxlength="200" value="IRIS meeting">
            <label for="meeting-at">Date and time (\(tz.identifier); the default is a fortnight after the last meeting)</label>
            <input type="datetime-local" id="meeting-at" name="scheduledAt" required value="\(localInputValue(schedule.defaultTime, timeZone: tz))">
            <label for="meeting-cycle">Proposal under review</label><select id="meeting-cycle" name="cycle">\(options)\
            <option value="">No proposal yet</option></select>
            <label for="meeting-attendees">Attendees, one per line</label><textarea id="meeting-attendees" name="attendees" rows="4"></textarea>
            <button type="submit">Schedule the meeting</button>
            </form>
            """
    }

    private static func table(_ meetings: [Meeting], id: String, now: Date, timeZone tz: TimeZone, empty: String) -> HTML {
        guard !meetings.isEmpty else { return "<p id=\"\(id)\">\(empty)</p>" }
        let rows = meetings.map { m -> HTML in
            let due = m.scheduledAt < now && m.status == .scheduled ? " (due)" : ""
            let proposal: HTML = m.cycleID.map { c -> HTML in "<a href=\"/proposals/\(c)\">\(c)</a>" } ?? "-"
            return """
                <tr><td class="l">\(localText(m.scheduledAt, timeZone: tz))\(due)</td><td class="l"><a href="/meetings/\(m.id)">\(m.title)</a></td>\
                <td class="l">\(proposal)</td><td>\(m.currentDecisions.count)</td><td class="l">\(m.status == .closed ? "closed" : "open")</td></tr>
                """
        }
        return """
            <table id="\(id)"><thead><tr><th class="l">when</th><th class="l">meeting</th><th class="l">proposal</th><th>decisions</th>\
            <th class="l">status</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
