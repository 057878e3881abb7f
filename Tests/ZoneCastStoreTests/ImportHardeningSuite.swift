import Foundation
import Testing
import ZoneCastCore
import ZoneCastOperations
@testable import ZoneCastStore

/// Imports bind the jurisdiction and append their audit entry in their own transaction, and quarantined rows keep
/// their exact text, on every store (PostgreSQL when `ZONECAST_TEST_POSTGRES_URL` is set).
@Suite("Import hardening contract")
struct ImportHardeningSuite {
    @Test("given a new store, when the first import (for testville) fails half-way, then the store stays unbound; when one succeeds, it is bound; an import for another jurisdiction is refused", arguments: StoreKind.available)
    func jurisdictionBindsWithTheImport(kind: StoreKind) async throws {
        let store = try await kind.make()
        var info = batchInfo(sha: "first")
        info.jurisdiction = testJurisdiction
        await #expect(throws: DeliberateFailure.self) {
            try await store.importBatch(info, weights: .cambridgeDefaults, clock: batchClock) { w in
                let r = makeIncident("A")
                _ = try await w.accept(r, fingerprint: fingerprint(r.rawRow), rowKey: nil, lineNumber: 2)
                throw DeliberateFailure()
            }
        }
        #expect(try await store.jurisdiction() == nil, "a failed first import must not bind the database")

        var other = testJurisdiction
        other.name = "elsewhere"
        var elsewhere = batchInfo(sha: "elsewhere")
        elsewhere.jurisdiction = other
        _ = try await store.importBatch(elsewhere, weights: .cambridgeDefaults, clock: batchClock) { _ in ImportCounts() }
        #expect(try await store.jurisdiction()?.name == "elsewhere", "after the failed import, the database is free to be bound to any jurisdiction")

        info.fileSHA256 = "second"
        await #expect(throws: StoreError.jurisdictionMismatch(stored: "elsewhere", requested: "testville")) {
            try await store.importBatch(info, weights: .cambridgeDefaults, clock: batchClock) { _ in ImportCounts() }
        }
        #expect(try await store.batches().count == 1)
    }

    @Test("given quarantined rows holding NUL, ESC and other control bytes, then listing returns each row's text byte for byte", arguments: StoreKind.available)
    func quarantinedTextIsExact(kind: StoreKind) async throws {
        let store = try await kind.make()
        let raws = ["1,ab\u{0}cd,\u{1B}[31mred", "2,\u{0}", "3,back\\slash \u{7F} \u{85} caf\u{E9} \u{202E}", "4,plain"]
        let batch = try await store.importBatch(batchInfo(sha: "ctl"), weights: .cambridgeDefaults, clock: batchClock) { w in
            var counts = ImportCounts()
            for (i, raw) in raws.enumerated() {
                let row = QuarantinedRow(batchID: 0, lineNumber: i + 2, source: "test", reason: .controlCharacter, field: "f\u{0}x",
                                         value: "v\u{0}", message: "line \(i + 2) \u{0}", rawRow: raw)
                counts.rowsRead += 1
                await counts.count(try await w.quarantine(row, fingerprint: fingerprint(raw)))
            }
            return counts
        }
        #expect(batch.counts.rejectedByReason == [.controlCharacter: 4])
        let back = try await store.quarantinedRows(batchID: batch.id, reason: .controlCharacter, limit: 10, offset: 0)
        #expect(back.map(\.rawRow) == raws)
        #expect(back.map { Array($0.rawRow.utf8) } == raws.map { Array($0.utf8) })
        // Derived texts (field, value, message) cannot carry a NUL in every store: they are kept exactly or shown
        // visibly, never cut short at the NUL or refused.
        #expect(back.allSatisfy { $0.field == "f\u{0}x" || $0.field == "f\\u{0}x" }, "\(back.map(\.field))")
        #expect(back.allSatisfy { ($0.message).hasPrefix("line ") })
    }

    @Test("given incidents whose text holds tab, CR LF, C1 characters and non-ASCII text, then raw row, offence and address read back byte for byte", arguments: StoreKind.available)
    func incidentTextIsExact(kind: StoreKind) async throws {
        let store = try await kind.make()
        var a = makeIncident("A", raw: "A,\"two\r\nlines\"\t\u{92}caf\u{E9} \u{1F6A8}")
        a.offence = "Assault\twith \u{85}"
        a.address = "1 Stra\u{DF}e\r\nApt 2"
        try await importIncidents([a], into: store)
        let back = try await #require(try store.incident(a.id))
        #expect(Array(back.rawRow.utf8) == Array(a.rawRow.utf8))
        #expect(Array(back.offence.utf8) == Array(a.offence.utf8))
        #expect(back.address.map { Array($0.utf8) } == a.address.map { Array($0.utf8) })
    }

    @Test("given an import with an audit actor, then one import entry with batch, file and counts is appended and the chain verifies; a failed import appends none", arguments: StoreKind.available)
    func importIsAudited(kind: StoreKind) async throws {
        let store = try await kind.make()
        var info = batchInfo("k\u{1B}[2Jcpd.csv", sha: "audited")
        info.auditActor = "cli:tester (zonecast import)"
        await #expect(throws: DeliberateFailure.self) {
            try await store.importBatch(info, weights: .cambridgeDefaults, clock: batchClock) { _ in throw DeliberateFailure() }
        }
        #expect(try await store.latestAuditEntries(limit: 10).isEmpty, "a failed import must leave no audit entry")
        let batch = try await store.importBatch(info, weights: .cambridgeDefaults, clock: batchClock) { w in
            var counts = ImportCounts()
            for i in 0..<3 {
                let r = makeIncident("R\(i)", daysAfter: Double(i))
                counts.rowsRead += 1
                await counts.count(try await w.accept(r, fingerprint: fingerprint(r.rawRow), rowKey: nil, lineNumber: i + 2))
            }
            counts.rowsRead += 1
            await counts.count(try await w.quarantine(QuarantinedRow(batchID: 0, lineNumber: 9, source: "test", reason: .futureDate, field: nil, value: nil, message: "m", rawRow: "q"),
                                          fingerprint: fingerprint("q")))
            return counts
        }
        let entries = try await store.latestAuditEntries(limit: 10)
        #expect(entries.count == 1)
        let e = try #require(entries.first)
        #expect(e.action == AuditAction.importData.rawValue && e.actor == "cli:tester (zonecast import)" && e.subject == "import batch \(batch.id)")
        #expect(e.detail.contains("4 rows read") && e.detail.contains("3 incidents imported") && e.detail.contains("1 quarantined"), "\(e.detail)")
        #expect(e.detail.contains("k\\u{1B}[2Jcpd.csv") && !e.detail.contains("\u{1B}"), "the file name is recorded with its escape shown, not raw: \(e.detail)")
        #expect(try await store.verifyAuditChain().problem == nil)
    }
}
