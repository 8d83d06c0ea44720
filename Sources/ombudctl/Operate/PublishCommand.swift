import AMQP
import ArgumentParser
import Foundation
import OmbudRuntime

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish tickets (one JSON object per line) to the tickets exchange, with confirms.",
        discussion: """
            Each line goes to <prefix>.tickets with routing key ticket.<channel> and message id
            ticket:<channel>:<external_id>. Lines that are not valid tickets are published too (routing key
            ticket.unparsed): intake parks them with the reason, so nothing is dropped on the way in.
            """)

    @Argument(help: "A JSONL file; - or nothing reads standard input.")
    var file: String?

    @Option(help: "Broker URL (env OMBUD_AMQP_URL).")
    var amqpURL: String?

    @Option(help: "Prefix of the topology's names.")
    var prefix: String = "ombud"

    func run() throws {
        let handle: FileHandle
        if let file, file != "-" {
            guard let opened = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
            handle = opened
        } else {
            handle = .standardInput
        }
        let names = TopologyNames(prefix: prefix)
        let publisher = try AMQPPublisher(url: try AMQPURL(amqpURL ?? OmbudEnvironment.amqpURL), options: .init(name: "ombudctl-publish"))
        defer { publisher.close() }
        var published = 0, unparsed = 0
        for line in String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            var properties = AMQPProperties()
            properties.contentType = "application/json"
            properties.persistent = true
            var routingKey = "ticket.unparsed"
            if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
               let channel = object["channel"] as? String, !channel.isEmpty,
               channel.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                routingKey = "ticket.\(channel)"
                if let externalId = object["external_id"] as? String { properties.messageId = "ticket:\(channel):\(externalId)" }
            } else {
                unparsed += 1
            }
            try publisher.publish(exchange: names.tickets, routingKey: routingKey, body: Array(text.utf8), properties: properties)
            published += 1
            if published % 500 == 0 {
                try publisher.waitForConfirms(timeout: 30)
                FileHandle.standardError.write(Data("published \(published)\n".utf8))
            }
        }
        try publisher.waitForConfirms(timeout: 30)
        print("published \(published) ticket(s) to \(names.tickets)" + (unparsed > 0 ? " (\(unparsed) not valid tickets: intake will park them)" : ""))
    }
}
