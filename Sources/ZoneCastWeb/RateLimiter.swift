import Foundation

/// Sliding-window limits per client and overall (the public tips form). A client is whatever the caller keys by:
/// the peer address, or the forwarded address set by the reverse proxy.
public actor RateLimiter {
    private var byClient: [String: [Date]] = [:]
    private var all: [Date] = []
    public let perClient: Int, overall: Int, window: TimeInterval

    public init(perClient: Int, overall: Int, window: TimeInterval) {
        self.perClient = perClient
        self.overall = overall
        self.window = window
    }

    /// Records an attempt and says whether it is allowed.
    public func allow(_ client: String, now: Date) -> Bool {
        all.removeAll { now.timeIntervalSince($0) >= window }
        var mine = (byClient[client] ?? []).filter { now.timeIntervalSince($0) < window }
        defer { byClient[client] = mine }
        guard mine.count < perClient, all.count < overall else { return false }
        mine.append(now)
        all.append(now)
        return true
    }
}
