import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastStore
import ZoneCastSynthetic
import ZoneCastZoning
@testable import ZoneCastPlanning

@Suite("Proposals, stability and provenance", .serialized)
struct ProposalServiceTests {
    /// 30,000 synthetic rows (2023-2024) in an in-memory store.
    static func store() async throws -> InMemoryIncidentStore {
        let generator = SyntheticIncidentGenerator(rowCount: 30_000, seed: 77)
        var text = ""
        _ = try SyntheticCSV.write(generator, chunkBytes: 1 << 16) { text += String(decoding: $0, as: UTF8.self) }
        let store = InMemoryIncidentStore()
        let city = try Presets.jurisdiction("synthetic-city")
        try await store.setJurisdiction(city)
        let info = ImportBatchInfo(source: "synthetic", mappingName: "synthetic", fileName: "s.csv", fileSHA256: "s", startedAt: Date())
        _ = try await Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city, now: Date(timeIntervalSince1970: 1_893_456_000))
            .importRecords(CSVReader(source: MemoryChunkSource(text)), info: info, into: store)
        return store
    }

    static let june1 = ISO8601DateFormatter().date(from: "2024-06-01T05:00:00Z")!

    @Test("given a year of incidents, when proposing, then at most four zones within the limits, each explained in plain words")
    func proposal() async throws {
        let store = try await Self.store()
        let service = ProposalService()
        let cycle = try await service.propose(store: store, at: Self.june1, id: "c1")
        #expect((1...4).contains(cycle.zones.count))
        let city = try await store.jurisdiction()!
        let grid = Grid.covering(city.boundary, projection: city.projection, cellSizeMeters: 150)
        #expect(service.constraints.violations(of: cycle.proposal, grid: grid).isEmpty)
        for z in cycle.zones {
            #expect(z.status == .new)
            #expect(z.zone.areaKm2 <= 0.65 + 1e-9)
            #expect(z.explanation.text.contains("holds") && z.explanation.text.contains("%"))
            #expect(!z.explanation.categories.isEmpty)
            #expect(z.explanation.triggeredShare != nil)
        }
        #expect(cycle.endsAt.timeIntervalSince(cycle.startsAt) == 96 * 3_600)
        #expect(cycle.provenance.incidentCount > 1_000 && cycle.provenance.incidentDigest.count == 64)
        // The record round-trips through JSON.
        let record = try cycle.record(createdAt: Self.june1)
        #expect(try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document) == cycle)
    }

    @Test("given approved zones, when proposing within 72 h, then every zone is kept with that reason; after 72 h a zone changes only for a 20 % better one")
    func stability() async throws {
        let store = try await Self.store()
        let service = ProposalService()
        var first = try await service.propose(store: store, at: Self.june1, id: "c1")
        first.status = .approved
        first.approvedZones = first.proposal.zones
        try await store.saveCycle(try first.record(createdAt: Self.june1))

        let early = try await service.propose(store: store, at: Self.june1.addingTimeInterval(48 * 3_600), id: "c2")
        #expect(early.zones.allSatisfy { $0.status == .kept && $0.reason.contains("72 h") })
        #expect(Set(early.proposal.zones.map(\.cells)) == Set(first.proposal.zones.map(\.cells)))

        let later = try await service.propose(store: store, at: Self.june1.addingTimeInterval(96 * 3_600), id: "c3")
        for r in later.retired { #expect((r.replacementRatio ?? 0) >= 1.2) }
        for z in later.zones where z.status == .kept { #expect(first.proposal.zones.contains { $0.cells == z.zone.cells }) }
        // With no threshold at all, the plan is the optimiser's own.
        let eager = ProposalService(stability: ZoneStabilityPolicy(replacementGain: 0))
        let free = try await eager.propose(store: store, at: Self.june1.addingTimeInterval(96 * 3_600), id: "c4")
        #expect(free.proposal.totalValue >= later.proposal.totalValue - 1e-9)
    }

    @Test("given a recorded proposal, when replayed from its provenance, then it is identical, even after newer imports; tampered provenance is refused")
    func replay() async throws {
        let store = try await Self.store()
        let cycle = try await ProposalService(model: "kde").propose(store: store, at: Self.june1, id: "c1")
        await #expect(try ProposalService.replay(cycle, store: store) == cycle)
        // A later import (a new batch) does not change the replay: the provenance bounds the batches.
        let city = try await store.jurisdiction()!
        let extra = "incident_id,occurred_date,occurred_time,offence,latitude,longitude,address,firearm,synthetic\nLATE-1,2024-05-31,12:00,HOMICIDE,\(city.projectionOrigin.latitude),\(city.projectionOrigin.longitude + 0.01),1 MAIN ST,Y,SYNTHETIC\n"
        let info = ImportBatchInfo(source: "synthetic", mappingName: "synthetic", fileName: "late.csv", fileSHA256: "late", startedAt: Date())
        let batch = try await Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city, now: Date(timeIntervalSince1970: 1_893_456_000))
            .importRecords(CSVReader(source: MemoryChunkSource(extra)), info: info, into: store)
        #expect(batch.counts.incidentsImported == 1)
        await #expect(try ProposalService.replay(cycle, store: store) == cycle)
        var tampered = cycle
        tampered.provenance.incidentDigest = String(repeating: "0", count: 64)
        await #expect(throws: ProposalService.ProposalError.self) { try await ProposalService.replay(tampered, store: store) }
    }
}
