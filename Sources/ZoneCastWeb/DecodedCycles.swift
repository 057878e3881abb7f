import Foundation
import ZoneCastPlanning
import ZoneCastStore

/// Decoded cycle documents, reused while the stored document is byte-for-byte the same: every page and API call
/// reads the cycle in force, and decoding its JSON (zones, explanations, provenance) costs more than the rest of
/// a request. Comparing the bytes is a memcmp; an approval or any other change to the document re-decodes.
final class DecodedCycles: @unchecked Sendable {
    private var cache: [String: (document: Data, cycle: ZoneCycle)] = [:]
    private let lock = NSLock()

    func cycle(_ record: CycleRecord) throws -> ZoneCycle {
        lock.lock()
        if let hit = cache[record.id], hit.document == record.document {
            lock.unlock()
            return hit.cycle
        }
        lock.unlock()
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        lock.lock()
        if cache.count > 64 { cache.removeAll() }
        cache[record.id] = (record.document, cycle)
        lock.unlock()
        return cycle
    }
}
