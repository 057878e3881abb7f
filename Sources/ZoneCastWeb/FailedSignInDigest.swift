import Foundation
import ZoneCastAccess

/// Failed sign-ins as the audit log records them: the first failure per source address and account in a window
/// (15 minutes by default) gets its own entry; later ones in the same window are only counted, and logged as one
/// summary entry when the window has closed (at the next sign-in event after that) or a new window opens for the
/// same pair. 20,000 failures in a minute from one address on one name are 1 entry and 1 summary, not 20,000 rows.
/// Unknown usernames share one account key per source ("(unknown username)"), so inventing names does not open
/// new windows. The windows are a `BoundedMap`: evicting one with uncounted failures logs its summary.
/// Pure: time is passed in.
struct FailedSignInDigest: Sendable {
    struct Key: Hashable, Sendable { var address: String; var account: String }
    struct Window: Sendable { var opened: Date; var last: Date; var more: Int }

    /// Failures after a window's first that no entry has recorded yet.
    struct Summary: Sendable, Equatable {
        var address: String
        var account: String
        var count: Int
        var from: Date
        var to: Date
    }

    struct Outcome: Sendable {
        /// Whether this failure gets an entry of its own.
        var logInFull: Bool
        /// Summaries that are due now (write them first).
        var due: [Summary]
    }

    let length: TimeInterval
    /// Closed windows are looked for at most this often (a scan of the map).
    let sweepEvery: TimeInterval = 60
    private var windows: BoundedMap<Key, Window>
    private var lastSweep: Date?

    init(length: TimeInterval, capacity: Int) {
        self.length = length
        windows = BoundedMap(capacity: capacity)
    }

    var count: Int { windows.count }

    mutating func failure(account: String, address: String, now: Date) -> Outcome {
        var due = closeDue(now: now)
        let key = Key(address: address, account: account)
        if var w = windows[key], now.timeIntervalSince(w.opened) < length {
            w.more += 1
            w.last = now
            due += windows.set(key, w).compactMap { Self.summary($0.key, $0.value) }
            return Outcome(logInFull: false, due: due)
        }
        if let old = windows[key], let s = Self.summary(key, old) { due.append(s) }
        due += windows.set(key, Window(opened: now, last: now, more: 0)).compactMap { Self.summary($0.key, $0.value) }
        return Outcome(logInFull: true, due: due)
    }

    /// Summaries of the windows that have closed (looked for at most every `sweepEvery`); closed windows are dropped.
    mutating func closeDue(now: Date) -> [Summary] {
        if let lastSweep, now.timeIntervalSince(lastSweep) < sweepEvery, now >= lastSweep { return [] }
        lastSweep = now
        return windows.removeAll { _, w in now.timeIntervalSince(w.opened) >= length }.compactMap { Self.summary($0.key, $0.value) }
    }

    private static func summary(_ key: Key, _ w: Window) -> Summary? {
        w.more > 0 ? Summary(address: key.address, account: key.account, count: w.more, from: w.opened, to: w.last) : nil
    }
}
