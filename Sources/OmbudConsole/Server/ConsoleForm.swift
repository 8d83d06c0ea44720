import Foundation
import Hummingbird

/// A POSTed `application/x-www-form-urlencoded` body as fields (the last value of a repeated name wins).
struct ConsoleForm: Sendable {
    static let maxBytes = 64 * 1024
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// The field trimmed, nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    static func read(_ request: Request) async throws -> ConsoleForm {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(.unsupportedMediaType, message: "Send the console's forms as application/x-www-form-urlencoded.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The form is larger than \(maxBytes / 1024) KiB.")
        }
        return try parse(String(buffer: buffer))
    }

    static func parse(_ body: String) throws -> ConsoleForm {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw HTTPError(.badRequest, message: "The form is not valid URL-encoded text.")
            }
            fields[name] = value
        }
        return ConsoleForm(fields: fields)
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
