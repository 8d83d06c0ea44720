import Foundation
import OmbudJSON

/// Turns the raw bytes of an inbound `ombud.ticket.v1` into a normalised `TicketV1`, or a `TicketRejection` that says
/// precisely which rule failed. Pure: no I/O, no clock, no locale; the same bytes always give the same answer, so a
/// replayed parked message is judged the same way.
///
/// Checks run cheapest first (size, UTF-8, nesting depth, then the decoder), so hostile input costs one linear scan.
/// Normalisation: every string is NFC and trimmed; optional strings that end up empty become absent; `channel` and
/// the e-mail's domain are lower-cased, `content_type` too; `_` in a locale becomes `-`; control characters other
/// than tab and line breaks are removed from `subject` and `body` (free text), and refused in ids.
public enum TicketValidation {
    public static func validate(_ bytes: [UInt8], limits: TicketLimits = .standard) -> Result<TicketV1, TicketRejection> {
        do { return .success(try parse(bytes, limits: limits)) } catch { return .failure(error) }
    }

    public static func validate(_ data: Data, limits: TicketLimits = .standard) -> Result<TicketV1, TicketRejection> {
        validate(Array(data), limits: limits)
    }

    /// The same rules for a ticket that is already decoded (a scenario's ticket, a test fixture).
    public static func validate(_ ticket: TicketV1, limits: TicketLimits = .standard) -> Result<TicketV1, TicketRejection> {
        do { return .success(try check(RawTicket(ticket), limits: limits)) } catch { return .failure(error) }
    }

    public static func parse(_ input: [UInt8], limits: TicketLimits = .standard) throws(TicketRejection) -> TicketV1 {
        // Some Windows-based channels prefix a byte order mark; it carries no meaning in UTF-8 JSON.
        let bytes = input.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(input.dropFirst(3)) : input
        guard bytes.count <= limits.maxMessageBytes else {
            throw TicketRejection(.messageTooLarge,
                                  "the message is \(bytes.count) bytes, over the limit of \(limits.maxMessageBytes)")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw TicketRejection(.notUTF8, "the message is not valid UTF-8")
        }
        guard !JSONDepthScanner.exceeds(bytes, limit: limits.maxDepth) else {
            throw TicketRejection(.tooDeep, "arrays and objects nest deeper than \(limits.maxDepth) levels")
        }
        let raw: RawTicket
        do {
            raw = try TreeJSONDecoder().decode(RawTicket.self, from: bytes)
        } catch let error as DecodingError {
            throw rejection(for: error)
        } catch {
            throw TicketRejection(.notJSON, "the message is not valid JSON")
        }
        return try check(raw, limits: limits)
    }

    // MARK: - Field rules

    static func check(_ raw: RawTicket, limits: TicketLimits) throws(TicketRejection) -> TicketV1 {
        if let schema = raw.schema, schema != MessageSchema.ticketV1 {
            let shown = isPlainToken(schema, limit: 64) ? " (got \"\(schema)\")" : ""
            throw TicketRejection(.wrongSchema, field: "schema", "schema is not \(MessageSchema.ticketV1)\(shown)")
        }

        var channel = try requiredId(raw.channel, "channel", limit: limits.maxChannel)
        channel = channel.lowercased()
        // The channel becomes a routing key segment (`reply.<channel>`): dots and wildcards would re-route replies.
        guard isChannelToken(channel) else {
            throw TicketRejection(.badChannel, field: "channel",
                                  "channel may only contain a-z, 0-9, '_' and '-', starting with a letter or digit")
        }
        let externalId = try requiredId(raw.externalId, "external_id", limit: limits.maxExternalId)
        let threadId = try optionalId(raw.threadId, "thread_id", limit: limits.maxThreadId)
        let orderRef = try optionalId(raw.orderRef, "order_ref", limit: limits.maxOrderRef)

        let customerId = try optionalId(raw.customer?.id, "customer.id", limit: limits.maxCustomerId)
        var email = try optionalId(raw.customer?.email, "customer.email", limit: limits.maxEmail)
        if let address = email {
            guard let normalised = normaliseEmail(address) else {
                throw TicketRejection(.badEmail, field: "customer.email",
                                      "customer.email is not an e-mail address of the form local@domain.tld")
            }
            email = normalised
        }
        guard customerId != nil || email != nil else {
            throw TicketRejection(.missingField, field: "customer",
                                  "one of customer.id or customer.email is required")
        }
        var locale = try optionalId(raw.customer?.locale, "customer.locale", limit: limits.maxLocale)
        if let tag = locale {
            let normalised = tag.replacingOccurrences(of: "_", with: "-")
            guard isLanguageTag(normalised) else {
                throw TicketRejection(.badLocale, field: "customer.locale",
                                      "customer.locale is not a language tag such as de-DE")
            }
            locale = normalised
        }

        var subject: String?
        if let text = raw.subject {
            let cleaned = cleanText(text)
            try checkLength(cleaned, "subject", limit: limits.maxSubject)
            subject = cleaned.isEmpty ? nil : cleaned
        }
        guard let rawBody = raw.body else {
            throw TicketRejection(.missingField, field: "body", "body is required")
        }
        let body = cleanText(rawBody)
        guard !body.isEmpty else { throw TicketRejection(.emptyField, field: "body", "body is empty") }
        guard body.utf8.count <= limits.maxBodyBytes else {
            throw TicketRejection(.bodyTooLarge, field: "body",
                                  "body is \(body.utf8.count) bytes of UTF-8, over the limit of \(limits.maxBodyBytes)")
        }

        guard let receivedText = raw.receivedAt else {
            throw TicketRejection(.missingField, field: "received_at", "received_at is required")
        }
        guard let receivedAt = RFC3339Timestamp.parse(receivedText.trimmingCharacters(in: .whitespaces)) else {
            throw TicketRejection(.badTimestamp, field: "received_at",
                                  "received_at is not an RFC 3339 date-time with an offset, e.g. 2026-11-20T12:00:00Z")
        }

        let rawAttachments = raw.attachments ?? []
        guard rawAttachments.count <= limits.maxAttachments else {
            throw TicketRejection(.tooManyAttachments, field: "attachments",
                                  "\(rawAttachments.count) attachments, over the limit of \(limits.maxAttachments)")
        }
        var attachments: [TicketV1.Attachment] = []
        for (index, item) in rawAttachments.enumerated() {
            let path = "attachments[\(index)]"
            let name = try requiredId(item.name, path + ".name", limit: limits.maxAttachmentName)
            let contentType = try requiredId(item.contentType, path + ".content_type", limit: limits.maxContentType)
            guard !item.sizeNotWhole else {
                throw TicketRejection(.wrongType, field: path + ".size", "\(path).size must be a whole number of bytes")
            }
            guard let size = item.size else {
                throw TicketRejection(.missingField, field: path + ".size", "\(path).size is required")
            }
            guard size >= 0 else {
                throw TicketRejection(.negativeSize, field: path + ".size", "\(path).size is negative")
            }
            attachments.append(.init(name: name, contentType: contentType.lowercased(), size: size))
        }

        return TicketV1(channel: channel, externalId: externalId, threadId: threadId,
                        customer: .init(id: customerId, email: email, locale: locale),
                        subject: subject, body: body, orderRef: orderRef, receivedAt: receivedAt,
                        attachments: attachments)
    }

    static func requiredId(_ value: String?, _ field: String, limit: Int) throws(TicketRejection) -> String {
        guard let value else { throw TicketRejection(.missingField, field: field, "\(field) is required") }
        guard let id = try optionalId(value, field, limit: limit) else {
            throw TicketRejection(.emptyField, field: field, "\(field) is empty")
        }
        return id
    }

    /// Ids and other short machine fields: normalised, control and format characters (NUL, escapes, bidi
    /// overrides, zero-width joiners) refused because ids end up in logs, SQL keys and agents' screens.
    static func optionalId(_ value: String?, _ field: String, limit: Int) throws(TicketRejection) -> String? {
        guard let value else { return nil }
        let id = normalise(value)
        if id.isEmpty { return nil }
        if id.unicodeScalars.contains(where: { isControlOrFormat($0) }) {
            throw TicketRejection(.controlCharacter, field: field, "\(field) contains a control or format character")
        }
        try checkLength(id, field, limit: limit)
        return id
    }

    static func checkLength(_ value: String, _ field: String, limit: Int) throws(TicketRejection) {
        let length = value.unicodeScalars.count
        guard length <= limit else {
            throw TicketRejection(.fieldTooLong, field: field,
                                  "\(field) is \(length) characters, over the limit of \(limit)")
        }
    }

    // MARK: - Normalisation and shapes

    static func normalise(_ value: String) -> String {
        value.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Free text keeps tabs and line breaks; other control characters (NUL, which PostgreSQL's `text` cannot store,
    /// terminal escapes) are dropped rather than refused: they carry no meaning and the customer still needs an answer.
    static func cleanText(_ value: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in value.unicodeScalars where !(scalar.properties.generalCategory == .control
                                                   && scalar != "\t" && scalar != "\n" && scalar != "\r") {
            scalars.append(scalar)
        }
        return normalise(String(scalars))
    }

    static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format: return true
        default: return false
        }
    }

    static func isChannelToken(_ value: String) -> Bool {
        guard let first = value.utf8.first, isLowerAlnum(first) else { return false }
        return value.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isPlainToken(_ value: String, limit: Int) -> Bool {
        !value.isEmpty && value.utf8.count <= limit && value.utf8.allSatisfy {
            isLowerAlnum($0) || ($0 >= 0x41 && $0 <= 0x5A) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: "-")
        }
    }

    static func isLowerAlnum(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) }

    static func isAsciiAlnum(_ byte: UInt8) -> Bool { isLowerAlnum(byte) || (byte >= 0x41 && byte <= 0x5A) }

    /// `language[-subtag]*`: 2–8 letters, then subtags of 1–8 letters or digits (BCP 47's outline, not its registry).
    static func isLanguageTag(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, (2...8).contains(language.utf8.count),
              language.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.utf8.count) && $0.utf8.allSatisfy(isAsciiAlnum) }
    }

    /// A practical shape check, not RFC 5322: one `@`, a local part of 1–64 bytes without spaces or leading,
    /// trailing or doubled dots, and a domain of at least two dot-separated labels (letters, digits, hyphens,
    /// non-ASCII for internationalised names). Returns the address with its domain lower-cased.
    static func normaliseEmail(_ address: String) -> String? {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0], domain = parts[1].lowercased()
        guard (1...64).contains(local.utf8.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              !local.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard (1...63).contains(label.utf8.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.unicodeScalars.allSatisfy({ $0.value > 0x7F ? !$0.properties.isWhitespace
                                                                    : isAsciiAlnum(UInt8($0.value)) || $0 == "-" })
            else { return nil }
        }
        return "\(local)@\(domain)"
    }

    // MARK: - Decoder errors

    static func rejection(for error: DecodingError) -> TicketRejection {
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return TicketRejection(.notJSON, "the message is not valid JSON") }
            let field = path(context.codingPath)
            return TicketRejection(.wrongType, field: field, "\(field) has a value of the wrong type or out of range")
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return TicketRejection(.notAnObject, "the message is JSON but not an object")
            }
            let field = path(context.codingPath)
            return TicketRejection(.wrongType, field: field, "\(field) must be \(describe(type))")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return TicketRejection(.wrongType, field: field, "\(field) must be \(describe(type)), not null")
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return TicketRejection(.missingField, field: field, "\(field) is required")
        @unknown default:
            return TicketRejection(.notJSON, "the message could not be decoded")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out.isEmpty ? "(message)" : out
    }

    static func describe(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self { return "an integer" }
        if type == Double.self { return "a number" }
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
        return "an object"
    }
}

/// The ticket as sent, every field optional, so a missing field is reported as missing rather than as a decoder
/// failure; the decoder still reports wrong types with their path.
struct RawTicket: Decodable {
    struct Customer: Decodable {
        var id: String?
        var email: String?
        var locale: String?
    }

    struct Attachment: Decodable {
        var name: String?
        var contentType: String?
        var size: Int?
        /// Set when `size` was a number but not an integer that fits: Foundation's decoder reports that as
        /// "not valid JSON" without a path, so the size is read as a Double to name the field instead.
        var sizeNotWhole = false

        init(name: String?, contentType: String?, size: Int?) {
            self.name = name
            self.contentType = contentType
            self.size = size
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            contentType = try c.decodeIfPresent(String.self, forKey: .contentType)
            if let whole = try? c.decodeIfPresent(Int.self, forKey: .size) {
                size = whole
            } else if try c.decodeIfPresent(Double.self, forKey: .size) != nil {
                sizeNotWhole = true
            }
        }

        enum CodingKeys: String, CodingKey {
            case name
            case contentType = "content_type"
            case size
        }
    }

    var schema: String?
    var channel: String?
    var externalId: String?
    var threadId: String?
    var customer: Customer?
    var subject: String?
    var body: String?
    var orderRef: String?
    var receivedAt: String?
    var attachments: [Attachment]?

    enum CodingKeys: String, CodingKey {
        case schema, channel
        case externalId = "external_id"
        case threadId = "thread_id"
        case customer, subject, body
        case orderRef = "order_ref"
        case receivedAt = "received_at"
        case attachments
    }

    init(_ ticket: TicketV1) {
        schema = ticket.schema
        channel = ticket.channel
        externalId = ticket.externalId
        threadId = ticket.threadId
        customer = Customer(id: ticket.customer.id, email: ticket.customer.email, locale: ticket.customer.locale)
        subject = ticket.subject
        body = ticket.body
        orderRef = ticket.orderRef
        receivedAt = RFC3339Timestamp.format(ticket.receivedAt)
        attachments = ticket.attachments.map { Attachment(name: $0.name, contentType: $0.contentType, size: $0.size) }
    }
}
