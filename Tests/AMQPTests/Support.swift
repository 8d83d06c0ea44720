import AMQP
import Foundation

/// Shared settings and helpers for the broker-backed tests.
enum TestEnv {
    static let urlString = ProcessInfo.processInfo.environment["OMBUD_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5682/%2f"

    static func url(heartbeat: Int? = nil) throws -> AMQPURL {
        var url = try AMQPURL(urlString)
        if let heartbeat { url.heartbeat = heartbeat }
        return url
    }

    /// rabbitmqctl: $OMBUD_RABBITMQCTL, else deploy/local/rabbitmqctl under the package root.
    static var rabbitmqctl: String {
        if let path = ProcessInfo.processInfo.environment["OMBUD_RABBITMQCTL"] { return path }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir.appendingPathComponent("deploy/local/rabbitmqctl").path
            }
            dir = dir.deletingLastPathComponent()
        }
        return "deploy/local/rabbitmqctl"
    }

    static func unique(_ prefix: String) -> String {
        "amqp-test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func options(_ name: String) -> AMQPConnectionOptions {
        AMQPConnectionOptions(name: name)
    }

    static func connection(_ name: String = unique("admin")) throws -> AMQPConnection {
        try AMQPConnection(url: url(), options: options(name))
    }

    static func publisher(_ name: String = unique("pub")) throws -> AMQPPublisher {
        try AMQPPublisher(url: url(), options: options(name))
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rabbitmqctl)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Closes, on the broker side, the connection whose connection_name is `name`.
    static func closeConnection(named name: String) throws -> Bool {
        let listing = try run(["list_connections", "pid", "client_properties", "-q", "--no-table-headers"])
        guard
            let line = listing.output.split(separator: "\n").first(where: { $0.contains("\"\(name)\"") }),
            let pid = line.split(separator: "\t").first
        else { return false }
        return try run(["close_connection", String(pid), "test"]).status == 0
    }
}

/// Polls `next` until a delivery arrives or `seconds` pass.
func nextDelivery(_ consumer: AMQPConsumer, within seconds: Double = 10) throws -> AMQPDelivery? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let delivery = try consumer.next(timeout: 0.5) { return delivery }
    }
    return nil
}
