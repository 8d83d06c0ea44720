import AMQP
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// What a stage executable's `main` calls: declare the topology, start the lanes and the HTTP
/// server under one `ServiceGroup`, and shut down gracefully on SIGTERM/SIGINT (a second signal
/// exits at once; the broker redelivers whatever was unacked). A shutdown that takes longer than
/// `--shutdown-timeout`, and an HTTP server that cannot serve, end the process with a non-zero status.
public enum OmbudWorker {
    public static func run(stages: [any Stage], topology makeTopology: (TopologyNames, Topology.QueueType) -> Topology,
                           options: WorkerOptions, processName: String) async throws {
        let config = try options.resolve()
        config.logFormat.bootstrap()
        OmbudMetrics.bootstrap()
        var logger = Logger(label: processName)
        logger[metadataKey: "process"] = .string(processName)

        let topology = makeTopology(config.names, config.queueType)
        try declare(topology, url: config.amqpURL, processName: processName, logger: logger)

        let settings = LaneSettings(amqpURL: config.amqpURL, databaseURL: config.databaseURL, names: config.names,
                                    lanes: config.lanes, batchSize: config.batch,
                                    batchFillWait: Double(config.batchWaitMilliseconds) / 1000,
                                    poisonDeliveryCount: max(1, topology.deliveryLimit - 1),
                                    retry: topology.retry, processName: processName,
                                    databaseSession: config.stageDatabaseSession)
        let pool = LanePool(stages: stages, settings: settings, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: WorkerService(pool: pool), successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        // The cleaner ending (retention off, or shutdown) must not end the worker.
        services.append(.init(service: ReceiptCleanerService(databaseURL: config.databaseURL, retention: config.receiptRetention,
                                                             logger: logger),
                              successTerminationBehavior: .ignore))
        let deadline = ShutdownDeadline(timeout: config.shutdownTimeout, logger: logger)
        if config.httpPort > 0 {
            let control = pool.control
            let server = ObservabilityServer.make(port: config.httpPort, readiness: { control.allReady }, logger: logger)
            services.append(.init(service: ObservabilityService(app: server, port: config.httpPort, logger: logger,
                                                                onFailure: { deadline.arm(because: $0) }),
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        let signals = installSignalHandlers(group: group, deadline: deadline, logger: logger)
        logger.info("worker started", metadata: [
            "stages": .string(stages.map(\.name).joined(separator: ",")), "lanes": .stringConvertible(config.lanes),
            "batch": .stringConvertible(config.batch), "broker": .string(config.amqpURL.redacted),
            "http_port": .stringConvertible(config.httpPort), "receipt_retention": .string(config.receiptRetention.description),
            "statement_timeout": .string(config.statementTimeout.description), "lock_timeout": .string(config.lockTimeout.description),
            "shutdown_timeout": .string(config.shutdownTimeout.description)])
        try await group.run()
        signals.forEach { $0.cancel() }
        logger.info("worker stopped")
    }

    /// Declares the topology, waiting (with back-off) for a broker that is still starting.
    public static func declare(_ topology: Topology, url: AMQPURL, processName: String, logger: Logger) throws {
        let connection = try withReconnect(backoff: Backoff(initial: 0.2, maximum: 5), maxAttempts: 30, onFailure: { error, delay in
            logger.warning("broker not reachable; retrying", metadata: ["error": .string("\(error)"), "retry_in_s": .stringConvertible(delay)])
        }) {
            try AMQPConnection(url: url, options: AMQPConnectionOptions(name: "\(processName)-topology"))
        }
        defer { connection.close() }
        try topology.declare(on: connection)
    }

    private static func installSignalHandlers(group: ServiceGroup, deadline: ShutdownDeadline, logger: Logger) -> [any DispatchSourceSignal] {
        let received = Atomic<Int>(0)
        return [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.add(1, ordering: .relaxed).newValue == 1 {
                    logger.info("shutting down: finishing the batches in hand (signal again to exit at once)")
                    deadline.arm(because: "signal \(number)")
                    Task { await group.triggerGracefulShutdown() }
                } else {
                    logger.warning("second signal: exiting now; unacked messages will be redelivered")
                    exit(1)
                }
            }
            source.resume()
            return source
        }
    }
}
