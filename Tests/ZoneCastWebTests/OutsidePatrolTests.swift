import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Comparison patrols outside the zones")
struct OutsidePatrolTests {
    @Test("given a Traffic officer deployed in cycle C1, when they log a patrol outside the zones, then it is stored with zone \"outside\"; an officer deployed nowhere may not log one")
    func outsidePatrols() async throws {
        let store = try await FieldFixture.store()
        try await store.save(Deployment(id: "dep-outside-z1", cycleID: "C1", zoneID: "Z1", units: [.traffic], assignedBy: "commander", assignedAt: WebFixture.now, reason: ""), audit: nil)
        let env = FieldFixture.environment(store)
        let tz = try await env.timeZone()
        @Sendable func local(_ minutesBeforeNow: Double) -> String { localInputValue(WebFixture.now.addingTimeInterval(-minutesBeforeNow * 60), timeZone: tz) }
        try await Application(router: buildRouter(env)).test(.router) { client in
            let officer = try await Browser.signedIn(client, as: "officer")
            let form = try await officer.get(client, "/patrols/new")
            #expect(form.text.contains("value=\"C1/outside\""))
            let ok = try await officer.post(client, "/patrols", [("zone", "C1/outside"), ("start", local(90)), ("end", local(30)), ("minorCitations", "2"), ("communityContacts", "1")])
            #expect(ok.status == .seeOther)
            let outside = try await store.documents(PatrolVisit.self, group: "C1").filter { $0.zoneID == PatrolVisit.outsideZones }
            #expect(outside.count == 1 && outside.first?.activities.minorInfractionCitations == 2 && outside.first?.unit == .traffic)

            let other = try await Browser.signedIn(client, as: "officer2")
            let refused = try await other.post(client, "/patrols", [("zone", "C1/outside"), ("start", local(90)), ("end", local(30))])
            #expect(refused.status == .notFound)
            #expect(try await store.documents(PatrolVisit.self, group: "C1").filter { $0.zoneID == PatrolVisit.outsideZones }.count == 1)
        }
    }
}
