public import Foundation

/// The limits of `SignInThrottle`. Defaults: 5 free failures per account and 20 per address (counted while they
/// come less than 15 minutes apart), then back-off doubling from 1 s, capped at 30 s for an account and 15 minutes
/// for an address.
public struct SignInPolicy: Sendable, Equatable {
    /// Failures count while they come less than this (plus the longest back-off) apart; a quiet `window` beyond
    /// the back-off forgets them.
    public var window: TimeInterval = 900
    public var accountFreeFailures = 5
    /// The longest an account can be held back: short, because anyone can make an account fail.
    public var accountMaxDelay: TimeInterval = 30
    /// Higher than the account's: several people can share one address (an office behind NAT).
    public var addressFreeFailures = 20
    /// The longest an address can be held back: long, because only that address's own failures make it so.
    public var addressMaxDelay: TimeInterval = 900
    public var firstDelay: TimeInterval = 1
    /// How long a clean address's turn stays open once it may try (see `SignInThrottle`).
    public var turnLifetime: TimeInterval = 300
    /// Most addresses, accounts and turns remembered (each map separately); the least recently seen go first.
    public var maxTracked = 10_000

    public init() {}

    /// The delay after `failures` recent failures: none up to `free - 1`, then first, 2 x first, 4 x first, ...
    /// up to `max`.
    static func delay(failures: Int, free: Int, first: TimeInterval, max: TimeInterval) -> TimeInterval? {
        guard failures >= free else { return nil }
        let doublings = Swift.min(failures - free, 40)
        return Swift.min(first * pow(2, Double(doublings)), max)
    }
}

/// Slows down password guessing without letting anyone lock an account: exponential back-off per peer address and
/// per account, in the spirit of NIST SP 800-63B section 5.2.2 (rate limiting: limit consecutive failures per
/// account, prefer increasing waits to lockouts, exempt addresses the user is known to come from) and the OWASP
/// Authentication Cheat Sheet (throttle rather than lock out, so an attacker cannot deny service):
///
/// - An attempt refused because of a back-off is not counted and never extends it: the password is not even read.
/// - Failures from an address hold back that address up to 15 minutes, whoever it tries. A guesser on one
///   address gets about 20 + 4 guesses per quarter hour.
/// - Failures on an account hold back that account for at most 30 s at a time, from every address.
/// - A clean address (no failures of its own in the window) held back by the account's back-off gets a turn when
///   the back-off that was running ends (at most 30 s later); new failures by others do not move its turn, so the
///   account's owner waits at most 30 s however often someone else fails. Trying in the turn counts as usual.
/// - An admin's unlock (`Account.failuresClearedAt`) makes the account's failures up to then not count, also the
///   ones an address made on that account.
///
/// Pure: time is passed in. The web layer keeps one in an actor.
public struct SignInThrottle: Sendable {
    public enum Limit: String, Sendable { case address, account }
    public enum Decision: Equatable, Sendable {
        case proceed
        case wait(until: Date, because: Limit)
    }

    struct Failure: Sendable { var at: Date; var account: String }
    struct TurnKey: Hashable, Sendable { var address: String; var account: String }

    public let policy: SignInPolicy
    private var byAddress: BoundedMap<String, [Failure]>
    private var byAccount: BoundedMap<String, [Date]>
    private var turns: BoundedMap<TurnKey, Date>

    public init(policy: SignInPolicy = SignInPolicy()) {
        self.policy = policy
        byAddress = BoundedMap(capacity: policy.maxTracked)
        byAccount = BoundedMap(capacity: policy.maxTracked)
        turns = BoundedMap(capacity: policy.maxTracked)
    }

    /// How many addresses, accounts and turns are remembered (each at most `policy.maxTracked`).
    public var tracked: (addresses: Int, accounts: Int, turns: Int) { (byAddress.count, byAccount.count, turns.count) }

    /// Whether an attempt on `account` from `address` may have its password checked now. `clearedAt`: the account's
    /// `failuresClearedAt`. `account` must be exactly the name the account lookup uses.
    public mutating func check(account: String, address: String, clearedAt: Date?, now: Date) -> Decision {
        let fromAddress = recent(byAddress[address] ?? [], now: now).filter { $0.account != account || !Self.cleared($0.at, clearedAt) }
        if let end = Self.end(of: fromAddress.map(\.at), free: policy.addressFreeFailures, max: policy.addressMaxDelay, policy: policy), end > now {
            return .wait(until: end, because: .address)
        }
        let onAccount = recent(byAccount[account] ?? [], now: now).filter { !Self.cleared($0, clearedAt) }
        guard let end = Self.end(of: onAccount, free: policy.accountFreeFailures, max: policy.accountMaxDelay, policy: policy), end > now else {
            return .proceed
        }
        guard fromAddress.isEmpty else { return .wait(until: end, because: .account) }
        let key = TurnKey(address: address, account: account)
        if let turn = turns[key], now < turn.addingTimeInterval(policy.turnLifetime) {
            return turn <= now ? .proceed : .wait(until: turn, because: .account)
        }
        turns.set(key, end)
        return .wait(until: end, because: .account)
    }

    /// A wrong password (or an unknown or disabled account) after `check` said proceed.
    public mutating func recordFailure(account: String, address: String, now: Date) {
        var a = recent(byAddress[address] ?? [], now: now)
        a.append(Failure(at: now, account: account))
        byAddress.set(address, Array(a.suffix(Self.keep)))
        var b = recent(byAccount[account] ?? [], now: now)
        b.append(now)
        byAccount.set(account, Array(b.suffix(Self.keep)))
        turns.set(TurnKey(address: address, account: account), nil)  // no longer clean: the turn is spent
    }

    /// A correct password: the account's failures and this address's failures on it are forgiven.
    public mutating func recordSuccess(account: String, address: String) {
        byAccount.set(account, nil)
        let rest = (byAddress[address] ?? []).filter { $0.account != account }
        byAddress.set(address, rest.isEmpty ? nil : rest)
        turns.set(TurnKey(address: address, account: account), nil)
    }

    /// Failures kept per key: enough to reach either cap (40 doublings is far past both).
    static let keep = 64

    /// The current run of failures: each (and now) less than `window` plus the longest back-off after the one
    /// before it. A run ends after a quiet `window` beyond any back-off (so the back-off keeps doubling up to its cap
    /// while an attacker keeps going, and is forgotten once they stop).
    private func recent(_ list: [Date], now: Date) -> [Date] { run(list, at: { $0 }, now: now, gap: policy.window + policy.accountMaxDelay) }
    private func recent(_ list: [Failure], now: Date) -> [Failure] { run(list, at: \.at, now: now, gap: policy.window + policy.addressMaxDelay) }

    private func run<T>(_ list: [T], at: (T) -> Date, now: Date, gap: TimeInterval) -> [T] {
        var start = list.endIndex
        var next = now
        while start > list.startIndex, next.timeIntervalSince(at(list[start - 1])) < gap {
            start -= 1
            next = at(list[start])
        }
        return Array(list[start...])
    }

    private static func cleared(_ at: Date, _ clearedAt: Date?) -> Bool { clearedAt.map { at <= $0 } ?? false }

    private static func end(of failures: [Date], free: Int, max: TimeInterval, policy: SignInPolicy) -> Date? {
        guard let last = failures.max(),
              let delay = SignInPolicy.delay(failures: failures.count, free: free, first: policy.firstDelay, max: max) else { return nil }
        return last.addingTimeInterval(delay)
    }
}
