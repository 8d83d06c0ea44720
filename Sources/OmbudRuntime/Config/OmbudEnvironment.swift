import Foundation

/// Configuration from the environment. A secret may come from a file: `OMBUD_AMQP_URL_FILE=/run/secrets/amqp`
/// is read when `OMBUD_AMQP_URL` is not set.
public enum OmbudEnvironment {
    public static func value(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let value = environment[name], !value.isEmpty { return value }
        if let path = environment[name + "_FILE"], !path.isEmpty,
           let contents = try? String(contentsOfFile: path, encoding: .utf8) {
            return contents.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    public static let defaultAMQPURL = "amqp://guest:guest@127.0.0.1:5672/%2f"
    public static let defaultDatabaseURL = "postgresql://127.0.0.1:5432/ombud"

    public static var amqpURL: String { value("OMBUD_AMQP_URL") ?? defaultAMQPURL }
    public static var databaseURL: String { value("OMBUD_DATABASE_URL") ?? defaultDatabaseURL }
}
