import Foundation

/// Sign-in throttling that slows guessing without locking anyone out: after a few failures, each further
/// attempt for the same account (or from the same address) waits a little longer, up to a cap; the right
/// password always gets in once the pause is over, so no one can keep a worker out by guessing wrong.
public enum SignInThrottle {
    /// Failures for one account before attempts are slowed, and the longest pause.
    public static let accountFree = 3
    public static let accountCap: TimeInterval = 30
    /// Failures from one address (any accounts: password spraying) before its attempts are slowed; an office
    /// behind one address has room for everyone's typos.
    public static let addressFree = 20
    public static let addressCap: TimeInterval = 60

    /// The pause after `failures` recent failures: none for the first `free`, then 1, 2, 4 … seconds up to `cap`.
    public static func pause(failures: Int, free: Int, cap: TimeInterval) -> TimeInterval {
        guard failures >= free else { return 0 }
        return min(cap, pow(2, Double(min(failures - free, 30))))
    }

    /// Seconds still to wait before the next attempt is heard (0: go ahead).
    public static func wait(
        account: (count: Int, latest: Date?), address: (count: Int, latest: Date?), now: Date
    ) -> TimeInterval {
        func remaining(_ f: (count: Int, latest: Date?), _ free: Int, _ cap: TimeInterval) -> TimeInterval {
            guard let latest = f.latest else { return 0 }
            return max(
                0, latest.addingTimeInterval(pause(failures: f.count, free: free, cap: cap)).timeIntervalSince(now))
        }
        return max(remaining(account, accountFree, accountCap), remaining(address, addressFree, addressCap))
    }
}
