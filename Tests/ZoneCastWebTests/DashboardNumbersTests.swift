import Foundation
import Testing
import ZoneCastCore
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastHTML

/// Issue #15: the web groups thousands as the CLI does ("199,637", not "199637").
@Suite("Dashboard numbers")
struct DashboardNumbersTests {
    @Test("given 199,637 incidents on record and 1,204 robberies in 28 days, then the headline cards show both with thousands separators")
    func grouped() {
        let summary = StoreSummary(jurisdictionName: "K", incidents: 199_637, firstOccurredAt: nil, lastOccurredAt: nil, incidentsByCategory: [:],
                                   policeInitiatedIncidents: 0, quarantinedByReason: [:], batches: 1)
        let recent = DashboardCache.RecentIncidents(reference: Date(timeIntervalSince1970: 1_700_000_000), total: 1_204, byCategory: [.robbery: 1_204],
                                                    incidents: [])
        let text = DashboardView.headline(recent: recent, timeZone: TimeZone(identifier: "America/Chicago")!, summary: summary).rendered
        #expect(text.contains(">199,637<") && text.contains(">1,204<"))
        #expect(!text.contains("199637") && !text.contains("1204"))
    }
}
