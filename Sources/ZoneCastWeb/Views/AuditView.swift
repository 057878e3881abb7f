import Foundation
import ZoneCastHTML
import ZoneCastOperations

/// The audit log page: the hash chain's status, the filter form, a page of entries (newest first) and links to
/// the newer and older pages.
enum AuditView {
    static func page(entries: [AuditEntry], more: Bool, filter: AuditFilter, chain: AuditVerification, fullCheckAt: Date,
                     timeZone tz: TimeZone) -> HTML {
        let empty: HTML? = entries.isEmpty ? """
            <p id="audit-empty">No entries\(filter.isFiltered ? " match these filters" : "")\
            \(filter.before.map { " before entry \($0)" } ?? "").</p>
            """ : nil
        return chainStatus(chain, fullCheckAt: fullCheckAt, timeZone: tz) + filterForm(filter)
            + "\(empty)\(table(entries, filter: filter, chain: chain, timeZone: tz))\(navigation(entries, more: more, filter: filter))"
    }

    static func table(_ entries: [AuditEntry], filter: AuditFilter, chain: AuditVerification, timeZone tz: TimeZone) -> HTML {
        let time = AuditPage.timeFormatter(tz)
        let rows = entries.map { e -> HTML in
            let broken: HTML? = chain.problem.map { e.sequence >= $0.sequence } == true ? " class=\"broken\" style=\"color:#b00020\"" : nil
            let actor = AuditPage.query(["actor": AuditFilter.accountName(of: e.actor)])
            return """
                <tr data-sequence="\(e.sequence)" data-action="\(e.action)"\(broken)><td>\(e.sequence)</td>\
                <td class="l" style="white-space:nowrap"><time datetime="\(iso(e.at))">\(time(e.at))</time></td>\
                <td class="l"><a href="/audit?\(actor)">\(e.actor)</a></td>\
                <td class="l">\(e.action)</td><td class="l">\(e.subject)</td><td class="l">\(e.detail)</td></tr>
                """
        }
        return """
            <div style="overflow-x:auto"><table id="audit"><caption class="note" style="text-align:left">\(entries.count) \
            entr\(entries.count == 1 ? "y" : "ies"), newest first\(filter.before.map { ", before entry \($0)" } ?? "")</caption>\
            <thead><tr><th scope="col">#</th><th scope="col" class="l">time</th><th scope="col" class="l">actor</th>\
            <th scope="col" class="l">action</th><th scope="col" class="l">subject</th><th scope="col" class="l">detail</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }

    static func navigation(_ entries: [AuditEntry], more: Bool, filter: AuditFilter) -> HTML? {
        var links: [HTML] = []
        if filter.before != nil { links.append("<a href=\"/audit?\(AuditPage.query(filter.parameters(before: nil)))\">Newest entries</a>") }
        if more, let last = entries.last {
            links.append("<a id=\"audit-older\" rel=\"next\" href=\"/audit?\(AuditPage.query(filter.parameters(before: last.sequence)))\">Older entries</a>")
        }
        return links.isEmpty ? nil : "<p class=\"no-print\">\(links.joined(separator: " · "))</p>"
    }

    static func chainStatus(_ chain: AuditVerification, fullCheckAt: Date, timeZone tz: TimeZone) -> HTML {
        if let problem = chain.problem {
            return """
                <div id="chain-status" class="error" role="alert" style="color:#b00020"><strong>The audit chain is BROKEN at entry \
                \(problem.sequence):</strong> \(problem.reason). \(chain.entriesChecked) entries before it are intact (last good hash \
                <code>\(chain.headHash)</code>). Entries from \(problem.sequence) on are shown in red; report this to the system owner \
                and keep a copy of the database file.</div>
                """
        }
        return """
            <div id="chain-status" class="ok" role="status">Audit chain intact: \(chain.entriesChecked) \
            entr\(chain.entriesChecked == 1 ? "y" : "ies") checked, head hash <code style="word-break:break-all">\(chain.headHash)</code> \
            (whole chain checked \(localText(fullCheckAt, timeZone: tz)), entries added since then checked as they came; \
            <a href="/audit?verify=full">check the whole chain now</a>). Record the head hash elsewhere to anchor the log; \
            <code>zonecast audit verify</code> checks the same from the command line.</div>
            """
    }

    static func filterForm(_ f: AuditFilter) -> HTML {
        func selected(_ value: String) -> HTML? { f.action == value ? " selected" : nil }
        let choice = AuditFilter.locationAccessChoice
        let options = AuditAction.allCases.map { a -> HTML in "<option value=\"\(a.rawValue)\"\(selected(a.rawValue))>\(a.rawValue)</option>" }
        let csv = AuditPage.query(f.parameters(before: nil).filter { $0.key != "limit" })
        return """
            <form method="get" action="/audit" class="stack no-print" id="audit-filter" role="search"><div class="cols">\
            <div><label>Actor (username)<input type="text" name="actor" value="\(f.actor ?? "")" autocomplete="off"></label></div>\
            <div><label>Action<select name="action"><option value="">any action</option>\
            <option value="\(choice)"\(selected(choice))>who saw zone locations (view-zones, view-zone, view-briefing, export)</option>\
            \(options)</select></label></div>\
            <div><label>Subject contains (cycle, zone, account, token)<input type="text" name="subject" value="\(f.subject ?? "")" \
            autocomplete="off"></label></div>\
            <div><label>From (date)<input type="date" name="from" value="\(f.fromText ?? "")"></label></div>\
            <div><label>To (date, inclusive)<input type="date" name="to" value="\(f.toText ?? "")"></label></div></div>\
            <p><button type="submit">Filter</button> <a href="/audit">Clear</a> · <a href="/audit?action=\(choice)">Who saw zone locations</a> · \
            <a id="audit-csv" href="/audit.csv?\(csv)">Download CSV\(f.isFiltered ? " (filtered)" : "")</a></p></form>
            """
    }
}
