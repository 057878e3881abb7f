import Foundation
import HTTPTypes
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastHTML
import ZoneCastStore

/// The audit log for oversight (auditors and admins): newest first, a page at a time, filtered by actor, action and
/// subject, with the hash chain's status (verified incrementally, see `AuditChainMonitor`), and a CSV export of the
/// filtered log streamed in chunks from the store (itself audited).
func addAuditRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .viewAuditLog, env: env).get("/audit") { request, context -> Response in
        let viewer = try context.viewer
        let tz = try await env.timeZone()
        let filter = try AuditFilter(Form(request.uri.query ?? ""), timeZone: tz)
        let (entries, more) = try await filter.page(env.store)
        let status = try await env.auditChain.status(of: env.store, now: env.clock(), full: request.uri.queryParameters["verify"] == "full")
        let body = AuditView.page(entries: entries, more: more, filter: filter, chain: status.verification, fullCheckAt: status.fullCheckAt, timeZone: tz)
        return html(Layout.page(title: "Audit log", viewer: viewer, current: "/audit", body: body))
    }

    router.pages(requiring: .viewAuditLog, env: env).get("/audit.csv") { request, context -> Response in
        let viewer = try context.viewer
        let tz = try await env.timeZone()
        let filter = try AuditFilter(Form(request.uri.query ?? ""), timeZone: tz)
        // The export covers the log as it stands now (not the export's own entry, appended next); rows are read and
        // sent a chunk at a time, so a long log is never held in memory.
        let head = try await env.store.latestAuditEntries(limit: 1).first?.sequence ?? 0
        let through = min(head, (filter.before ?? head + 1) - 1)
        try await env.audit(viewer, .export, "audit.csv", "entries through #\(through), newest first" + (filter.isFiltered ? " (\(filter.summary))" : ""))
        let stamp = ISO8601DateFormatter().string(from: env.clock()).prefix(10)
        let store = env.store
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"zonecast-audit-\(stamp).csv\"",
                                               HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                        body: ResponseBody { writer in
                            try await writer.write(ByteBuffer(string: AuditPage.csvHeader))
                            let time = AuditPage.timeFormatter(tz)
                            try await filter.forEachChunk(store, through: through) { entries in
                                try await writer.write(ByteBuffer(string: entries.map { AuditPage.csvLine($0, time: time) }.joined()))
                            }
                            try await writer.finish(nil)
                        })
    }
}

/// Which entries to show: by actor (an account, including its API tokens), action (or the group of actions that
/// reveal zone locations), subject substring, and before a sequence number (paging).
struct AuditFilter {
    /// Actions through which someone saw or took zone locations: what "who saw what" asks about.
    static let locationAccess: Set<String> = Set([AuditAction.viewZones, .viewZone, .viewBriefing, .export].map(\.rawValue))
    static let locationAccessChoice = "location-access"
    static let pageSizes = 1...500

    var actor: String?
    var action: String?
    var subject: String?
    var before: Int64?
    var limit: Int
    /// The date range as typed ("2026-12-01"): entries from the start of `from` to the end of `to`, local time.
    var fromText: String?
    var toText: String?
    var from: Date?
    /// Exclusive: the start of the day after `to`.
    var toExclusive: Date?

    init(actor: String? = nil, action: String? = nil, subject: String? = nil, before: Int64? = nil, limit: Int = 100) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.before = before
        self.limit = limit
    }

    init(_ query: Form, timeZone tz: TimeZone = .gmt) throws {
        func value(_ name: String) throws -> String? {
            let v = try query.text(name, required: false, maxLength: 200)
            return v.isEmpty ? nil : v
        }
        actor = try value("actor")
        action = try value("action")
        if let a = action, a != Self.locationAccessChoice, AuditAction(rawValue: a) == nil {
            throw WebError.invalid("action", a, "choose one of \(Self.locationAccessChoice), \(AuditAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        subject = try value("subject")
        if let raw = try value("before") {
            guard let n = Int64(raw), n > 0 else { throw WebError.invalid("before", raw, "not an entry number (a whole number from 1)") }
            before = n
        }
        limit = try query.integer("limit", range: Self.pageSizes, default: 100)
        // Strict plain dates: the day must exist (2026-02-30 is refused), and the error names the field and the value.
        func day(_ name: String) throws -> (String, Date)? {
            guard let raw = try value(name) else { return nil }
            guard raw.count == 10, let d = StrictDates.instant(raw, timeZone: tz) else {
                let years = "\(StrictDates.years.lowerBound)-\(StrictDates.years.upperBound)"
                throw WebError.invalid(name, raw, "not a date (yyyy-MM-dd, a day that exists, years \(years))")
            }
            return (raw, d)
        }
        if let (raw, d) = try day("from") { fromText = raw; from = d }
        if let (raw, d) = try day("to") {
            toText = raw
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = tz
            toExclusive = calendar.date(byAdding: .day, value: 1, to: d)
        }
        if let from, let toExclusive, toExclusive <= from {
            throw WebError.invalid("to", toText ?? "", "before the from date \(fromText ?? "")")
        }
    }

    var isFiltered: Bool { actor != nil || action != nil || subject != nil || from != nil || toExclusive != nil }

    var summary: String {
        [actor.map { "actor \($0)" }, action.map { "action \($0)" }, subject.map { "subject contains \($0)" },
         fromText.map { "from \($0)" }, toText.map { "to \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// The account behind an actor ("analyst (token abc123)" is the analyst's token).
    static func accountName(of actor: String) -> String {
        actor.range(of: " (token ").map { String(actor[..<$0.lowerBound]) } ?? actor
    }

    func matches(_ e: AuditEntry) -> Bool {
        if let actor, e.actor.caseInsensitiveCompare(actor) != .orderedSame, Self.accountName(of: e.actor).caseInsensitiveCompare(actor) != .orderedSame {
            return false
        }
        if let action {
            if action == Self.locationAccessChoice { if !Self.locationAccess.contains(e.action) { return false } } else if e.action != action { return false }
        }
        if let subject, e.subject.range(of: subject, options: .caseInsensitive) == nil { return false }
        if let from, e.at < from { return false }
        if let toExclusive, e.at >= toExclusive { return false }
        return true
    }

    /// The newest `limit` matching entries before `before`, newest first, and whether older matches exist. Reads
    /// backwards in chunks, so a narrow filter over a long log does not hold the whole log in memory.
    func page(_ store: any OperationsStore) async throws -> (entries: [AuditEntry], more: Bool) {
        guard let head = try await store.latestAuditEntries(limit: 1).first?.sequence else { return ([], false) }
        var cursor = min(before ?? head + 1, head + 1)  // exclusive upper bound
        let chunk: Int64 = 2_000
        var out: [AuditEntry] = []
        while cursor > 1 {
            let from = max(1, cursor - chunk)
            let entries = try await store.auditEntries(from: from, limit: Int(cursor - from))
            for e in entries.reversed() where e.sequence < cursor && matches(e) {
                if out.count == limit { return (out, true) }
                out.append(e)
            }
            cursor = from
        }
        return (out, false)
    }

    /// Every matching entry up to `through`, newest first, handed over a chunk (of the log, not of matches) at a time.
    func forEachChunk(_ store: any OperationsStore, through: Int64, chunk: Int64 = AuditPage.csvChunk,
                      _ body: ([AuditEntry]) async throws -> Void) async throws {
        var cursor = through + 1  // exclusive upper bound
        while cursor > 1 {
            let from = max(1, cursor - chunk)
            let matching = try await store.auditEntries(from: from, limit: Int(cursor - from)).reversed().filter { $0.sequence < cursor && matches($0) }
            if !matching.isEmpty { try await body(matching) }
            cursor = from
        }
    }

    func parameters(before: Int64?) -> [String: String] {
        var p: [String: String] = [:]
        if let actor { p["actor"] = actor }
        if let action { p["action"] = action }
        if let subject { p["subject"] = subject }
        if let fromText { p["from"] = fromText }
        if let toText { p["to"] = toText }
        if let before { p["before"] = String(before) }
        if limit != 100 { p["limit"] = String(limit) }
        return p
    }
}

enum AuditPage {
    /// To the second, in the jurisdiction's time zone: an audit trail orders events that happen within a minute.
    static func timeFormatter(_ timeZone: TimeZone) -> @Sendable (Date) -> String {
        { DateTexts.shared.string($0, format: "yyyy-MM-dd HH:mm:ss zzz", timeZone: timeZone) }
    }

    static func query(_ parameters: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        // Escaped where it is written into a page, like any other text.
        return parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    static let csvHeader = "sequence,time_utc,time_local,actor,action,subject,detail,previous_hash,hash\r\n"
    /// Log entries read per store call while streaming the CSV.
    static let csvChunk: Int64 = 2_000

    static func csvLine(_ e: AuditEntry, time: (Date) -> String) -> String {
        [String(e.sequence), iso(e.at), time(e.at), e.actor, e.action, e.subject, e.detail, e.previousHash, e.hash]
            .map(csvField).joined(separator: ",") + "\r\n"
    }

    /// A CSV field, quoted when needed; text a spreadsheet would run as a formula is prefixed with an apostrophe.
    static func csvField(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) { v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return v
    }
}
