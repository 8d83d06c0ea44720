/// Tracks publisher-confirm sequence numbers. IO-free.
///
/// Sequence numbers are handed out 1, 2, 3, ... per channel. The broker
/// confirms them with basic.ack / basic.nack, possibly with `multiple`
/// (everything up to and including the tag) and possibly out of order.
/// Storage is a watermark (everything below it is settled) plus the set of
/// settled tags above it, so a long run of in-order acks costs O(1).
public struct PublisherConfirmTracker: Sendable, Equatable {
    /// The sequence number the next publish will get.
    public private(set) var nextSequenceNumber: UInt64 = 1
    /// Every tag below this is settled (acked or nacked).
    private var settledBelow: UInt64 = 1
    /// Settled tags >= settledBelow.
    private var settledAbove: Set<UInt64> = []
    /// Nacked tags not yet taken by `takeNacked()`.
    public private(set) var nacked: [UInt64] = []

    public init() {}

    public var outstanding: Int {
        Int(nextSequenceNumber - settledBelow) - settledAbove.count
    }

    public func isOutstanding(_ tag: UInt64) -> Bool {
        tag >= settledBelow && tag < nextSequenceNumber && !settledAbove.contains(tag)
    }

    /// Registers a publish and returns its sequence number.
    public mutating func recordPublish() -> UInt64 {
        defer { nextSequenceNumber += 1 }
        return nextSequenceNumber
    }

    /// Applies a basic.ack. Returns false if it confirms a tag never published
    /// (a protocol violation by the peer).
    @discardableResult
    public mutating func ack(_ tag: UInt64, multiple: Bool) -> Bool {
        settle(tag, multiple: multiple, nack: false)
    }

    /// Applies a basic.nack; the affected tags are recorded in `nacked`.
    @discardableResult
    public mutating func nack(_ tag: UInt64, multiple: Bool) -> Bool {
        settle(tag, multiple: multiple, nack: true)
    }

    /// Returns and clears the nacked tags.
    public mutating func takeNacked() -> [UInt64] {
        defer { nacked = [] }
        return nacked
    }

    /// Forgets everything: used when the channel is reopened and numbering restarts.
    public mutating func reset() {
        self = PublisherConfirmTracker()
    }

    private mutating func settle(_ tag: UInt64, multiple: Bool, nack: Bool) -> Bool {
        guard tag < nextSequenceNumber else { return false }
        if multiple {
            guard tag >= settledBelow else { return true }  // already settled: duplicate
            if nack {
                var t = settledBelow
                while t <= tag {
                    if !settledAbove.contains(t) { nacked.append(t) }
                    t += 1
                }
            }
            settledBelow = tag + 1
            if !settledAbove.isEmpty {
                settledAbove = settledAbove.filter { $0 > tag }
            }
        } else {
            guard tag >= settledBelow, !settledAbove.contains(tag) else { return true }
            if nack { nacked.append(tag) }
            if tag == settledBelow {
                settledBelow += 1
            } else {
                settledAbove.insert(tag)
            }
        }
        while !settledAbove.isEmpty, settledAbove.remove(settledBelow) != nil {
            settledBelow += 1
        }
        return true
    }
}
