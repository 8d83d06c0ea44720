import AMQP

/// The names of the fleet's exchanges and queues under one prefix (`ombud` in production; tests and
/// benchmarks use their own prefix so they never collide).
public struct TopologyNames: Sendable, Equatable {
    public var prefix: String

    public init(prefix: String = "ombud") { self.prefix = prefix }

    public var tickets: String { "\(prefix).tickets" }
    public var pipeline: String { "\(prefix).pipeline" }
    public var replies: String { "\(prefix).replies" }
    public var retry: String { "\(prefix).retry" }
    public var parked: String { "\(prefix).parked" }

    public func queue(stage: String) -> String { "\(prefix).\(stage)" }
    public func parkedQueue(stage: String) -> String { "\(prefix).\(stage).parked" }
    public func retryQueue(tier: String) -> String { "\(prefix).retry.\(tier)" }
    /// The routing key on the pipeline exchange that feeds a stage (`case.classify`).
    public func pipelineKey(stage: String) -> String { "case.\(stage)" }
}

/// The broker topology of DESIGN.md, declared idempotently at start by every worker and by
/// `ombudctl topology --declare`. Pure description; `declare(on:)` is the only I/O.
public struct Topology: Sendable {
    public enum QueueType: String, Sendable { case quorum, classic }

    /// A stage's queue and where it is fed from.
    public struct StageQueue: Sendable {
        public var stage: String
        public var bindings: [(exchange: String, routingKey: String)]
    }

    public var names: TopologyNames
    public var stages: [StageQueue]
    public var queueType: QueueType
    /// Quorum queues only: after this many deliveries a message is dead-lettered to the parked queue.
    public var deliveryLimit: Int
    public var retry: RetryPolicy

    public init(names: TopologyNames, stages: [StageQueue], queueType: QueueType = .quorum,
                deliveryLimit: Int = 5, retry: RetryPolicy = .standard) {
        self.names = names
        self.stages = stages
        self.queueType = queueType
        self.deliveryLimit = deliveryLimit
        self.retry = retry
    }

    /// Ombud's five stages: intake is fed by the tickets exchange, the others by the pipeline.
    public static func ombud(names: TopologyNames = TopologyNames(), queueType: QueueType = .quorum) -> Topology {
        let intake = StageQueue(stage: "intake", bindings: [(names.tickets, "ticket.#")])
        let rest = ["classify", "lookup", "resolve", "escalate"].map {
            StageQueue(stage: $0, bindings: [(names.pipeline, names.pipelineKey(stage: $0))])
        }
        return Topology(names: names, stages: [intake] + rest, queueType: queueType)
    }

    /// A chain of stages fed by the pipeline exchange (pass-through tests and benchmarks).
    public static func chain(names: TopologyNames, stages: [String], queueType: QueueType = .quorum) -> Topology {
        Topology(names: names, stages: stages.map {
            StageQueue(stage: $0, bindings: [(names.pipeline, names.pipelineKey(stage: $0))])
        }, queueType: queueType)
    }

    public struct Exchange: Sendable, Equatable { public var name: String; public var type: String }
    public struct Queue: Sendable {
        public var name: String
        public var arguments: AMQPTable
        public var bindings: [(exchange: String, routingKey: String)]
    }

    public var exchanges: [Exchange] {
        [Exchange(name: names.tickets, type: "topic"), Exchange(name: names.pipeline, type: "direct"),
         Exchange(name: names.replies, type: "topic"), Exchange(name: names.retry, type: "direct"),
         Exchange(name: names.parked, type: "direct")]
    }

    public var queues: [Queue] {
        var queues: [Queue] = []
        for stage in stages {
            var arguments: AMQPTable = [
                // Messages the broker gives up on (delivery limit, rejects) land in the parked queue.
                "x-dead-letter-exchange": .string(names.parked),
                "x-dead-letter-routing-key": .string(stage.stage),
            ]
            if queueType == .quorum {
                arguments["x-queue-type"] = .string("quorum")
                arguments["x-delivery-limit"] = .int(Int64(deliveryLimit))
            }
            queues.append(Queue(name: names.queue(stage: stage.stage), arguments: arguments, bindings: stage.bindings))
            queues.append(Queue(name: names.parkedQueue(stage: stage.stage), arguments: queueTypeArgument,
                                bindings: [(names.parked, stage.stage)]))
        }
        for tier in retry.tiers {
            // A retried message is published with a BCC of its stage queue's name; when its TTL ends it is
            // dead-lettered through the default exchange with that key, i.e. straight back to its queue.
            // Classic queues: quorum queues in RabbitMQ 3.10 dead-letter at most once only.
            queues.append(Queue(name: names.retryQueue(tier: tier.name),
                                arguments: ["x-message-ttl": .int(Int64(tier.delayMilliseconds)),
                                            "x-dead-letter-exchange": .string("")],
                                bindings: [(names.retry, tier.name)]))
        }
        return queues
    }

    private var queueTypeArgument: AMQPTable {
        queueType == .quorum ? ["x-queue-type": .string("quorum")] : [:]
    }

    /// Declares everything; safe to run any number of times with the same settings.
    public func declare(on connection: AMQPConnection) throws {
        for exchange in exchanges {
            try connection.declareExchange(exchange.name, type: exchange.type, durable: true)
        }
        for queue in queues {
            try connection.declareQueue(queue.name, durable: true, arguments: queue.arguments)
            for binding in queue.bindings {
                try connection.bindQueue(queue.name, exchange: binding.exchange, routingKey: binding.routingKey)
            }
        }
    }

    /// Deletes what `declare` made (tests and benchmarks clean up their own prefix).
    public func delete(on connection: AMQPConnection) throws {
        for queue in queues { try connection.deleteQueue(queue.name) }
        for exchange in exchanges { try connection.deleteExchange(exchange.name) }
    }

    /// A human-readable listing for `ombudctl topology`.
    public var description: String {
        var lines = ["exchanges:"]
        for exchange in exchanges { lines.append("  \(exchange.name) (\(exchange.type), durable)") }
        lines.append("queues:")
        for queue in queues {
            let args = queue.arguments.keys.sorted().map { "\($0)=\(Topology.render(queue.arguments[$0]!))" }
            lines.append("  \(queue.name)" + (args.isEmpty ? "" : " [\(args.joined(separator: ", "))]"))
            for binding in queue.bindings {
                lines.append("    <- \(binding.exchange) \"\(binding.routingKey)\"")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func render(_ value: AMQPValue) -> String {
        switch value {
        case .string(let s): return s.isEmpty ? "\"\"" : s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        case .double(let d): return String(d)
        default: return "\(value)"
        }
    }
}
