import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastCore

/// Issue #15: the audit log page filters by a date range (from/to, plain dates, strict, inclusive of `to`).
@Suite("Audit log date range", .serialized)
struct AuditDateRangeTests {
    @Test("given entries made today (the fixture's clock), when an auditor filters from/to today, then they show; from tomorrow, none; an impossible or reversed date is a 400 naming the field and value")
    func dateRange() async throws {
        let store = try await WebFixture.store()
        let jurisdiction = try #require(try await store.jurisdiction())
        let tz = try #require(TimeZone(identifier: jurisdiction.timeZoneIdentifier))
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = tz
        f.dateFormat = "yyyy-MM-dd"
        let today = f.string(from: WebFixture.now), tomorrow = f.string(from: WebFixture.now.addingTimeInterval(86_400))
        let app = await Application(router: buildRouter(WebFixture.environment(store)))
        try await app.test(.router) { client in
            let auditor = try await Browser.signedIn(client, as: "auditor")
            let todays = try await auditor.get(client, "/audit?from=\(today)&to=\(today)")
            #expect(todays.status == .ok && todays.text.contains("sign-in") && !todays.text.contains("id=\"audit-empty\""))
            #expect(todays.text.contains("name=\"from\" value=\"\(today)\""))
            let later = try await auditor.get(client, "/audit?from=\(tomorrow)")
            #expect(later.status == .ok && later.text.contains("id=\"audit-empty\""))
            let impossible = try await auditor.get(client, "/audit?to=2026-02-30")
            #expect(impossible.status == .badRequest && impossible.text.contains("2026-02-30") && impossible.text.contains("to"))
            let reversed = try await auditor.get(client, "/audit?from=\(tomorrow)&to=\(today)")
            #expect(reversed.status == .badRequest && reversed.text.contains(today))
            let csv = try await auditor.get(client, "/audit.csv?from=\(tomorrow)")
            #expect(csv.status == .ok && csv.text.split(separator: "\r\n").count == 1)
        }
    }
}
