import Foundation
import OmbudJSON

/// Deterministic AMQP `message_id`s. Delivery is at least once: a stage that re-runs a message must emit the same
/// ids, so the next stage's receipts (primary key (stage, message_id)) turn the duplicate into a no-op.
///
/// Ids are readable (`classify:<case>:<ticket>`) and bounded (AMQP's `shortstr` holds 255 bytes): a ticket id that
/// is not a short, plain token is replaced by `~` and a SHA-256 prefix, and `~` never occurs in a plain token, so
/// the two forms cannot collide.
public enum MessageIds {
    /// The lower-case form PostgreSQL prints, so ids built here and in SQL agree.
    public static func canonical(_ id: UUID) -> String { id.uuidString.lowercased() }

    /// The id of a ticket, from its dedupe key (channel, external_id): the same inbound ticket, published twice,
    /// gets the same id. A name-based UUID (version 8, RFC 9562) from SHA-256.
    public static func ticket(channel: String, externalId: String) -> UUID {
        var bytes = SHA256Digest.hash(Array("ombud.ticket.v1".utf8) + [0] + Array(channel.utf8) + [0] + Array(externalId.utf8))
        bytes[6] = (bytes[6] & 0x0f) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3f) | 0x80  // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// The id of the `ombud.stage.v1` message that hands `ticketId` of `caseId` to `stage` (the receiving stage).
    public static func stage(caseId: UUID, stage: PipelineStage, ticketId: String) -> String {
        "\(stage.rawValue):\(canonical(caseId)):\(ticketPart(ticketId))"
    }

    /// The id of the `ombud.reply.v1` message that `stage` (resolve, or escalate for the holding reply) sends for
    /// `ticketId` of `caseId`. The sending stage is part of the id because both may answer the same ticket.
    public static func reply(caseId: UUID, ticketId: String, from stage: PipelineStage) -> String {
        "reply:\(stage.rawValue):\(canonical(caseId)):\(ticketPart(ticketId))"
    }

    static let plainTokenLimit = 64

    static func ticketPart(_ ticketId: String) -> String {
        let isPlain = !ticketId.isEmpty && ticketId.utf8.count <= plainTokenLimit && ticketId.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F  // - . _
        }
        if isPlain { return ticketId }
        return "~" + SHA256Digest.hex(Array(ticketId.utf8)).prefix(32)
    }
}

/// AMQP properties every Ombud message carries (DESIGN.md, Messages).
public enum MessageProperties {
    public static let contentType = "application/json"
    /// Persistent: messages survive a broker restart.
    public static let deliveryMode: UInt8 = 2
    /// How many times the message has gone through the retry tiers.
    public static let attemptHeader = "x-ombud-attempt"
}

/// UTF-8 JSON bodies, written by `StreamingJSONEncoder` (no tree of boxed values: a body is encoded once per hop).
/// Keys come out in each type's coding order, so the same message always encodes to the same bytes (a re-published
/// output is byte-identical to the first one).
public enum MessageCoding {
    public static func encode<Message: Encodable>(_ message: Message) throws -> [UInt8] {
        try StreamingJSONEncoder().encode(message)
    }

    /// Trusted input only (messages between Ombud's own stages); inbound tickets go through `TicketValidation`.
    public static func decode<Message: Decodable>(_ type: Message.Type, from bytes: [UInt8]) throws -> Message {
        try TreeJSONDecoder().decode(type, from: bytes)
    }

    public static func decode<Message: Decodable>(_ type: Message.Type, from data: Data) throws -> Message {
        try TreeJSONDecoder().decode(type, from: data)
    }
}
