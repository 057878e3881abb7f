import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Meeting changes are read, changed and saved whole, one at a time. An attacker's pass sent three simultaneous
/// closes of one meeting: two succeeded, and the audit log recorded the cycle approved twice.
@Suite("IRIS meetings: simultaneous closes approve the cycle once")
struct MeetingCloseRaceTests {
    @Test("given a meeting on C1 with every zone decided, when the commander's close is sent three times at once, then one closes it (303), the others are refused (409), and the audit log has one approval")
    func simultaneousClosesApproveOnce() async throws {
        // Given
        let store = try await WebFixture.store()
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            let commander = try await BrowserSession.start(client, as: "commander", page: "/meetings")
            let scheduled = try await commander.post(client, "/meetings", [("title", "IRIS race"), ("scheduledAt", "2024-06-03T10:00"), ("cycle", "C1")])
            let location = try #require(scheduled.headers[.location])
            let page = try await commander.get(client, location).text
            let zoneIDs = page.components(separatedBy: "<form class=\"decision\" data-zone=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(!zoneIDs.isEmpty)
            for id in zoneIDs {
                #expect(try await commander.post(client, "\(location)/decisions", [("zone", id), ("decision", "approve")]).status == .seeOther)
            }
            // When
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<3 { group.addTask { try await commander.post(client, "\(location)/close", [("confirm", "yes")]).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            // Then
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 2, "\(statuses)")
            let entries = try await store.auditEntries(from: 1, limit: 100_000)
            #expect(entries.filter { $0.action == "approve-cycle" && $0.subject == "C1" }.count == 1)
            #expect(entries.filter { $0.action == "update-meeting" && $0.detail.hasPrefix("closed;") }.count == 1)
        }
    }
}
