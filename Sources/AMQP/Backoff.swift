#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exponential back-off with jitter for reconnecting. Pure: no clock, no sleeping.
///
/// Delay n (0-based) is `min(maximum, initial * multiplier^n)`, scaled by a
/// random factor in `1 ± jitter` and clamped to `0...maximum`.
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    public var multiplier: Double
    public var jitter: Double
    /// Number of delays handed out since the last reset.
    public private(set) var attempt: Int = 0
    private var current: Double

    public init(initial: Double = 0.1, maximum: Double = 10, multiplier: Double = 2, jitter: Double = 0.2) {
        self.initial = max(0, initial)
        self.maximum = max(self.initial, maximum)
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
        self.current = self.initial
    }

    /// The un-jittered delay the next call to `nextDelay()` is based on.
    public var nextBaseDelay: Double { min(current, maximum) }

    public mutating func nextDelay() -> Double {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }

    public mutating func nextDelay<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let base = nextBaseDelay
        attempt += 1
        // Stop multiplying once capped so `current` cannot overflow to infinity.
        if current < maximum { current = min(maximum, current * multiplier) }
        guard jitter > 0, base > 0 else { return base }
        let factor = 1 + Double.random(in: -jitter...jitter, using: &generator)
        return min(maximum, max(0, base * factor))
    }

    public mutating func reset() {
        attempt = 0
        current = initial
    }
}

/// Calls `connect` until it succeeds, sleeping per `backoff` between attempts.
///
/// - `maxAttempts`: nil retries forever; otherwise the last error is rethrown
///   after that many failed attempts.
/// - `shouldStop`: checked between attempts (also while sleeping); when it
///   returns true the last error is rethrown.
/// - `onFailure`: called with each error and the delay about to be slept.
public func withReconnect<T>(
    backoff: Backoff = Backoff(),
    maxAttempts: Int? = nil,
    shouldStop: () -> Bool = { false },
    onFailure: (Error, Double) -> Void = { _, _ in },
    _ connect: () throws -> T
) throws -> T {
    var backoff = backoff
    var attempts = 0
    while true {
        do {
            return try connect()
        } catch {
            attempts += 1
            if let maxAttempts, attempts >= maxAttempts { throw error }
            let delay = backoff.nextDelay()
            onFailure(error, delay)
            if shouldStop() { throw error }
            // Sleep in slices so a stop request is noticed promptly.
            var remaining = delay
            while remaining > 0 {
                let slice = min(remaining, 0.05)
                sleepSeconds(slice)
                remaining -= slice
                if shouldStop() { throw error }
            }
        }
    }
}

func sleepSeconds(_ seconds: Double) {
    guard seconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) == -1 && errno == EINTR {
        request = remaining
    }
}
