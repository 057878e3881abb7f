import Foundation
import Testing
import ZoneCastCore
import ZoneCastOperations
import ZoneCastStore
import ZoneCastZoning
@testable import ZoneCastPlanning

/// Issue #15: a proposal whose window is already over cannot be approved on live data, and can in an exercise on
/// historical data, the approval saying so.
@Suite struct CycleApprovalTimingTests {
    static let verdicts = [ZoneVerdict(zoneID: "Z1", decision: .approve, reason: ""), ZoneVerdict(zoneID: "Z2", decision: .approve, reason: "")]
    static let chicago = TimeZone(identifier: "America/Chicago")!
    /// The cycle's window: 96 hours from t0 (2024-06-01 05:00 UTC).
    static var windowEnd: Date { SmallCity.t0.addingTimeInterval(96 * 3_600) }

    @Test("given live data a day after the window ended, when the cycle is approved, then it is refused naming the window, when it ended and now")
    func liveWindowOverIsRefused() throws {
        // Given: the clock and the newest incident both a day after the window's end
        let now = Self.windowEnd.addingTimeInterval(86_400)
        let live = try DataTime(clock: now, newestRecord: now.addingTimeInterval(-3_600))
        #expect(live.mode == .live)
        let cycle = SmallCity.cycle()
        // When
        var refusal: PlanningInputError?
        do {
            _ = try CycleApproval.approve(cycle, adjusted: AdjustedProposal(unadjusted: cycle.zones), verdicts: Self.verdicts, at: live, timeZone: Self.chicago)
        } catch {
            refusal = error
        }
        // Then: the field is the window, its value the window in local time, the reason names now
        let error = try #require(refusal)
        #expect(error.field == "window")
        #expect(error.value == "Sat 1 Jun 2024, 00:00 CDT to Wed 5 Jun 2024, 00:00 CDT")
        #expect(error.reason.contains("cycle C1 cannot be approved"))
        #expect(error.reason.contains("before now (Thu 6 Jun 2024, 00:00 CDT)"))
    }

    @Test("given an exercise on data ending after the window, when the cycle is approved, then it is approved and the approval says it is an exercise")
    func exerciseWindowOverIsAllowed() throws {
        // Given: data ending a day after the window, read two years later
        let newest = Self.windowEnd.addingTimeInterval(86_400)
        let exercise = try DataTime(clock: newest.addingTimeInterval(730 * 86_400), newestRecord: newest)
        #expect(exercise.mode == .exercise)
        let cycle = SmallCity.cycle()
        // When
        let out = try CycleApproval.approve(cycle, adjusted: AdjustedProposal(unadjusted: cycle.zones), verdicts: Self.verdicts, at: exercise,
                                            timeZone: Self.chicago)
        // Then
        #expect(out.cycle.status == .approved)
        #expect(out.summary.hasPrefix("approved as proposed (exercise: this window ended "))
        #expect(out.summary.contains("before the data's now"))
    }

    @Test("given live data during the window, when the cycle is approved, then it is approved with the plain summary")
    func liveWindowRunningIsAllowed() throws {
        let during = SmallCity.t0.addingTimeInterval(3_600)
        let live = try DataTime(clock: during, newestRecord: during)
        let cycle = SmallCity.cycle()
        let out = try CycleApproval.approve(cycle, adjusted: AdjustedProposal(unadjusted: cycle.zones), verdicts: Self.verdicts, at: live, timeZone: Self.chicago)
        #expect(out.summary == "approved as proposed")
    }
}
