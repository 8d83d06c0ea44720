import AMQP
import ArgumentParser
import Logging
import OmbudRuntime

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Print the broker topology (exchanges, queues, arguments, bindings); --declare also declares it.")

    @Flag(help: "Declare the topology on the broker (idempotent).")
    var declare = false

    @Option(help: "Broker URL (env OMBUD_AMQP_URL).")
    var amqpURL: String?

    @Option(help: "Prefix of every exchange and queue name.")
    var prefix: String = "ombud"

    @Option(help: "Stage queue type: quorum or classic.")
    var queueType: String = "quorum"

    func run() throws {
        guard let type = Topology.QueueType(rawValue: queueType) else {
            throw ValidationError("--queue-type must be quorum or classic")
        }
        let topology = Topology.ombud(names: TopologyNames(prefix: prefix), queueType: type)
        print(topology.description)
        if declare {
            let url = try AMQPURL(amqpURL ?? OmbudEnvironment.amqpURL)
            try OmbudWorker.declare(topology, url: url, processName: "ombudctl", logger: Logger(label: "ombudctl"))
            print("declared on \(url.redacted)")
        }
    }
}
