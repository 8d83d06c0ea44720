/// Why an inbound ticket was refused. Stored with the parked message and logged, so it names the rule and the
/// field (a JSON path such as `attachments[2].size`) but never echoes the ticket's content.
/// Codable as `{"code", "field", "message"}` for the case timeline's event detail.
public struct TicketRejection: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case notUTF8 = "not_utf8"
        case messageTooLarge = "message_too_large"
        case tooDeep = "too_deep"
        case notJSON = "not_json"
        case notAnObject = "not_an_object"
        case wrongSchema = "wrong_schema"
        case missingField = "missing_field"
        case emptyField = "empty_field"
        case wrongType = "wrong_type"
        case fieldTooLong = "field_too_long"
        case bodyTooLarge = "body_too_large"
        case badTimestamp = "bad_timestamp"
        case badEmail = "bad_email"
        case badChannel = "bad_channel"
        case badLocale = "bad_locale"
        case controlCharacter = "control_character"
        case tooManyAttachments = "too_many_attachments"
        case negativeSize = "negative_size"
    }

    public let code: Code
    /// The JSON path of the offending field, when one field is to blame.
    public let field: String?
    /// A human sentence for operators and agents; safe to log.
    public let message: String

    public init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// `code: message`, the form stored as a parked message's reason.
    public var description: String { "\(code.rawValue): \(message)" }
}
