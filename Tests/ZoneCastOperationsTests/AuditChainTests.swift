import Foundation
import Testing
import ZoneCastOperations

@Suite struct AuditChainTests {
    func chain(_ n: Int) -> [AuditEntry] {
        var out: [AuditEntry] = []
        for i in 0..<n {
            let draft = AuditDraft(at: Date(timeIntervalSince1970: 1_700_000_000 + Double(i)), actor: "user\(i % 3)", action: .viewZones, subject: "C\(i)", detail: "d\(i)")
            out.append(draft.entry(after: out.last))
        }
        return out
    }

    @Test func anUntouchedChainVerifies() async {
        let entries = chain(20)
        let result = AuditChain.verify(entries)
        #expect(result.isIntact)
        #expect(result.entriesChecked == 20)
        #expect(result.headHash == entries.last!.hash)
        #expect(entries[0].previousHash == AuditChain.genesisHash)
    }

    @Test func theHashIsSHA256OfTheLengthPrefixedFields() async {
        // Given one entry, when its hash is recomputed by hand from the documented encoding, then it matches.
        let e = AuditDraft(at: Date(timeIntervalSince1970: 1), actor: "a", action: .signIn, subject: "s", detail: "").entry(after: nil)
        #expect(e.atMilliseconds == 1_000)
        #expect(e.hash == AuditChain.hash(of: e))
        #expect(e.hash.count == 64)
        // "ab" + "c" and "a" + "bc" must hash differently (fields are length-prefixed).
        var x = e, y = e
        x.actor = "ab"; x.action = "c"
        y.actor = "a"; y.action = "bc"
        #expect(AuditChain.hash(of: x) != AuditChain.hash(of: y))
    }

    @Test func anEditedFieldIsFoundAtItsEntry() async {
        var entries = chain(10)
        entries[4].detail = "nothing to see"
        let result = AuditChain.verify(entries)
        #expect(result.problem?.sequence == 5)
        #expect(result.entriesChecked == 4)
    }

    @Test func anEditThatRecomputesItsOwnHashBreaksTheNextLink() async {
        var entries = chain(10)
        entries[4].actor = "someone else"
        entries[4].hash = AuditChain.hash(of: entries[4])
        #expect(AuditChain.verify(entries).problem?.sequence == 6)
    }

    @Test func deletionAndReorderingAreFound() async {
        var deleted = chain(10)
        deleted.remove(at: 3)
        #expect(AuditChain.verify(deleted).problem?.sequence == 5)
        var swapped = chain(10)
        swapped.swapAt(2, 3)
        #expect(AuditChain.verify(swapped).problem != nil)
        var truncatedHead = chain(10)
        truncatedHead.removeFirst()
        #expect(AuditChain.verify(truncatedHead).problem?.sequence == 2)
    }
}

@Suite("Audit chain keyed with HMAC-SHA256, checkpoints, stored text")
struct KeyedAuditChainTests {
    let key = try! AuditKey(bytes: Array(1...32))
    let other = try! AuditKey(bytes: Array(33...64))

    func chain(_ n: Int, key: AuditKey?, keyedFrom: Int = 1) -> [AuditEntry] {
        var out: [AuditEntry] = []
        for i in 0..<n {
            let draft = AuditDraft(at: Date(timeIntervalSince1970: 1_700_000_000 + Double(i)), actor: "user\(i % 3)", action: .viewZones, subject: "C\(i)")
            out.append(draft.entry(after: out.last, key: i + 1 >= keyedFrom ? key : nil))
        }
        return out
    }

    @Test("given a keyed chain, when an entry is edited and the rest re-chained without the key (plain SHA-256 or another key), then the key finds the edit; the hash is standard HMAC-SHA256")
    func rechainingWithoutTheKeyIsFound() async {
        let keyed = chain(8, key: key)
        #expect(AuditChain.verify(keyed, keying: AuditKeying(keyedFrom: 1, key: key)).isIntact)
        for forger in [nil, other] {
            var forged = keyed
            forged[3].actor = "someone else"
            for i in 3..<forged.count {
                if i > 3 { forged[i].previousHash = forged[i - 1].hash }
                forged[i].hash = AuditChain.hash(of: forged[i], key: forger)
            }
            #expect(AuditChain.verify(forged, keying: AuditKeying(keyedFrom: 1, key: key)).problem?.sequence == 4)
        }
        // Without the key nothing keyed is called intact.
        #expect(AuditChain.verify(keyed, keying: AuditKeying(keyedFrom: 1, key: nil)).problem?.sequence == 1)
        // The PostgreSQL function's pads give the same HMAC: SHA256(outer || SHA256(inner || m)).
        let (inner, outer) = key.hmacPads
        #expect(inner.count == 64 && outer.count == 64 && inner[0] == 1 ^ 0x36 && outer[40] == 0x5c)
    }

    @Test("given entries written before the switch-over (plain SHA-256) and after it (keyed), then the chain verifies across it and reports where keying starts")
    func oldEntriesVerifyBeforeTheSwitchOver() async {
        let mixed = chain(6, key: key, keyedFrom: 4)
        let result = AuditChain.verify(mixed, keying: AuditKeying(keyedFrom: 4, key: key))
        #expect(result.isIntact && result.entriesChecked == 6 && result.keyedFrom == 4)
        #expect(mixed[2].hash == AuditChain.hash(of: mixed[2]) && mixed[3].hash == AuditChain.hash(of: mixed[3], key: key))
        // Claiming the switch-over came later (so keyed entries would pass as plain) fails at the first keyed one.
        #expect(AuditChain.verify(mixed, keying: AuditKeying(keyedFrom: 6, key: key)).problem?.sequence == 4)
    }

    @Test("given a checkpoint, then its text round-trips, an altered one is not signed, and it reports a shorter, an empty and a different log")
    func checkpoints() async throws {
        let entries = chain(6, key: key)
        let full = AuditChain.verify(entries, keying: AuditKeying(keyedFrom: 1, key: key))
        let c = AuditCheckpoint.signed(full, atMilliseconds: 1_700_000_100_000, key: key)
        #expect(try AuditCheckpoint(parsing: c.text) == c && c.isSigned(by: key) && !c.isSigned(by: other))
        var altered = c
        altered.headHash = entries[2].hash
        #expect(!altered.isSigned(by: key))
        #expect(throws: AuditError.self) { try AuditCheckpoint(parsing: "zc-audit-1.x.y") }
        #expect(c.problem(with: full, entryAtCheckpoint: entries[5]) == nil)
        let cut = AuditChain.verify(entries.prefix(4), keying: AuditKeying(keyedFrom: 1, key: key))
        #expect(c.problem(with: cut, entryAtCheckpoint: nil)?.contains("removed from the end") == true)
        let empty = AuditChain.verify([AuditEntry](), keying: AuditKeying(keyedFrom: 1, key: key))
        #expect(c.problem(with: empty, entryAtCheckpoint: nil)?.contains("wiped") == true)
        let rewritten = chain(6, key: key).enumerated().reduce(into: [AuditEntry]()) { out, pair in
            var d = AuditDraft(at: Date(timeIntervalSince1970: 1), actor: "x", action: .signIn, subject: "s\(pair.offset)")
            d.detail = "rewritten"
            out.append(d.entry(after: out.last, key: key))
        }
        let r = AuditChain.verify(rewritten, keying: AuditKeying(keyedFrom: 1, key: key))
        #expect(r.isIntact && c.problem(with: r, entryAtCheckpoint: rewritten[5])?.contains("rewritten") == true)
    }

    @Test("given text with NUL, ESC, CR, DEL and C1 controls, then the entry stores a visible escape of each (tab and newline kept) and its hash covers exactly that")
    func controlCharactersBecomeVisible() async {
        let e = AuditDraft(at: Date(timeIntervalSince1970: 1), actor: "demo-admin\u{0}x", action: .signInFailed, subject: "\u{1B}[2J\r", detail: "a\tb\nc\u{7F}\u{9B}").entry(after: nil, key: key)
        #expect(e.actor == "demo-admin\\u{00}x" && e.subject == "\\u{1B}[2J\\u{0D}" && e.detail == "a\tb\nc\\u{7F}\\u{9B}")
        #expect(e.hash == AuditChain.hash(of: e, key: key))
        #expect(AuditText.stored("Zoë 東京 🚓") == "Zoë 東京 🚓")
    }
}
