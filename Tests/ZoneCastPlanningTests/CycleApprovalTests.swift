import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastStore
import ZoneCastZoning
@testable import ZoneCastPlanning

/// A 6 × 6 grid of 100 m cells (cell = row · 6 + column, counted from the lower left) whose forecast value is the
/// cell's own index, so every zone's harm is the sum of its cell numbers. Cell 35 (top right) is outside the
/// jurisdiction. Limits: 3 zones, 5 cells (0.05 km²), 400 m across, 100 m apart.
enum SmallCity {
    static let t0 = ISO8601DateFormatter().date(from: "2024-06-01T05:00:00Z")!
    static let utc = TimeZone(identifier: "UTC")!
    /// Live data the day before the cycle's window: every window of these tests is still ahead.
    static let before = try! DataTime(clock: t0.addingTimeInterval(-86_400), newestRecord: t0.addingTimeInterval(-86_400 - 3_600))
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 6, rows: 6, active: (0..<36).map { $0 != 35 })
    static let surface = RiskSurface(grid: grid, window: ForecastWindow(start: t0, hours: 96), values: (0..<36).map(Double.init))
    static let constraints = ZoneConstraints(maxZones: 3, maxAreaKm2: 0.05, maxDiameterMeters: 400, minSeparationMeters: 100)

    static func explained(_ id: String, _ cells: [Int]) -> ZoneCycle.ExplainedZone {
        let zone = Zone(cells: cells, surface: surface)
        return ZoneCycle.ExplainedZone(id: id, status: .new, reason: "", zone: zone,
                                       explanation: ZoneExplanation.explain(zone: zone, grid: grid, surfaceTotal: surface.total, incidents: [], origin: t0,
                                                                            triggeredShare: nil, label: "Zone \(id)"))
    }

    /// The optimiser's proposal: Z1 = cells 7, 8 (harm 15), Z2 = cells 27, 28 (harm 55).
    static var zones: [ZoneCycle.ExplainedZone] { [explained("Z1", [7, 8]), explained("Z2", [27, 28])] }

    static func cycle(id: String = "C1", status: CycleStatus = .proposed) -> ZoneCycle {
        let provenance = ProposalProvenance(origin: t0, windowHours: 96, model: "harm", cellSizeMeters: 100, trainingDays: 365, includePoliceInitiated: false,
                                            targets: [.homicide], weights: .cambridgeDefaults, constraints: constraints, stability: ZoneStabilityPolicy(),
                                            latestBatchID: 1, incidentCount: 0, incidentDigest: "", activeCycleID: nil, activeZones: [], activeSince: nil,
                                            softwareVersion: "test")
        return ZoneCycle(id: id, status: status, startsAt: t0, endsAt: t0.addingTimeInterval(96 * 3_600),
                         proposal: ZonePlan(zones: zones.map(\.zone), surfaceTotal: surface.total), zones: zones, retired: [],
                         approvedZones: nil, approvalReason: nil, forecastParameters: [:], provenance: provenance)
    }

    static func adjustment(_ n: Int, _ zone: String, _ action: ProposalAdjustment.Action, _ cells: [Int], reason: String = "school at the corner") -> ProposalAdjustment {
        ProposalAdjustment(id: "A\(n)", cycleID: "C1", zoneID: zone, action: action, cells: cells, reason: reason, adjustedBy: "analyst",
                           adjustedAt: t0.addingTimeInterval(Double(n)))
    }

    /// Validates and applies adjustments one by one, as the web layer records them.
    static func record(_ list: [ProposalAdjustment]) throws -> AdjustedProposal {
        var state = ProposalAdjustments.unadjusted(zones, surface: surface)
        for a in list { state = try ProposalAdjustments.validate(a, on: state, constraints: constraints, surface: surface) }
        return state
    }
}

@Suite("Proposal adjustments, near-repeat chains and cycle approval")
struct CycleApprovalTests {
    // MARK: adjustments

    @Test("given Z1 = {7, 8} and Z2 = {27, 28}, when an analyst adds 9 to Z1, suppresses 28, draws D1 = {5} and drops Z2, then Z1 = {7, 8, 9} (harm 24) and D1 = {5} (harm 5), Z2 dropped")
    func applyInOrder() async throws {
        let list = [SmallCity.adjustment(1, "Z1", .addCells, [9]), SmallCity.adjustment(2, "Z2", .suppressCells, [28]),
                    SmallCity.adjustment(3, "D1", .drawZone, [5]), SmallCity.adjustment(4, "Z2", .dropZone, [], reason: "covered by the district car")]
        let validated = try SmallCity.record(list)
        let applied = try ProposalAdjustments.apply(list, to: SmallCity.zones, surface: SmallCity.surface)
        #expect(validated == applied)
        #expect(applied.zones.map(\.id) == ["Z1", "D1"])
        #expect(applied.zones[0].zone.cells == [7, 8, 9] && applied.zones[0].zone.value == 24)
        #expect(applied.zones[0].addedCells == [9] && applied.zones[0].removedCells.isEmpty && applied.zones[0].harmChange == 9)
        #expect(applied.zones[1].origin == .drawn && applied.zones[1].zone.cells == [5] && applied.zones[1].zone.value == 5)
        #expect(applied.dropped.map(\.zone.id) == ["Z2"] && applied.dropped[0].adjustment.reason == "covered by the district car")
        #expect(applied.totalHarm == 29)
        #expect(ProposalAdjustments.nextDrawnID(applied) == "D2")
        // The recorded proposal is untouched.
        #expect(SmallCity.zones.map(\.zone.cells) == [[7, 8], [27, 28]])
    }

    @Test("given Z2 = {27, 28}, when cell 28 is suppressed, then Z2 = {27} with harm 27 and cell 28 listed as removed")
    func suppress() async throws {
        let state = try SmallCity.record([SmallCity.adjustment(1, "Z2", .suppressCells, [28])])
        let z2 = try #require(state.zone("Z2"))
        #expect(z2.zone.cells == [27] && z2.zone.value == 27 && z2.removedCells == [28] && z2.harmChange == -28)
    }

    @Test("each refused adjustment names the field and the value at fault",
          arguments: [
              (SmallCity.adjustment(1, "Z1", .addCells, [9], reason: "  "), "reason", "  "),
              (SmallCity.adjustment(1, "Z1", .addCells, [11]), "cells", "11"),                 // does not touch Z1
              (SmallCity.adjustment(1, "Z1", .addCells, [35]), "cells", "35"),                 // inactive
              (SmallCity.adjustment(1, "Z1", .addCells, [99]), "cells", "99"),                 // off the grid
              (SmallCity.adjustment(1, "Z1", .addCells, [8]), "cells", "8"),                   // already in Z1
              (SmallCity.adjustment(1, "Z1", .addCells, [9, 10, 11, 13]), "cells", "9,10,11,13"), // 6 cells > 5
              (SmallCity.adjustment(1, "Z1", .addCells, [9, 10, 11]), "cells", "9,10,11"),      // 5 cells in a row: 500 m > 400 m
              (SmallCity.adjustment(1, "Z9", .addCells, [9]), "zone", "Z9"),
              (SmallCity.adjustment(1, "Z1", .suppressCells, [27]), "cells", "27"),            // not in Z1
              (SmallCity.adjustment(1, "Z1", .suppressCells, [7, 8]), "cells", "7,8"),         // would empty Z1
              (SmallCity.adjustment(1, "D1", .drawZone, [0]), "cells", "0"),                   // touches Z1 diagonally: 0 m apart
              (SmallCity.adjustment(1, "D1", .drawZone, [3, 5]), "cells", "3,5"),              // not one piece
              (SmallCity.adjustment(1, "D1", .drawZone, [20, 21]), "cells", "20,21"),          // 21 shares an edge with 27 (Z2)
              (SmallCity.adjustment(1, "Z1", .drawZone, [5]), "zone", "Z1"),                   // id taken
              (SmallCity.adjustment(1, "Z7", .dropZone, []), "zone", "Z7"),
          ])
    func refused(_ a: ProposalAdjustment, field: String, value: String) async {
        #expect {
            _ = try SmallCity.record([a])
        } throws: { error in
            guard let e = error as? PlanningInputError else { return false }
            return e.field == field && e.value == value && !e.reason.isEmpty
        }
    }

    @Test("given Z1 = {7, 8, 9}, when cell 8 is suppressed, then it is refused: Z1 would split in two")
    func noSplit() async throws {
        #expect(throws: PlanningInputError.self) {
            _ = try SmallCity.record([SmallCity.adjustment(1, "Z1", .addCells, [9]), SmallCity.adjustment(2, "Z1", .suppressCells, [8])])
        }
    }

    @Test("given three zones (the most allowed), when a fourth is drawn, then it is refused until one is dropped")
    func maxZones() async throws {
        let three = [SmallCity.adjustment(1, "D1", .drawZone, [5])]
        #expect(try SmallCity.record(three).zones.count == 3)
        #expect(throws: PlanningInputError.self) { _ = try SmallCity.record(three + [SmallCity.adjustment(2, "D2", .drawZone, [30])]) }
        let dropped = try SmallCity.record(three + [SmallCity.adjustment(2, "Z1", .dropZone, []), SmallCity.adjustment(3, "D2", .drawZone, [30])])
        #expect(dropped.zones.map(\.id) == ["Z2", "D1", "D2"])
    }

    @Test("cells from places: a point with a radius takes the cells whose centres are within it; three points outline the cells inside")
    func cellSelection() async throws {
        // Centre of cell 14 (column 2, row 2) is (250, 250); a 100 m radius reaches its four edge neighbours.
        #expect(CellSelection.cells(around: PlanarPoint(xMeters: 250, yMeters: 250), radiusMeters: 100, grid: SmallCity.grid) == [8, 13, 14, 15, 20])
        #expect(CellSelection.cells(around: PlanarPoint(xMeters: 250, yMeters: 250), radiusMeters: 10, grid: SmallCity.grid) == [14])
        // A triangle around cells 0, 1 and 6: corners in 0, 2 and 12; centres inside: 0, 1, 6.
        let outline = [PlanarPoint(xMeters: 10, yMeters: 10), PlanarPoint(xMeters: 260, yMeters: 10), PlanarPoint(xMeters: 10, yMeters: 260)]
        #expect(try CellSelection.cells(outlinedBy: outline, grid: SmallCity.grid) == [0, 1, 2, 6, 12])
        #expect(try CellSelection.indices("7, 8;9 10") == [7, 8, 9, 10])
        #expect(throws: PlanningInputError.self) { try CellSelection.indices("7, eight") }
        #expect(try CellSelection.point("39.1, -94.5", field: "point") == GeoPoint(latitude: 39.1, longitude: -94.5))
        #expect(throws: PlanningInputError.self) { try CellSelection.point("139.1,-94.5", field: "point") }
        #expect(try CellSelection.points("39.1,-94.5; 39.2,-94.6\n39.3,-94.7", field: "points").count == 3)
    }

    @Test("comparison with the zones in force: kept, changed (cells added and removed), new and retired, with the harm of each on the new surface")
    func comparison() async throws {
        let state = try SmallCity.record([SmallCity.adjustment(1, "Z1", .addCells, [9]), SmallCity.adjustment(2, "D1", .drawZone, [5])])
        let active: [(id: String, cells: [Int])] = [("Z1", [8, 9, 10]), ("Z2", [27, 28]), ("Z3", [32, 33])]
        let c = ZoneComparison.compare(proposed: state.zones, active: active, surface: SmallCity.surface)
        #expect(c.count == 4)
        #expect(c[0].proposedID == "Z1" && c[0].activeID == "Z1" && c[0].change == .changed && c[0].cellsAdded == [7] && c[0].cellsRemoved == [10])
        #expect(c[0].proposedHarm == 24 && c[0].activeHarm == 27)
        #expect(c[1].proposedID == "Z2" && c[1].change == .kept && c[1].cellsAdded.isEmpty)
        #expect(c[2].proposedID == "D1" && c[2].change == .new && c[2].activeID == nil && c[2].proposedHarm == 5)
        #expect(c[3].activeID == "Z3" && c[3].change == .retired && c[3].activeHarm == 65)
    }

    // MARK: near-repeat chains

    static func incident(_ n: Int, x: Double, y: Double, day: Double, _ category: HarmCategory = .nonFatalShooting, address: String? = nil) -> Incident {
        Incident(id: IncidentID(source: "t", recordID: String(n)), category: category, offence: "test", occurredAt: SmallCity.t0.addingTimeInterval(day * 86_400),
                 occurredPrecision: .exact, timeZoneIdentifier: "UTC", localDate: LocalDate(year: 2024, month: 6, day: 1),
                 location: GeoPoint(latitude: 0, longitude: 0), position: PlanarPoint(xMeters: x, yMeters: y), address: address, rawRow: "")
    }

    @Test("near-repeat chains link violent incidents within 400 m and 7 days, transitively; far, late or non-violent incidents stay out")
    func nearRepeat() async {
        let list = [
            Self.incident(1, x: 0, y: 0, day: 0, address: "100 Main St"),
            Self.incident(2, x: 300, y: 0, day: 3, address: "100 Main St"),
            Self.incident(3, x: 600, y: 0, day: 9, .aggravatedAssault, address: "300 Main St"), // 300 m and 6 days after #2: joins through it
            Self.incident(4, x: 5_000, y: 0, day: 1),                                       // far away
            Self.incident(5, x: 5_100, y: 0, day: 20),                                      // near #4 but 19 days later
            Self.incident(6, x: 100, y: 0, day: 1, .robbery),                               // not violent
            Self.incident(7, x: 9_000, y: 0, day: 2, .homicide),
            Self.incident(8, x: 9_000, y: 400, day: 2.5),                                   // exactly 400 m: linked
        ]
        let chains = NearRepeat.chains(list)
        #expect(chains.count == 2)
        #expect(chains[0].size == 3 && chains[0].incidents.map(\.id.recordID) == ["1", "2", "3"])
        #expect(chains[0].place == "100 Main St" && chains[0].centre == PlanarPoint(xMeters: 300, yMeters: 0))
        #expect(chains[1].size == 2 && chains[1].categories == [.homicide: 1, .nonFatalShooting: 1])
        #expect(NearRepeat.chains(list, distanceMeters: 200).isEmpty)   // every link above is 300 m or more
        #expect(NearRepeat.chains(list, days: 2).map(\.size) == [2])   // only #7-#8 (half a day apart)
    }

    // MARK: approval

    @Test("given every zone approved without changes, then the cycle is approved with exactly the proposal's zones, 'approved as proposed'")
    func approveAsProposed() async throws {
        let cycle = SmallCity.cycle()
        let out = try CycleApproval.approve(cycle, adjusted: AdjustedProposal(unadjusted: cycle.zones),
                                            verdicts: [ZoneVerdict(zoneID: "Z1", decision: .approve, reason: ""), ZoneVerdict(zoneID: "Z2", decision: .approve, reason: "")],
                                            at: SmallCity.before, timeZone: SmallCity.utc)
        #expect(out.cycle.status == .approved)
        #expect(out.cycle.approvedZones == cycle.zones.map(\.zone))
        #expect(out.cycle.approvalReason == "approved as proposed")
        #expect(out.explainedZones == cycle.zones)
        #expect(out.cycle.zones == cycle.zones && out.cycle.proposal == cycle.proposal)   // the optimiser's record is untouched
    }

    @Test("given adjustments and mixed decisions, then approved and modified zones are kept as adjusted, rejected ones left out, and the reason lists each decision")
    func approveMixed() async throws {
        let cycle = SmallCity.cycle()
        let adjusted = try SmallCity.record([SmallCity.adjustment(1, "Z1", .addCells, [9], reason: "the corner store is the meeting point"),
                                             SmallCity.adjustment(2, "D1", .drawZone, [5], reason: "retaliation expected at the park")])
        let out = try CycleApproval.approve(cycle, adjusted: adjusted, verdicts: [
            ZoneVerdict(zoneID: "Z1", decision: .approve, reason: "wrong first"),
            ZoneVerdict(zoneID: "Z1", decision: .modify, reason: "as the analyst adjusted it"),   // the latest verdict counts
            ZoneVerdict(zoneID: "Z2", decision: .reject, reason: "construction closes the block"),
            ZoneVerdict(zoneID: "D1", decision: .approve, reason: ""),
        ], at: SmallCity.before, timeZone: SmallCity.utc, context: "IRIS meeting M1", drawnBy: ["D1": "analyst"])
        #expect(out.cycle.approvedZones?.map(\.cells) == [[7, 8, 9], [5]])
        #expect(out.cycle.approvedZones?.map(\.value) == [24, 5])
        #expect(out.explainedZones.map(\.id) == ["Z1", "D1"])
        #expect(out.explainedZones[0].explanation.text.hasPrefix("The optimiser's zone, adjusted: +1 cell by the analysts: the corner store is the meeting point."))
        #expect(out.explainedZones[1].explanation.text.hasPrefix("Drawn by analyst analyst: retaliation expected at the park."))
        #expect(out.explainedZones[1].status == .new)
        #expect(out.summary == "IRIS meeting M1: Z1 modified (adjusted: +1 cell): as the analyst adjusted it; Z2 rejected: construction closes the block; D1 approved (drawn by an analyst, 1 cell)")
        #expect(out.cycle.approvalReason == out.summary)
    }

    @Test("approval is refused with the field named: a zone without a decision, a rejection without a reason, an unknown zone, a cycle already approved")
    func approvalRefused() async throws {
        let cycle = SmallCity.cycle()
        let plain = AdjustedProposal(unadjusted: cycle.zones)
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let e as PlanningInputError { return "\(e.field)=\(e.value)" } catch { return "other" }
        }
        #expect(field { _ = try CycleApproval.approve(cycle, adjusted: plain, verdicts: [ZoneVerdict(zoneID: "Z1", decision: .approve, reason: "")], at: SmallCity.before, timeZone: SmallCity.utc) } == "decision=Z2")
        #expect(field { _ = try CycleApproval.approve(cycle, adjusted: plain, verdicts: [ZoneVerdict(zoneID: "Z1", decision: .approve, reason: ""),
                                                                                            ZoneVerdict(zoneID: "Z2", decision: .reject, reason: " ")], at: SmallCity.before, timeZone: SmallCity.utc) } == "reason= ")
        #expect(field { _ = try CycleApproval.approve(cycle, adjusted: plain, verdicts: [ZoneVerdict(zoneID: "Z5", decision: .approve, reason: "")], at: SmallCity.before, timeZone: SmallCity.utc) } == "zone=Z5")
        #expect(field { _ = try CycleApproval.approve(SmallCity.cycle(status: .approved), adjusted: plain, verdicts: [], at: SmallCity.before, timeZone: SmallCity.utc) } == "cycle=C1")
    }

    @Test("""
        the store changes of an approval end the cycle in force at the new cycle's start (it stays in force until then, with no gap), \
        save the approved cycle and append its audit entry, in one transaction
        """)
    func approvalChanges() async throws {
        let store = InMemoryIncidentStore()
        var old = SmallCity.cycle(id: "C0", status: .approved)
        old.startsAt = SmallCity.t0.addingTimeInterval(-86_400)
        old.endsAt = SmallCity.t0.addingTimeInterval(86_400)
        try await store.saveCycle(try old.record(createdAt: SmallCity.t0))
        let cycle = SmallCity.cycle()
        try await store.saveCycle(try cycle.record(createdAt: SmallCity.t0))
        let out = try CycleApproval.approve(cycle, adjusted: AdjustedProposal(unadjusted: cycle.zones),
                                            verdicts: [ZoneVerdict(zoneID: "Z1", decision: .approve, reason: ""), ZoneVerdict(zoneID: "Z2", decision: .reject, reason: "quiet now")],
                                            at: SmallCity.before, timeZone: SmallCity.utc)
        let entries = try await store.apply(try CycleApproval.changes(out, createdAt: SmallCity.t0, store: store,
                                                                audit: AuditDraft(at: SmallCity.t0, actor: "cli", action: .approveCycle, subject: "C1", detail: out.summary)))
        #expect(entries.count == 1 && entries[0].action == "approve-cycle" && entries[0].actor == "cli")
        #expect(entries[0].detail.hasSuffix("; C0 stays in force until C1 starts"), "\(entries[0].detail)")
        let ended = try #require(try await store.cycle(id: "C0"))
        #expect(ended.status == .approved && ended.endsAt == cycle.startsAt)
        #expect(try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: ended.document).endsAt == cycle.startsAt)
        #expect(try await store.cycleInForce(at: cycle.startsAt.addingTimeInterval(-60))?.id == "C0")
        #expect(try await store.cycleInForce(at: cycle.startsAt)?.id == "C1")
        let saved = try await JSONDecoder.zoneCast.decode(ZoneCycle.self, from: try #require(try store.cycle(id: "C1")).document)
        #expect(saved.status == .approved && saved.approvedZones?.map(\.cells) == [[7, 8]])
        #expect(try await store.verifyAuditChain().isIntact)
    }

    @Test("given an approved cycle that starts with or after a newer one, when the newer one is approved, then the older is superseded outright")
    func laterCycleSuperseded() async throws {
        let store = InMemoryIncidentStore()
        var old = SmallCity.cycle(id: "C0", status: .approved)
        let cycle = SmallCity.cycle()
        old.startsAt = cycle.startsAt
        old.endsAt = cycle.endsAt
        try await store.saveCycle(try old.record(createdAt: SmallCity.t0))
        try await store.saveCycle(try cycle.record(createdAt: SmallCity.t0))
        let out = try CycleApproval.approve(cycle, adjusted: AdjustedProposal(unadjusted: cycle.zones),
                                            verdicts: [ZoneVerdict(zoneID: "Z1", decision: .approve, reason: ""), ZoneVerdict(zoneID: "Z2", decision: .approve, reason: "")],
                                            at: SmallCity.before, timeZone: SmallCity.utc)
        _ = try await store.apply(try CycleApproval.changes(out, createdAt: SmallCity.t0, store: store,
                                                            audit: AuditDraft(at: SmallCity.t0, actor: "cli", action: .approveCycle, subject: "C1", detail: out.summary)))
        #expect(try await store.cycle(id: "C0")?.status == .superseded)
        #expect(try await store.cycleInForce(at: cycle.startsAt)?.id == "C1")
    }
}
