/// What happens to one message of a batch, decided without I/O from what the handler did.
/// The lane turns dispositions into receipts, parked rows and publishes.
enum Disposition: Equatable {
    /// Already processed before (a receipt exists): re-publish the recorded outputs, ack.
    case duplicate(outputs: [OutboundMessage])
    /// Handled now: record the receipt, publish the outputs, ack.
    case processed(outputs: [OutboundMessage], caseId: String?)
    /// Give up: record the parked row (and a receipt), publish a copy to the parked queue, ack.
    case park(failure: String, reason: String, output: OutboundMessage, caseId: String?)
    /// Try again later: publish to a retry tier (no receipt, so it is processed afresh), ack.
    case retry(output: OutboundMessage)

    /// The outputs to publish for this message once the batch has committed.
    var outputs: [OutboundMessage] {
        switch self {
        case .duplicate(let outputs), .processed(let outputs, _): return outputs
        case .park(_, _, let output, _), .retry(let output): return [output]
        }
    }

    /// Decides the fate of a message whose handler threw.
    static func forFailure(_ error: any Error, kind: FailureKind, message: StageMessage, stage: String,
                           names: TopologyNames, retry: RetryPolicy) -> Disposition {
        let caseId = message.correlationId
        switch kind {
        case .permanent, .connectionLost:
            return .park(failure: "permanent", reason: describe(error),
                         output: parkedCopy(of: message, stage: stage, names: names, failure: "permanent", reason: describe(error)),
                         caseId: caseId)
        case .transient:
            switch retry.decide(attempt: message.attempt) {
            case .retry(let tier, let nextAttempt):
                var headers = message.headers
                headers["x-ombud-attempt"] = String(nextAttempt)
                headers["x-ombud-last-error"] = String(describe(error).prefix(500))
                return .retry(output: OutboundMessage(
                    exchange: names.retry, routingKey: tier.name, messageId: message.messageId,
                    correlationId: message.correlationId, body: message.bodyText, headers: headers,
                    bcc: [names.queue(stage: stage)]))
            case .park:
                let reason = "retries exhausted after \(message.attempt) attempts: \(describe(error))"
                return .park(failure: "retries_exhausted", reason: reason,
                             output: parkedCopy(of: message, stage: stage, names: names, failure: "retries_exhausted", reason: reason),
                             caseId: caseId)
            }
        }
    }

    /// A message that keeps coming back without its batch completing (it crashes or hangs the
    /// worker) is parked before its handler runs again.
    static func poison(message: StageMessage, deliveryCount: Int, stage: String, names: TopologyNames) -> Disposition {
        let reason = "delivered \(deliveryCount + 1) times without completing; parked as poison"
        return .park(failure: "poison", reason: reason,
                     output: parkedCopy(of: message, stage: stage, names: names, failure: "poison", reason: reason),
                     caseId: message.correlationId)
    }

    static func parkedCopy(of message: StageMessage, stage: String, names: TopologyNames,
                           failure: String, reason: String) -> OutboundMessage {
        var headers = message.headers
        headers["x-ombud-park-reason"] = String(reason.prefix(500))
        headers["x-ombud-failure"] = failure
        return OutboundMessage(exchange: names.parked, routingKey: stage, messageId: message.messageId,
                               correlationId: message.correlationId, body: message.bodyText, headers: headers)
    }

    static func describe(_ error: any Error) -> String {
        if let failure = error as? StageFailure {
            switch failure {
            case .permanent(let reason), .transient(let reason): return reason
            }
        }
        return String(describing: error)
    }
}
