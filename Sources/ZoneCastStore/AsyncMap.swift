/// `map` and friends for transforms that await (a store read per element): the standard library's take only
/// synchronous closures. Elements are transformed one after another, in order.
extension Optional {
    public func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }

    public func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension Sequence {
    public func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(underestimatedCount)
        for element in self { out.append(try await transform(element)) }
        return out
    }

    public func asyncCompactMap<T>(_ transform: (Element) async throws -> T?) async rethrows -> [T] {
        var out: [T] = []
        for element in self { if let t = try await transform(element) { out.append(t) } }
        return out
    }

    public func asyncFilter(_ isIncluded: (Element) async throws -> Bool) async rethrows -> [Element] {
        var out: [Element] = []
        for element in self where try await isIncluded(element) { out.append(element) }
        return out
    }
}
