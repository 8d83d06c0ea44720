/// The retry tiers: after a transient failure a message waits in the next tier's queue
/// (`<prefix>.retry.<tier>`, with a message TTL) and is dead-lettered back to its stage's queue.
/// After the last tier it is parked. Pure logic: no I/O.
public struct RetryPolicy: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        public var name: String
        public var delayMilliseconds: Int
        public init(name: String, delayMilliseconds: Int) {
            self.name = name
            self.delayMilliseconds = delayMilliseconds
        }
    }

    public var tiers: [Tier]

    public init(tiers: [Tier]) { self.tiers = tiers }

    public static let standard = RetryPolicy(tiers: [
        Tier(name: "1s", delayMilliseconds: 1_000),
        Tier(name: "10s", delayMilliseconds: 10_000),
        Tier(name: "1m", delayMilliseconds: 60_000),
        Tier(name: "10m", delayMilliseconds: 600_000),
    ])

    public enum Decision: Sendable, Equatable {
        /// Publish to this tier with the attempt counter raised to `nextAttempt`.
        case retry(tier: Tier, nextAttempt: Int)
        case park
    }

    /// `attempt` is how many retries the message has had so far (`x-ombud-attempt`, 0 at first).
    public func decide(attempt: Int) -> Decision {
        guard attempt >= 0, attempt < tiers.count else { return .park }
        return .retry(tier: tiers[attempt], nextAttempt: attempt + 1)
    }
}
