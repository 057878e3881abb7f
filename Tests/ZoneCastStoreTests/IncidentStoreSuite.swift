import ZoneCastAccess
import ZoneCastSQLite
import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastStore

/// One behavioural suite, run against every `IncidentStore` implementation.
@Suite("IncidentStore contract")
struct IncidentStoreSuite {
    @Test("given an empty store, when a jurisdiction is set, then it is read back and a different one is refused", arguments: StoreKind.available)
    func jurisdictionIsSetOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        #expect(try await store.jurisdiction() == nil)
        try await store.setJurisdiction(testJurisdiction)
        #expect(try await store.jurisdiction()?.name == "testville")
        #expect(try await store.jurisdiction()?.boundary == testJurisdiction.boundary)
        var other = testJurisdiction
        other.name = "elsewhere"
        await #expect(throws: StoreError.jurisdictionMismatch(stored: "testville", requested: "elsewhere")) { try await store.setJurisdiction(other) }
    }

    @Test("given a new store, then weights are the defaults; when changed, then they are read back", arguments: StoreKind.available)
    func harmWeights(kind: StoreKind) async throws {
        let store = try await kind.make()
        #expect(try await store.harmWeights() == .cambridgeDefaults)
        let custom = try HarmWeights(days: [.robbery: 900, .drugOverdose: 1_000])
        try await store.setHarmWeights(custom)
        #expect(try await store.harmWeights() == custom)
        #expect(try await store.harmWeights()[.robbery] == 900)
        #expect(try await store.harmWeights()[.homicide] == 5_475)
    }

    @Test("given an import, then the batch's finish time is the caller's clock, as returned and as read back", arguments: StoreKind.available)
    func finishTimeFromCallersClock(kind: StoreKind) async throws {
        let store = try await kind.make()
        let finished = Date(timeIntervalSince1970: 1_700_000_000.5)
        let batch = try await store.importBatch(batchInfo(sha: "clocked"), weights: .cambridgeDefaults, clock: { finished }) { _ in ImportCounts() }
        #expect(batch.finishedAt == finished)
        #expect(try await store.batches().first { $0.id == batch.id }?.finishedAt == finished)
        await #expect(try importIncidents([makeIncident("A")], into: store).finishedAt == batchFinishedAt)
    }

    @Test("given new rows, when imported, then each becomes an incident with every field kept", arguments: StoreKind.available)
    func insertKeepsFields(kind: StoreKind) async throws {
        let store = try await kind.make()
        var a = makeIncident("A", category: .nonFatalShooting, daysAfter: 1.5, metersEast: 120, metersNorth: -40, firearm: true)
        a.address = "1200 BLOCK OAK AVE"
        a.reportedAt = a.occurredAt.addingTimeInterval(3600)
        a.occurredPrecision = .hour
        let batch = try await importIncidents([a], into: store)
        #expect(batch.counts.incidentsImported == 1)
        let back = try await #require(try store.incident(a.id))
        #expect(back.category == .nonFatalShooting)
        #expect(back.occurredAt == a.occurredAt)
        #expect(back.occurredPrecision == .hour)
        #expect(back.reportedAt == a.reportedAt)
        #expect(back.address == "1200 BLOCK OAK AVE")
        #expect(back.firearm)
        #expect(abs(back.position.xMeters - 120) < 1e-6 && abs(back.position.yMeters + 40) < 1e-6)
        #expect(abs(back.location.latitude - a.location.latitude) < 1e-12)
        #expect(back.localDate == a.localDate)
        #expect(back.rawRow == a.rawRow)
        #expect(back.batchID == batch.id)
        #expect(back.rowCount == 1)
    }

    @Test("given an incident, when another row of the same record arrives, then it merges: more harmful category, flags OR-ed, rows counted", arguments: StoreKind.available)
    func sameRecordMerges(kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = makeIncident("R1", category: .aggravatedAssault, raw: "R1,victim 1")
        var second = makeIncident("R1", category: .homicide, raw: "R1,victim 2")
        second.firearm = true
        let batch = try await store.importBatch(batchInfo(), weights: .cambridgeDefaults, clock: batchClock) { w in
            var c = ImportCounts()
            await c.count(try await w.accept(first, fingerprint: fingerprint(first.rawRow), rowKey: "1", lineNumber: 2))
            await c.count(try await w.accept(second, fingerprint: fingerprint(second.rawRow), rowKey: "2", lineNumber: 3))
            return c
        }
        #expect(batch.counts.incidentsImported == 1)
        #expect(batch.counts.rowsMerged == 1)
        let merged = try await #require(try store.incident(first.id))
        #expect(merged.category == .homicide)
        #expect(merged.firearm)
        #expect(merged.rowCount == 2)
        #expect(merged.rawRow == "R1,victim 1")
        #expect(try await store.countIncidents(.all) == 1)
    }

    @Test("given a row repeated verbatim in one batch, then the repeat is quarantined as exact_duplicate with the line of the first", arguments: StoreKind.available)
    func exactDuplicateInBatch(kind: StoreKind) async throws {
        let store = try await kind.make()
        let a = makeIncident("A")
        let batch = try await store.importBatch(batchInfo(), weights: .cambridgeDefaults, clock: batchClock) { w in
            var c = ImportCounts()
            await c.count(try await w.accept(a, fingerprint: fingerprint(a.rawRow), rowKey: nil, lineNumber: 2))
            await c.count(try await w.accept(a, fingerprint: fingerprint(a.rawRow), rowKey: nil, lineNumber: 7))
            return c
        }
        #expect(batch.counts.incidentsImported == 1)
        #expect(batch.counts.rejectedByReason == [.exactDuplicate: 1])
        let q = try await store.quarantinedRows(batchID: nil, reason: .exactDuplicate, limit: 10, offset: 0)
        #expect(q.count == 1)
        #expect(q.first?.lineNumber == 7)
        #expect(q.first?.message.contains("line 2") == true)
        #expect(q.first?.rawRow == a.rawRow)
    }

    @Test("given one write of many rows with repeats inside it, then each repeat is judged as if rows came one at a time", arguments: StoreKind.available)
    func repeatsWithinOneWrite(kind: StoreKind) async throws {
        let store = try await kind.make()
        let a = makeIncident("A", raw: "A,1"), b = makeIncident("B", raw: "B,1"), bOther = makeIncident("B", raw: "B,2")
        let merged = makeIncident("M", category: .robbery, raw: "M,victim 1"), mergedSecond = makeIncident("M", category: .homicide, raw: "M,victim 2")
        let bad = QuarantinedRow(batchID: 0, lineNumber: 9, source: "test", reason: .outOfJurisdiction, field: "lat", value: "27.9", message: "far", rawRow: "Z,far")
        let batch = try await store.importBatch(batchInfo(), weights: .cambridgeDefaults, clock: batchClock) { w in
            let rows: [ImportRow] = [
                .incident(a, fingerprint: fingerprint(a.rawRow), rowKey: nil, lineNumber: 2),
                .incident(a, fingerprint: fingerprint(a.rawRow), rowKey: nil, lineNumber: 3),
                .incident(b, fingerprint: fingerprint(b.rawRow), rowKey: nil, lineNumber: 4),
                .incident(bOther, fingerprint: fingerprint(bOther.rawRow), rowKey: nil, lineNumber: 5),
                .incident(merged, fingerprint: fingerprint(merged.rawRow), rowKey: "1", lineNumber: 6),
                .incident(mergedSecond, fingerprint: fingerprint(mergedSecond.rawRow), rowKey: "2", lineNumber: 7),
                .rejected(bad, fingerprint: fingerprint(bad.rawRow)),
                .rejected(bad, fingerprint: fingerprint(bad.rawRow)),
            ]
            let d = try await w.write(rows)
            #expect(d == [.inserted, .quarantined(.exactDuplicate), .inserted, .quarantined(.duplicateRecord), .inserted, .merged,
                          .quarantined(.outOfJurisdiction), .quarantined(.exactDuplicate)])
            var c = ImportCounts()
            d.forEach { c.count($0) }
            return c
        }
        #expect(batch.counts.incidentsImported == 3)
        #expect(try await store.incident(merged.id)?.category == .homicide)
        #expect(try await store.incident(b.id)?.rawRow == "B,1")
        #expect(try await store.quarantinedRows(batchID: nil, reason: nil, limit: 10, offset: 0).map(\.reason).sorted() ==
                [.duplicateRecord, .exactDuplicate, .exactDuplicate, .outOfJurisdiction].sorted())
    }

    @Test("given a record already imported, when the same identity comes with other content, then it is a duplicate_record", arguments: StoreKind.available)
    func sameIdentityDifferentContent(kind: StoreKind) async throws {
        let store = try await kind.make()
        let a = makeIncident("A", raw: "A,original")
        let changed = makeIncident("A", raw: "A,edited")
        try await store.importBatch(batchInfo(), weights: .cambridgeDefaults, clock: batchClock) { w in
            var c = ImportCounts()
            await c.count(try await w.accept(a, fingerprint: fingerprint(a.rawRow), rowKey: nil, lineNumber: 2))
            await c.count(try await w.accept(changed, fingerprint: fingerprint(changed.rawRow), rowKey: nil, lineNumber: 3))
            #expect(c.rejectedByReason == [.duplicateRecord: 1])
            return c
        }
        #expect(try await store.incident(a.id)?.rawRow == "A,original")
        #expect(try await store.quarantinedRows(batchID: nil, reason: .duplicateRecord, limit: 10, offset: 0).first?.value == "A")
    }

    @Test("""
        given rows imported or quarantined by one batch, when a later batch carries the same rows, then nothing changes: the held ones \
        count as unchanged, the quarantined one as still quarantined
        """, arguments: StoreKind.available)
    func reimportIsUnchanged(kind: StoreKind) async throws {
        let store = try await kind.make()
        let rows = [makeIncident("A"), makeIncident("B", daysAfter: 1)]
        let bad = QuarantinedRow(batchID: 0, lineNumber: 4, source: "test", reason: .missingCoordinates, field: "lat", value: nil, message: "none", rawRow: "C,,")
        func run() async throws -> ImportBatch {
            try await store.importBatch(batchInfo(sha: UUID().uuidString), weights: .cambridgeDefaults, clock: batchClock) { w in
                var c = ImportCounts()
                for (i, r) in rows.enumerated() { await c.count(try await w.accept(r, fingerprint: fingerprint(r.rawRow), rowKey: nil, lineNumber: i + 2)) }
                await c.count(try await w.quarantine(bad, fingerprint: fingerprint(bad.rawRow)))
                return c
            }
        }
        let first = try await run()
        #expect(first.counts.incidentsImported == 2 && first.counts.rejectedByReason == [.missingCoordinates: 1])
        let second = try await run()
        #expect(second.counts.incidentsImported == 0)
        #expect(second.counts.rowsUnchanged == 2 && second.counts.rowsStillQuarantined == 1 && second.counts.rowsRejected == 0)
        #expect(try await store.batches().last?.counts.rowsStillQuarantined == 1)
        #expect(try await store.countIncidents(.all) == 2)
        #expect(try await store.quarantinedRows(batchID: nil, reason: nil, limit: 100, offset: 0).count == 1)
        #expect(try await store.batches().count == 2)
    }

    @Test("given an import that fails half-way, then no incident, quarantine row or batch of it is visible", arguments: StoreKind.available)
    func failedImportLeavesNothing(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await importIncidents([makeIncident("KEEP")], into: store)
        await #expect(throws: DeliberateFailure.self) {
            try await store.importBatch(batchInfo(sha: "doomed"), weights: .cambridgeDefaults, clock: batchClock) { w in
                for i in 0..<500 {
                    let r = makeIncident("X\(i)", daysAfter: Double(i))
                    _ = try await w.accept(r, fingerprint: fingerprint(r.rawRow), rowKey: nil, lineNumber: i + 2)
                }
                _ = try await w.quarantine(QuarantinedRow(batchID: 0, lineNumber: 600, source: "test", reason: .futureDate, field: nil, value: nil, message: "m", rawRow: "r"), fingerprint: fingerprint("r"))
                throw DeliberateFailure()
            }
        }
        #expect(try await store.countIncidents(.all) == 1)
        #expect(try await store.batches().count == 1)
        #expect(try await store.completedBatch(source: "test", fileSHA256: "doomed") == nil)
        #expect(try await store.quarantinedRows(batchID: nil, reason: nil, limit: 10, offset: 0).isEmpty)
        // The rows can be imported afterwards: the failed batch left no fingerprints behind.
        let retry = try await importIncidents((0..<500).map { makeIncident("X\($0)", daysAfter: Double($0)) }, into: store)
        #expect(retry.counts.incidentsImported == 500)
    }

    @Test("given imports, then the data version changes with each batch and not with a failed one", arguments: StoreKind.available)
    func dataVersion(kind: StoreKind) async throws {
        let store = try await kind.make()
        let empty = try await store.dataVersion()
        try await importIncidents([makeIncident("A")], into: store)
        let first = try await store.dataVersion()
        #expect(first != empty)
        _ = try? await store.importBatch(batchInfo(sha: "doomed"), weights: .cambridgeDefaults, clock: batchClock) { _ in throw DeliberateFailure() }
        #expect(try await store.dataVersion() == first)
        try await importIncidents([makeIncident("B")], into: store)
        #expect(try await store.dataVersion() != first)
    }

    @Test("given incidents over time, space and categories, when queried, then filters are half-open, combined, and ordered by time", arguments: StoreKind.available)
    func queries(kind: StoreKind) async throws {
        let store = try await kind.make()
        let incidents = [
            makeIncident("h1", category: .homicide, daysAfter: 0, metersEast: 0),
            makeIncident("s1", category: .nonFatalShooting, daysAfter: 1, metersEast: 500),
            makeIncident("s2", category: .nonFatalShooting, daysAfter: 2, metersEast: 5_000),
            makeIncident("d1", category: .other, daysAfter: 3, metersEast: 100, policeInitiated: true),
            makeIncident("r1", category: .robbery, daysAfter: 10, metersEast: -300, metersNorth: 200),
        ]
        try await importIncidents(incidents.reversed(), into: store)
        let day = 86_400.0, t0 = Date(timeIntervalSince1970: 1_483_228_800)
        #expect(try await store.incidents(.all).map(\.id.recordID) == ["h1", "s1", "s2", "d1", "r1"])
        #expect(try await store.incidents(IncidentQuery(occurredFrom: t0.addingTimeInterval(day), occurredBefore: t0.addingTimeInterval(3 * day))).map(\.id.recordID) == ["s1", "s2"])
        #expect(try await store.incidents(IncidentQuery(categories: [.nonFatalShooting, .robbery])).map(\.id.recordID) == ["s1", "s2", "r1"])
        #expect(try await store.incidents(IncidentQuery(categories: [])).isEmpty)
        let box = PlanarBoundingBox(minX: -1_000, minY: -1_000, maxX: 1_000, maxY: 1_000)
        #expect(try await store.incidents(IncidentQuery(bounds: box)).map(\.id.recordID) == ["h1", "s1", "d1", "r1"])
        #expect(try await store.incidents(IncidentQuery(bounds: box, includePoliceInitiated: false)).map(\.id.recordID) == ["h1", "s1", "r1"])
        #expect(try await store.incidents(IncidentQuery(limit: 2)).map(\.id.recordID) == ["h1", "s1"])
        #expect(try await store.countIncidents(IncidentQuery(categories: [.nonFatalShooting])) == 2)
        #expect(try await store.countIncidents(IncidentQuery(bounds: box, includePoliceInitiated: false)) == 3)
    }

    @Test("given many incidents at one time from sources sharing a prefix, when paged after the last position, then each is read once",
          arguments: StoreKind.available)
    func pagingAfterPosition(kind: StoreKind) async throws {
        let store = try await kind.make()
        // Seven at one instant ("kc" sorts before "kc-gva" by source, though "kc-gva:1" < "kc:1" as text), two later.
        var incidents = (1...4).map { makeIncident("\($0)", source: "kc", daysAfter: 1, raw: "kc,\($0)") }
        incidents += (1...3).map { makeIncident("\($0)", source: "kc-gva", daysAfter: 1, raw: "kc-gva,\($0)") }
        incidents += [makeIncident("9", source: "a", daysAfter: 2), makeIncident("0", source: "z", daysAfter: 0)]
        try await importIncidents(incidents.shuffled(), into: store)
        let all = try await store.incidents(.all).map(\.id.description)
        #expect(all == ["z:0", "kc:1", "kc:2", "kc:3", "kc:4", "kc-gva:1", "kc-gva:2", "kc-gva:3", "a:9"])
        var read: [String] = [], after: IncidentPosition?
        for _ in 0..<10 {
            let page = try await store.incidents(IncidentQuery(limit: 2, after: after))
            read += page.map(\.id.description)
            guard let last = page.last else { break }
            after = IncidentPosition(of: last)
        }
        #expect(read == all)
        let t1 = Date(timeIntervalSince1970: 1_483_228_800 + 86_400)
        let later = IncidentQuery(occurredFrom: t1, after: IncidentPosition(occurredAt: t1, id: IncidentID(source: "kc", recordID: "4")))
        #expect(try await store.incidents(later).map(\.id.description) == ["kc-gva:1", "kc-gva:2", "kc-gva:3", "a:9"])
        #expect(try await store.countIncidents(later) == 4)
    }

    @Test("given incidents in two months, when counted by category and month, then local months are used", arguments: StoreKind.available)
    func monthlyCounts(kind: StoreKind) async throws {
        let store = try await kind.make()
        // 2017-01-01T00:00Z is still 2016-12-31 in Chicago.
        try await importIncidents([
            makeIncident("a", category: .homicide, daysAfter: 0), makeIncident("b", category: .homicide, daysAfter: 0.5),
            makeIncident("c", category: .robbery, daysAfter: 40),
        ], into: store)
        let counts = try await store.countsByCategoryAndMonth(.all)
        #expect(counts == [
            CategoryMonthCount(category: .homicide, month: YearMonth(year: 2016, month: 12), incidents: 1),
            CategoryMonthCount(category: .homicide, month: YearMonth(year: 2017, month: 1), incidents: 1),
            CategoryMonthCount(category: .robbery, month: YearMonth(year: 2017, month: 2), incidents: 1),
        ])
    }

    @Test("given imports and quarantines, then the summary and quarantine listing agree with them", arguments: StoreKind.available)
    func summaryAndQuarantine(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.setJurisdiction(testJurisdiction)
        try await store.importBatch(batchInfo(sha: "one"), weights: .cambridgeDefaults, clock: batchClock) { w in
            var c = ImportCounts()
            for (i, r) in [makeIncident("a", daysAfter: 2), makeIncident("b", category: .other, daysAfter: 5, policeInitiated: true)].enumerated() {
                await c.count(try await w.accept(r, fingerprint: fingerprint(r.rawRow), rowKey: nil, lineNumber: i + 2))
            }
            for (line, reason) in [(4, QuarantineReason.outOfJurisdiction), (5, .futureDate), (6, .outOfJurisdiction)] {
                await c.count(try await w.quarantine(QuarantinedRow(batchID: 0, lineNumber: line, source: "test", reason: reason, field: "f", value: "v\(line)", message: "m\(line)", rawRow: "raw\(line)"),
                                         fingerprint: fingerprint("raw\(line)")))
            }
            return c
        }
        let s = try await store.summary()
        #expect(s.jurisdictionName == "testville")
        #expect(s.incidents == 2)
        #expect(s.policeInitiatedIncidents == 1)
        #expect(s.incidentsByCategory == [.homicide: 1, .other: 1])
        #expect(s.quarantinedByReason == [.outOfJurisdiction: 2, .futureDate: 1])
        #expect(s.batches == 1)
        #expect(s.firstOccurredAt == Date(timeIntervalSince1970: 1_483_228_800 + 2 * 86_400))
        #expect(s.lastOccurredAt == Date(timeIntervalSince1970: 1_483_228_800 + 5 * 86_400))
        let all = try await store.quarantinedRows(batchID: nil, reason: nil, limit: 10, offset: 0)
        #expect(all.map(\.lineNumber) == [4, 5, 6])
        #expect(all.first?.value == "v4" && all.first?.rawRow == "raw4" && all.first?.field == "f")
        #expect(try await store.quarantinedRows(batchID: nil, reason: .outOfJurisdiction, limit: 10, offset: 1).map(\.lineNumber) == [6])
        #expect(try await store.quarantinedRows(batchID: 999, reason: nil, limit: 10, offset: 0).isEmpty)
        let batch = try await #require(try store.completedBatch(source: "test", fileSHA256: "one"))
        #expect(batch.counts.rejectedByReason == [.outOfJurisdiction: 2, .futureDate: 1])
        #expect(batch.counts.incidentsImported == 2)
    }
}

@Suite("CycleStore contract")
struct CycleStoreSuite {
    func store(_ kind: StoreKind) async throws -> any IncidentStore & CycleStore {
        try await kind.make()
    }

    @Test("given saved cycles, then they read back newest first, update in place, and the one in force is found", arguments: StoreKind.available)
    func cycles(kind: StoreKind) async throws {
        let s = try await store(kind)
        let t0 = Date(timeIntervalSince1970: 1_500_000_000), h = 3_600.0
        let a = CycleRecord(id: "c1", status: .approved, startsAt: t0, endsAt: t0 + 96 * h, createdAt: t0 - h, document: Data("{\"a\":1}".utf8))
        let b = CycleRecord(id: "c2", status: .proposed, startsAt: t0 + 96 * h, endsAt: t0 + 192 * h, createdAt: t0, document: Data("{}".utf8))
        try await s.saveCycle(a)
        try await s.saveCycle(b)
        await #expect(try s.cycles().map(\.id) == ["c2", "c1"])
        await #expect(try s.cycle(id: "c1") == a)
        await #expect(try s.cycleInForce(at: t0 + h)?.id == "c1")
        await #expect(try s.cycleInForce(at: t0 + 100 * h) == nil) // c2 is only proposed
        await #expect(try s.newestCycle(status: .proposed)?.id == "c2")
        await #expect(try s.newestCycle(status: .approved)?.id == "c1")
        await #expect(try s.cycleInForce(at: t0 + 96 * h) == nil) // half-open: c1 has ended
        await #expect(try s.cycleInForce(at: t0 - 1) == nil)
        var approved = b
        approved.status = .approved
        try await s.saveCycle(approved)
        await #expect(try s.cycleInForce(at: t0 + 100 * h)?.id == "c2")
        await #expect(try s.newestCycle(status: .proposed) == nil)
        await #expect(try s.cycles().count == 2)
    }
}

@Suite("AccountStore contract")
struct AccountStoreSuite {
    func store(_ kind: StoreKind) async throws -> any AccountStore {
        try await kind.make()
    }

    @Test("given accounts, then they read back with role and units, a taken username is refused, and updates replace", arguments: StoreKind.available)
    func accounts(kind: StoreKind) async throws {
        let s = try await store(kind)
        let officer = Account(username: "o.ruiz", displayName: "Officer Ruiz", role: .officer, units: [.traffic, .specialOperations],
                              passwordHash: "$2b$04$abc", mustChangePassword: true, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        try await s.addAccount(officer)
        try await s.addAccount(Account(username: "a.lee", displayName: "Analyst Lee", role: .analyst, passwordHash: "h", mustChangePassword: false, createdAt: Date(timeIntervalSince1970: 1_700_000_000)))
        await #expect(try s.account(username: "o.ruiz") == officer)
        await #expect(try s.accounts().map(\.username) == ["a.lee", "o.ruiz"])
        await #expect(throws: AccessError.duplicateUsername("o.ruiz")) { try await s.addAccount(officer) }
        var changed = officer
        changed.mustChangePassword = false
        changed.disabled = true
        changed.units = [.violentCrimesEnforcement]
        try await s.updateAccount(changed)
        await #expect(try s.account(username: "o.ruiz") == changed)
        var ghost = officer
        ghost.username = "nobody"
        await #expect(throws: AccessError.unknownUsername("nobody")) { try await s.updateAccount(ghost) }
    }
}
