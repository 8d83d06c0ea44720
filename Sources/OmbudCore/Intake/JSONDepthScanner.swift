/// Finds how deeply arrays and objects nest in JSON text without parsing it: one pass over the bytes, counting
/// brackets outside strings, constant stack. Run before the decoder, so a 10,000-level payload is refused in
/// microseconds instead of exhausting a recursive parser's stack.
enum JSONDepthScanner {
    /// True when some array or object opens deeper than `limit`. Stops at the first such bracket. Malformed text
    /// is not judged here (the decoder reports it), only its nesting.
    static func exceeds(_ bytes: some Collection<UInt8>, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return false
    }
}
