/// Input limits for inbound tickets (DESIGN.md, Security). Lengths count Unicode scalars, which do not depend on
/// the Unicode version's grapheme rules and bound the UTF-8 size at four bytes each.
public struct TicketLimits: Sendable, Equatable {
    /// The whole message, checked first so nothing else is spent on a huge payload. A 16 KiB body can grow to
    /// ~96 KiB when a sender escapes every character as `\uXXXX`.
    public var maxMessageBytes = 256 * 1024
    /// Arrays and objects open at once; a ticket needs 3 (ticket → attachments → attachment).
    public var maxDepth = 16
    /// UTF-8 bytes of the normalised body.
    public var maxBodyBytes = 16 * 1024
    public var maxChannel = 32
    public var maxExternalId = 200
    public var maxThreadId = 200
    public var maxCustomerId = 200
    /// RFC 5321's limit for a path.
    public var maxEmail = 254
    public var maxLocale = 35
    public var maxSubject = 500
    public var maxOrderRef = 100
    public var maxAttachments = 20
    public var maxAttachmentName = 255
    public var maxContentType = 255

    public init() {}

    public static let standard = TicketLimits()
}
