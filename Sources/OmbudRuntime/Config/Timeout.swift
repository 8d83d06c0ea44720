import Foundation

/// A timeout option (`--statement-timeout 30s`, `--shutdown-timeout 25s`): a whole number with `ms`, `s`, `m` or
/// `h`, or, where turning it off is allowed, `0` / `off`.
public struct Timeout: Sendable, Equatable, CustomStringConvertible {
    /// Milliseconds; 0 means off.
    public let milliseconds: Int

    public static let off = Timeout(milliseconds: 0)

    public init(milliseconds: Int) { self.milliseconds = milliseconds }

    public init(parsing text: String, allowOff: Bool) throws {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "off" || text == "0" {
            guard allowOff else { throw TimeoutError("must be longer than 0, got '\(text)'") }
            self = .off
            return
        }
        // PostgreSQL takes at most Int32.max milliseconds.
        guard let milliseconds = DurationText.parse(text, units: Self.units, maximum: Int(Int32.max)) else {
            throw TimeoutError("is a whole number with ms, s, m or h (500ms, 30s, 2m)\(allowOff ? " or off" : ""), got '\(text)'")
        }
        self.milliseconds = milliseconds
    }

    private static let units: [DurationText.Unit] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]

    public var isOff: Bool { milliseconds == 0 }
    public var seconds: Double { Double(milliseconds) / 1000 }

    public var description: String {
        milliseconds == 0 ? "off" : DurationText.format(milliseconds, units: Self.units)
    }
}

public struct TimeoutError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
