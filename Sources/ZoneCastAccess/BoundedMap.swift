/// A dictionary that never holds more than `capacity` keys: inserting past it evicts the least recently written
/// tenth. Every map that anonymous requests can grow (failed sign-ins by address and by account, audit windows)
/// is one of these, so a flood of made-up usernames or addresses costs a bounded amount of memory.
public struct BoundedMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    private var entries: [Key: (value: Value, touched: UInt64)] = [:]
    private var clock: UInt64 = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public var count: Int { entries.count }

    public subscript(key: Key) -> Value? { entries[key]?.value }

    /// Stores `value` (nil removes) and returns what had to be evicted to stay within capacity, oldest first.
    @discardableResult
    public mutating func set(_ key: Key, _ value: Value?) -> [(key: Key, value: Value)] {
        guard let value else { entries[key] = nil; return [] }
        clock &+= 1
        entries[key] = (value, clock)
        guard entries.count > capacity else { return [] }
        // Evict a tenth at once (sorting once per capacity/10 insertions keeps the cost per insertion small).
        let keep = capacity - max(1, capacity / 10)
        let oldest = entries.sorted { $0.value.touched < $1.value.touched }.prefix(entries.count - keep)
        for (k, _) in oldest { entries[k] = nil }
        return oldest.map { ($0.key, $0.value.value) }
    }

    /// Removes and returns the entries `shouldRemove` picks.
    public mutating func removeAll(where shouldRemove: (Key, Value) -> Bool) -> [(key: Key, value: Value)] {
        let gone = entries.filter { shouldRemove($0.key, $0.value.value) }
        for k in gone.keys { entries[k] = nil }
        return gone.sorted { $0.value.touched < $1.value.touched }.map { ($0.key, $0.value.value) }
    }
}
