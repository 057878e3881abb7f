import Foundation
import ZoneCastCore
import ZoneCastStore

/// Incidents of recent place queries, kept until the data changes (a new import batch changes the data version).
/// The zone page asks for two years of a small area and the dosage profile for the training year of the same
/// area; the store's index leads with time (which keeps imports fast), so such a query scans the whole period
/// city-wide. Repeated views of the same zone then cost a dictionary lookup.
final class IncidentQueryCache: @unchecked Sendable {
    private var entries: [String: [Incident]] = [:]
    private var order: [String] = []
    private let capacity: Int
    private let lock = NSLock()

    init(capacity: Int = 48) { self.capacity = capacity }

    private var version: Int64 = .min

    func incidents(_ q: IncidentQuery, store: any IncidentStore) async throws -> [Incident] {
        let dataVersion = try await store.dataVersion()
        let key = "\(dataVersion)|\(Self.describe(q))"
        let hit: [Incident]? = lock.withLock {
            if let hit = entries[key] { return hit }
            // New data: the older version's entries will not be asked for again; free them now rather than when the
            // capacity pushes them out (they held a second copy of every queried place's incidents after an import).
            if dataVersion > version {
                version = dataVersion
                entries.removeAll()
                order.removeAll()
            }
            return nil
        }
        if let hit { return hit }
        let fetched = try await store.incidents(q)
        lock.withLock {
            if entries[key] == nil {
                entries[key] = fetched
                order.append(key)
                if order.count > capacity { entries[order.removeFirst()] = nil }
            }
        }
        return fetched
    }

    static func describe(_ q: IncidentQuery) -> String {
        let b = q.bounds.map { "\($0.minX),\($0.minY),\($0.maxX),\($0.maxY)" } ?? "-"
        let c = q.categories.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "-"
        return "\(q.occurredFrom?.timeIntervalSince1970 ?? -1)|\(q.occurredBefore?.timeIntervalSince1970 ?? -1)|\(b)|\(c)|"
            + "\(q.includePoliceInitiated)|\(q.limit ?? -1)|\(q.includeRawRow)|\(q.after.map { "\($0.occurredAt.timeIntervalSince1970)|\($0.id)" } ?? "-")"
    }
}

/// Rendered page parts that depend only on the data, by a key naming what they depend on; a small bounded map.
final class RenderedParts<Value>: @unchecked Sendable {
    private var entries: [String: Value] = [:]
    private var order: [String] = []
    private let capacity: Int
    private let lock = NSLock()

    init(capacity: Int = 32) { self.capacity = capacity }

    func value(for key: String, compute: () async throws -> Value) async rethrows -> Value {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        return keep(try await compute(), for: key)
    }

    /// The same for a part computed without waiting (a map drawn from data already loaded).
    func value(for key: String, compute: () throws -> Value) rethrows -> Value {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        return keep(try compute(), for: key)
    }

    /// Stores a computed value unless another request stored one for the key meanwhile; the oldest key goes first.
    private func keep(_ value: Value, for key: String) -> Value {
        lock.withLock {
            if entries[key] == nil {
                entries[key] = value
                order.append(key)
                if order.count > capacity { entries[order.removeFirst()] = nil }
            }
        }
        return value
    }
}
