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

    @Test func anUntouchedChainVerifies() {
        let entries = chain(20)
        let result = AuditChain.verify(entries)
        #expect(result.isIntact)
        #expect(result.entriesChecked == 20)
        #expect(result.headHash == entries.last!.hash)
        #expect(entries[0].previousHash == AuditChain.genesisHash)
    }

    @Test func theHashIsSHA256OfTheLengthPrefixedFields() {
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

    @Test func anEditedFieldIsFoundAtItsEntry() {
        var entries = chain(10)
        entries[4].detail = "nothing to see"
        let result = AuditChain.verify(entries)
        #expect(result.problem?.sequence == 5)
        #expect(result.entriesChecked == 4)
    }

    @Test func anEditThatRecomputesItsOwnHashBreaksTheNextLink() {
        var entries = chain(10)
        entries[4].actor = "someone else"
        entries[4].hash = AuditChain.hash(of: entries[4])
        #expect(AuditChain.verify(entries).problem?.sequence == 6)
    }

    @Test func deletionAndReorderingAreFound() {
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
