public import Foundation

/// Sliding-window limits per client and overall (the public tips form). A client is whatever the caller keys by
/// (`clientAddress`: the peer, or the address a trusted proxy forwarded).
///
/// Only what the caller keeps counts: it asks `allow` once the submission is valid, and gives the place back with
/// `release` if storing it fails, so a resident whose form came back with an error has not used up the quota.
/// Memory is bounded: a client is kept only while it has an attempt inside the window, and attempts inside the
/// window never exceed `overall`, so at most `overall` clients are held.
public actor RateLimiter {
    private var byClient: [String: [Date]] = [:]
    private var all: [Date] = []
    public let perClient: Int, overall: Int, window: TimeInterval

    public init(perClient: Int, overall: Int, window: TimeInterval) {
        self.perClient = perClient
        self.overall = overall
        self.window = window
    }

    /// Records an attempt and says whether it is allowed (a refused one is not recorded).
    public func allow(_ client: String, now: Date) -> Bool {
        forgetExpired(now: now)
        let mine = (byClient[client] ?? []).filter { now.timeIntervalSince($0) < window }
        guard mine.count < perClient, all.count < overall else { return false }
        byClient[client] = mine + [now]
        all.append(now)
        return true
    }

    /// Gives back an attempt `allow` recorded at `at` (the submission was not kept after all).
    public func release(_ client: String, at: Date) {
        if var mine = byClient[client], let k = mine.lastIndex(of: at) {
            mine.remove(at: k)
            byClient[client] = mine.isEmpty ? nil : mine
        }
        if let k = all.lastIndex(of: at) { all.remove(at: k) }
    }

    /// Clients held (for tests of the bound).
    public var clientCount: Int { byClient.count }

    private func forgetExpired(now: Date) {
        all.removeAll { now.timeIntervalSince($0) >= window }
        // Every held client has an attempt in `all` until it expires, so this sweep runs when `all` shrank past the
        // clients held: amortised, and the map never outgrows the overall cap.
        guard byClient.count > all.count else { return }
        byClient = byClient.compactMapValues { dates in
            let live = dates.filter { now.timeIntervalSince($0) < window }
            return live.isEmpty ? nil : live
        }
    }
}
