import AMQP
import Foundation
import Logging
import Metrics
import Postgres

/// One lane: a dedicated thread that owns a consumer connection, a publisher connection and a
/// database connection (librabbitmq-c and libpq block and are not thread-safe per connection).
///
/// The loop: take up to B deliveries → one transaction (handlers, receipts) → commit → publish the
/// outputs → (next batch's transaction) → wait for the confirms → ack the batch with `multiple`.
/// A batch is acked only after its commit and its confirms, so a crash at any point loses nothing:
/// unacked deliveries come back and their receipts answer them.
final class Lane: @unchecked Sendable {
    let index: Int
    let stage: any Stage
    let settings: LaneSettings
    let control: LaneControl
    private var logger: Logger

    private var consumer: AMQPConsumer?
    private var publisher: AMQPPublisher?
    private var database: PostgresConnection?
    private var backoff = Backoff(initial: 0.05, maximum: 5)
    /// Deliveries taken from the consumer but not yet in a batch (the previous batch was full).
    private var carried: [AMQPDelivery] = []
    /// The batch committed and published whose confirms are outstanding: it is acked once the next
    /// batch's transaction has run, so the broker's confirm latency overlaps the database work.
    private var inFlight: InFlightBatch?

    private struct InFlightBatch {
        var lastDeliveryTag: UInt64
        var count: Int
        var started: DispatchTime
        var dispositions: [Disposition]
    }

    private let processed: Counter
    private let duplicates: Counter
    private let parked: Counter
    private let retried: Counter
    private let batchTimer: Metrics.Timer
    private let batchSizes: Recorder

    init(index: Int, stage: any Stage, settings: LaneSettings, control: LaneControl, logger: Logger) {
        self.index = index
        self.stage = stage
        self.settings = settings
        self.control = control
        var logger = logger
        logger[metadataKey: "stage"] = .string(stage.name)
        logger[metadataKey: "lane"] = .stringConvertible(index)
        self.logger = logger
        let dimensions = [("stage", stage.name)]
        processed = Counter(label: "ombud_messages_total", dimensions: dimensions + [("outcome", "processed")])
        duplicates = Counter(label: "ombud_messages_total", dimensions: dimensions + [("outcome", "duplicate")])
        parked = Counter(label: "ombud_messages_total", dimensions: dimensions + [("outcome", "parked")])
        retried = Counter(label: "ombud_messages_total", dimensions: dimensions + [("outcome", "retried")])
        batchTimer = Metrics.Timer(label: "ombud_batch_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        batchSizes = Recorder(label: "ombud_batch_size", dimensions: dimensions)
    }

    private var queue: String { settings.names.queue(stage: stage.name) }
    /// Receipts and parked rows are keyed by the stage's queue name, so topologies under other
    /// prefixes (tests, benchmarks) never see each other's receipts.
    private var receiptStage: String { queue }
    private func connectionName(_ role: String) -> String {
        "\(settings.processName)-\(stage.name)-lane\(index)-\(role)"
    }

    /// Runs until shutdown is requested; then finishes the batch in hand and closes.
    func run() {
        logger.info("lane starting", metadata: ["queue": .string(queue)])
        while !control.isStopping {
            do {
                try connectIfNeeded()
                // With a batch awaiting its confirms, poll briefly: an idle queue must not hold its ack back.
                let batch = try takeBatch(firstWait: inFlight == nil ? settings.pollInterval : settings.batchFillWait)
                if batch.isEmpty {
                    try settle()
                    try publisher?.serviceHeartbeat()
                    continue
                }
                try process(batch)
                backoff.reset()
            } catch {
                let delay = backoff.nextDelay()
                logger.warning("lane error; reconnecting", metadata: ["error": .string(String(describing: error)),
                                                                      "retry_in_s": .stringConvertible(delay)])
                dropAllConnections()
                control.pause(seconds: delay)
            }
        }
        // Shutdown: the batch in hand was committed and published; wait for its confirms and ack it.
        do { try settle() } catch {
            logger.warning("could not settle the last batch; the broker will redeliver it", metadata: ["error": .string("\(error)")])
        }
        closeAll()
        logger.info("lane stopped")
    }

    // MARK: Connections

    private func connectIfNeeded() throws {
        if database == nil || database?.isConnected == false {
            database?.close()
            database = try PostgresConnection(settings.databaseURL, applicationName: connectionName("db"), session: settings.databaseSession)
        }
        if publisher == nil {
            publisher = try AMQPPublisher(url: settings.amqpURL, options: AMQPConnectionOptions(name: connectionName("publisher")))
        }
        if consumer == nil {
            carried.removeAll()
            consumer = try AMQPConsumer(url: settings.amqpURL, options: AMQPConnectionOptions(name: connectionName("consumer")),
                                        queue: queue, prefetch: UInt16(clamping: settings.batchSize * 2))
        }
        control.setReady(lane: index, true)
    }

    /// After any connection failure all three are rebuilt: unacked deliveries return to the queue and
    /// their receipts (if the batch committed) make the redelivery cheap and exact.
    private func dropAllConnections() {
        closeAll()
        carried.removeAll()
        inFlight = nil   // committed but unacked: redelivered, then answered from its receipts
    }

    /// Closing the consumer returns its unacked deliveries (including `carried`) to the queue.
    private func closeAll() {
        control.setReady(lane: index, false)
        consumer?.close(); consumer = nil
        publisher?.close(); publisher = nil
        database?.close(); database = nil
    }

    // MARK: Batches

    /// Up to B deliveries: waits one poll interval for the first, then at most `batchFillWait` for more.
    /// A delivery that has come back several times is processed alone, so it cannot sink a batch.
    private func takeBatch(firstWait: Double) throws -> [AMQPDelivery] {
        guard let consumer else { return [] }
        var batch: [AMQPDelivery] = []
        if !carried.isEmpty {
            batch.append(carried.removeFirst())
        } else if let first = try consumer.next(timeout: firstWait) {
            batch.append(first)
        } else {
            return []
        }
        if MessageIdentity.deliveryCount(of: batch[0]) > 1 { return batch }
        let deadline = Date().addingTimeInterval(settings.batchFillWait)
        while batch.count < settings.batchSize {
            let next: AMQPDelivery?
            if !carried.isEmpty {
                next = carried.removeFirst()
            } else {
                let remaining = deadline.timeIntervalSinceNow
                next = try consumer.next(timeout: max(0, remaining))
            }
            guard let delivery = next else { break }
            if MessageIdentity.deliveryCount(of: delivery) > 1 {
                carried.insert(delivery, at: 0)   // suspect: gets a batch of its own next time
                break
            }
            batch.append(delivery)
        }
        return batch
    }

    /// Commit this batch, then settle the previous one (its confirms have had the whole transaction to
    /// arrive), then publish this batch's outputs and leave it in flight.
    private func process(_ batch: [AMQPDelivery]) throws {
        let started = DispatchTime.now()
        let messages = batch.map(MessageIdentity.stageMessage(from:))
        let dispositions = try runTransaction(batch: batch, messages: messages)
        try settle()

        guard let publisher else { throw AMQPError.laneClosed }
        for disposition in dispositions {
            for output in disposition.outputs {
                try publisher.publish(exchange: output.exchange, routingKey: output.routingKey,
                                      body: Array(output.body.utf8), properties: output.amqpProperties)
            }
        }
        inFlight = InFlightBatch(lastDeliveryTag: batch[batch.count - 1].deliveryTag, count: batch.count,
                                 started: started, dispositions: dispositions)
    }

    /// Waits for the in-flight batch's confirms, then acks it: deliveries on a channel are acked in
    /// order, so one `multiple` ack covers the batch.
    private func settle() throws {
        guard let batch = inFlight else { return }
        guard let publisher, let consumer else { throw AMQPError.laneClosed }
        if publisher.outstandingConfirms > 0 {
            try publisher.waitForConfirms(timeout: settings.confirmTimeout)
        }
        try consumer.ack(batch.lastDeliveryTag, multiple: true)
        inFlight = nil

        batchTimer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - batch.started.uptimeNanoseconds))
        batchSizes.record(batch.count)
        for disposition in batch.dispositions {
            switch disposition {
            case .processed: processed.increment()
            case .duplicate: duplicates.increment()
            case .park(_, let reason, let output, let caseId):
                parked.increment()
                var metadata: Logger.Metadata = ["message_id": .string(output.messageId), "reason": .string(reason)]
                if let caseId { metadata["case_id"] = .string(caseId) }
                logger.warning("message parked", metadata: metadata)
            case .retry(let output):
                retried.increment()
                logger.info("message scheduled for retry", metadata: ["message_id": .string(output.messageId),
                                                                      "tier": .string(output.routingKey),
                                                                      "error": .string(output.headers["x-ombud-last-error"] ?? "")])
            }
        }
    }

    /// The batch's one transaction. Returns what to publish for each message.
    ///
    /// Fast path: the stage's batch handler runs once and the receipts are written with one statement, so
    /// a batch costs BEGIN, the handler's own statements, one INSERT and COMMIT. If the handler throws, or
    /// a message turns out to have a receipt already, the transaction is rolled back and the batch re-run
    /// with a receipt lookup and a savepoint per message, so one bad message still cannot sink the rest.
    private func runTransaction(batch: [AMQPDelivery], messages: [StageMessage]) throws -> [Disposition] {
        guard let database else { throw AMQPError.laneClosed }
        do {
            return try database.transaction { _ in try runFastPath(batch: batch, messages: messages) }
        } catch let abandoned as FastPathAbandoned {
            logger.debug("batch re-run with a savepoint per message", metadata: ["cause": .string("\(abandoned.cause)")])
            return try database.transaction { _ in try runIsolated(batch: batch, messages: messages) }
        }
    }

    /// Why the fast path gave up (never escapes `runTransaction`).
    private struct FastPathAbandoned: Error { var cause: any Error }

    /// Every message through the stage's batch handler; one receipts INSERT. No receipt lookup: a message
    /// that already has a receipt makes that INSERT fail on the primary key, and the isolated path answers
    /// it. That saves a round trip per batch; duplicates are rare (redeliveries after a crash).
    private func runFastPath(batch: [AMQPDelivery], messages: [StageMessage]) throws -> [Disposition] {
        guard let database else { throw AMQPError.laneClosed }
        // Parking a poison candidate writes a receipt: only the isolated path has looked up whether one exists.
        if batch.contains(where: { MessageIdentity.deliveryCount(of: $0) >= settings.poisonDeliveryCount }) {
            throw FastPathAbandoned(cause: StageFailure.transient("poison candidate in the batch"))
        }
        let context = StageContext(database: database, logger: logger, lane: index, names: settings.names)
        let results: [StageResult]
        do {
            results = try stage.handle(batch: messages, in: context)
            guard results.count == messages.count else {
                throw StageFailure.permanent("stage \(stage.name) returned \(results.count) results for \(messages.count) messages")
            }
        } catch {
            if FailureKind.of(error) == .connectionLost { throw error }
            throw FastPathAbandoned(cause: error)
        }
        do {
            try ReceiptStore(database: database).recordProcessed(stage: receiptStage, zip(messages, results).map {
                ($0.messageId, $1.caseId ?? $0.correlationId, $1.outputs)
            })
        } catch let error as PostgresError where error.category == .uniqueViolation {
            throw FastPathAbandoned(cause: error)
        }
        return results.map { .processed(outputs: $0.outputs, caseId: $0.caseId) }
    }

    /// Receipts looked up first; each new message through `handle(_:in:)` in its own savepoint. A message whose only
    /// receipt parked another body under its id (a corrected resubmission) is new too: nothing may vanish behind it.
    private func runIsolated(batch: [AMQPDelivery], messages: [StageMessage]) throws -> [Disposition] {
        guard let database else { throw AMQPError.laneClosed }
        let store = ReceiptStore(database: database)
        let context = StageContext(database: database, logger: logger, lane: index, names: settings.names)
        let receipts = try store.existing(stage: receiptStage, messages: messages)
        var dispositions: [Disposition] = []
        dispositions.reserveCapacity(messages.count)
        for (delivery, message) in zip(batch, messages) {
            let resubmission = receipts[message.messageId]?.parkedOtherBody == true
            if let receipt = receipts[message.messageId], !resubmission {
                dispositions.append(.duplicate(outputs: receipt.outputs))
                continue
            }
            if resubmission {
                logger.info("a parked message resubmitted with another body: handling it afresh",
                            metadata: ["message_id": .string(message.messageId)])
            }
            let deliveryCount = MessageIdentity.deliveryCount(of: delivery)
            if deliveryCount >= settings.poisonDeliveryCount {
                dispositions.append(try record(.poison(message: message, deliveryCount: deliveryCount,
                                                       stage: stage.name, names: settings.names),
                                               message: message, store: store, replacingParked: resubmission))
                continue
            }
            dispositions.append(try handleOne(message, context: context, store: store, replacingParked: resubmission))
        }
        return dispositions
    }

    /// Runs the handler for one message inside its own savepoint.
    private func handleOne(_ message: StageMessage, context: StageContext, store: ReceiptStore,
                           replacingParked: Bool) throws -> Disposition {
        let context = context.withCaseId(message.correlationId)
        do {
            return try context.database.savepoint("message") { _ in
                let result = try stage.handle(message, in: context)
                try store.record(stage: receiptStage, messageId: message.messageId, caseId: result.caseId ?? message.correlationId,
                                 outcome: "processed", outputs: result.outputs, body: message.body, replacingParked: replacingParked)
                if replacingParked {
                    try ParkedStore(database: context.database).supersede(stage: receiptStage, messageId: message.messageId)
                }
                return .processed(outputs: result.outputs, caseId: result.caseId)
            }
        } catch let error where ReceiptStore.isTaken(error) {
            // Another lane finished the same message first (a duplicate copy was in flight):
            // its effects stand, ours were rolled back with the savepoint.
            return try store.duplicate(stage: receiptStage, messageId: message.messageId)
        } catch {
            let kind = FailureKind.of(error)
            if kind == .connectionLost { throw error }   // the whole batch is re-run after reconnecting
            let disposition = Disposition.forFailure(error, kind: kind, message: message, stage: stage.name,
                                                     names: settings.names, retry: settings.retry)
            return try record(disposition, message: message, store: store, replacingParked: replacingParked)
        }
    }

    /// Records a park in the database (the parked row, the case event and a receipt with the body's digest, so a
    /// redelivery does not park twice but a different body is handled). Retries leave no trace in the database: the
    /// message is processed afresh. `replacingParked`: a resubmission parked again takes over the earlier row and receipt.
    private func record(_ disposition: Disposition, message: StageMessage, store: ReceiptStore,
                        replacingParked: Bool = false) throws -> Disposition {
        if case .park(let failure, let reason, let output, let caseId) = disposition {
            let receiptStage = self.receiptStage
            let write = { (db: PostgresConnection) in
                try ParkedStore(database: db).park(stage: receiptStage, message: message, caseId: caseId, failure: failure, reason: reason)
                try store.record(stage: receiptStage, messageId: message.messageId, caseId: caseId, outcome: "parked",
                                 outputs: [output], body: message.body, replacingParked: replacingParked)
            }
            guard replacingParked else { try write(store.database); return disposition }
            do { try store.database.savepoint("park", write) } catch is ReceiptStore.ReceiptTaken {
                // Another lane processed another copy meanwhile: that outcome stands.
                return try store.duplicate(stage: receiptStage, messageId: message.messageId)
            }
        }
        return disposition
    }
}

extension AMQPError {
    /// The lane lost a connection between steps of a batch.
    static var laneClosed: AMQPError {
        AMQPError(kind: .connectionClosed, message: "lane connection closed", isConnectionLost: true)
    }
}
