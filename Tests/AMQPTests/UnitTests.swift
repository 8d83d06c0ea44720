import AMQP
import Foundation
import Testing

@Suite struct URLParsingTests {
    @Test func plainURLWithDefaults() throws {
        let url = try AMQPURL("amqp://guest:guest@127.0.0.1:5682/%2f")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 5682)
        #expect(url.vhost == "/")
        #expect(url.user == "guest")
        #expect(url.password == "guest")
        #expect(url.tls == false)
        #expect(url.heartbeat == 30)
        #expect(url.connectTimeout == 5)
        #expect(url.caCertPath == nil)

        let bare = try AMQPURL("amqp://broker")
        #expect(bare.port == 5672)
        #expect(bare.vhost == "/")
        #expect(bare.user == "guest")
        #expect(try AMQPURL("amqp://broker/").vhost == "/")
        #expect(try AMQPURL("AMQP://broker/jobs").vhost == "jobs")
        #expect(try AMQPURL("amqp://").host == "localhost")
    }

    @Test func amqpsDefaultsAndQuery() throws {
        let url = try AMQPURL("amqps://u:p@mq.example.com/prod")
        #expect(url.tls)
        #expect(url.port == 5671)
        #expect(url.verifyPeer)
        #expect(url.vhost == "prod")

        let tuned = try AMQPURL(
            "amqps://u:p@mq.example.com:5999/prod?heartbeat=5&connection_timeout=2500&verify=false&cacertfile=%2Fetc%2Fca.pem&channel_max=10")
        #expect(tuned.port == 5999)
        #expect(tuned.heartbeat == 5)
        #expect(tuned.connectTimeout == 2.5)
        #expect(tuned.verifyPeer == false)
        #expect(tuned.caCertPath == "/etc/ca.pem")
    }

    @Test func percentDecoding() throws {
        let url = try AMQPURL("amqp://us%40er:p%3As%2Fs%25@host:1234/my%2Fvhost")
        #expect(url.user == "us@er")
        #expect(url.password == "p:s/s%")
        #expect(url.vhost == "my/vhost")
        #expect(try AMQPURL("amqp://h/caf%C3%A9").vhost == "café")
        #expect(try AMQPURL("amqp://user@h").password == "")
    }

    @Test func ipv6Host() throws {
        let url = try AMQPURL("amqp://[::1]:5682/")
        #expect(url.host == "::1")
        #expect(url.port == 5682)
        #expect(url.redacted == "amqp://guest:***@[::1]:5682/%2F")
    }

    @Test(arguments: [
        "", "localhost", "http://host", "amqp:/host", "amqp://host:abc", "amqp://host:0", "amqp://host:70000",
        "amqp://host/a/b", "amqp://u:p%zz@h", "amqp://h/%", "amqp://h?heartbeat=-1", "amqp://h?heartbeat=x",
        "amqp://h?verify=maybe", "amqp://h?connection_timeout=0", "amqp://[::1", "amqp://h/#frag",
    ])
    func rejectsBadURLs(_ text: String) {
        #expect {
            _ = try AMQPURL(text)
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.kind == .invalidURL && error.message.contains("invalid AMQP URL")
        }
    }

    @Test func redactedHidesPassword() throws {
        let url = try AMQPURL("amqp://worker:s3cret@10.0.0.1:5682/%2f")
        #expect(url.redacted == "amqp://worker:***@10.0.0.1:5682/%2F")
        #expect(!url.redacted.contains("s3cret"))
        #expect(try AMQPURL("amqps://a:b@h/v").redacted == "amqps://a:***@h:5671/v")
    }
}

@Suite struct ConfirmTrackerTests {
    @Test func inOrderAcks() {
        var tracker = PublisherConfirmTracker()
        do { let sequence = tracker.recordPublish(); #expect(sequence == 1) }
        do { let sequence = tracker.recordPublish(); #expect(sequence == 2) }
        #expect(tracker.outstanding == 2)
        do { let settled = tracker.ack(1, multiple: false); #expect(settled) }
        #expect(tracker.outstanding == 1)
        do { let settled = tracker.ack(2, multiple: false); #expect(settled) }
        #expect(tracker.outstanding == 0)
        do { let nacked = tracker.takeNacked(); #expect(nacked.isEmpty) }
    }

    @Test func ackMultiple() {
        var tracker = PublisherConfirmTracker()
        for _ in 0..<10 { _ = tracker.recordPublish() }
        do { let settled = tracker.ack(7, multiple: true); #expect(settled) }
        #expect(tracker.outstanding == 3)
        #expect(!tracker.isOutstanding(7))
        #expect(tracker.isOutstanding(8))
        do { let settled = tracker.ack(10, multiple: true); #expect(settled) }
        #expect(tracker.outstanding == 0)
        // Duplicate / late confirms are harmless.
        do { let settled = tracker.ack(3, multiple: false); #expect(settled) }
        do { let settled = tracker.ack(9, multiple: true); #expect(settled) }
        #expect(tracker.outstanding == 0)
    }

    @Test func outOfOrderAcks() {
        var tracker = PublisherConfirmTracker()
        for _ in 0..<5 { _ = tracker.recordPublish() }
        do { let settled = tracker.ack(3, multiple: false); #expect(settled) }
        do { let settled = tracker.ack(5, multiple: false); #expect(settled) }
        #expect(tracker.outstanding == 3)
        #expect(tracker.isOutstanding(1) && tracker.isOutstanding(2) && tracker.isOutstanding(4))
        do { let settled = tracker.ack(1, multiple: false); #expect(settled) }
        do { let settled = tracker.ack(2, multiple: false); #expect(settled) }
        #expect(tracker.outstanding == 1)
        do { let settled = tracker.ack(4, multiple: false); #expect(settled) }
        #expect(tracker.outstanding == 0)
        // Multiple over a range with singles already settled above it.
        for _ in 0..<4 { _ = tracker.recordPublish() }  // 6...9
        do { let settled = tracker.ack(9, multiple: false); #expect(settled) }
        do { let settled = tracker.ack(7, multiple: true); #expect(settled) }
        #expect(tracker.outstanding == 1)
        #expect(tracker.isOutstanding(8))
    }

    @Test func nacks() {
        var tracker = PublisherConfirmTracker()
        for _ in 0..<6 { _ = tracker.recordPublish() }
        do { let settled = tracker.nack(2, multiple: false); #expect(settled) }
        do { let settled = tracker.ack(3, multiple: false); #expect(settled) }
        do { let settled = tracker.nack(5, multiple: true); #expect(settled) }  // nacks 1 and 4 and 5; 2 already nacked, 3 acked
        #expect(tracker.outstanding == 1)
        do { let nacked = tracker.takeNacked(); #expect(nacked == [2, 1, 4, 5]) }
        do { let nacked = tracker.takeNacked(); #expect(nacked.isEmpty) }
        do { let settled = tracker.ack(6, multiple: false); #expect(settled) }
        #expect(tracker.outstanding == 0)
    }

    @Test func rejectsUnknownTags() {
        var tracker = PublisherConfirmTracker()
        do { let settled = tracker.ack(1, multiple: false); #expect(!settled) }
        _ = tracker.recordPublish()
        do { let settled = tracker.ack(2, multiple: true); #expect(!settled) }
        #expect(tracker.outstanding == 1)
        tracker.reset()
        #expect(tracker.outstanding == 0)
        #expect(tracker.nextSequenceNumber == 1)
    }
}

@Suite struct BackoffTests {
    @Test func growsAndCapsWithoutJitter() {
        var backoff = Backoff(initial: 0.1, maximum: 1, multiplier: 2, jitter: 0)
        let delays = (0..<8).map { _ in backoff.nextDelay() }
        let expected = [0.1, 0.2, 0.4, 0.8, 1, 1, 1, 1]
        for (delay, want) in zip(delays, expected) { #expect(abs(delay - want) < 1e-9) }
        backoff.reset()
        let first = backoff.nextDelay()
        #expect(first == 0.1)
    }

    @Test func jitterStaysInBounds() {
        var backoff = Backoff(initial: 0.1, maximum: 10, multiplier: 2, jitter: 0.2)
        for _ in 0..<10_000 {
            let base = backoff.nextBaseDelay
            let delay = backoff.nextDelay()
            #expect(delay >= base * 0.8 - 1e-12 && delay <= min(10, base * 1.2) + 1e-12)
            #expect(delay <= 10)
        }
        #expect(backoff.nextBaseDelay == 10)  // capped, no overflow after many attempts
    }

    @Test func withReconnectRetriesUntilSuccess() throws {
        var calls = 0
        var reported: [Double] = []
        let value = try withReconnect(
            backoff: Backoff(initial: 0.001, maximum: 0.004, jitter: 0),
            onFailure: { _, delay in reported.append(delay) }
        ) {
            calls += 1
            if calls < 4 { throw AMQPError(kind: .connectionFailed, message: "down", isConnectionLost: true) }
            return "up"
        }
        #expect(value == "up")
        #expect(calls == 4)
        #expect(reported == [0.001, 0.002, 0.004])
    }

    @Test func withReconnectGivesUp() {
        var calls = 0
        #expect(throws: AMQPError.self) {
            try withReconnect(backoff: Backoff(initial: 0.001, jitter: 0), maxAttempts: 3) {
                calls += 1
                throw AMQPError(kind: .connectionFailed, message: "down")
            }
        }
        #expect(calls == 3)

        var stopCalls = 0
        #expect(throws: AMQPError.self) {
            try withReconnect(backoff: Backoff(initial: 10, jitter: 0), shouldStop: { stopCalls += 1; return true }) {
                throw AMQPError(kind: .connectionFailed, message: "down")
            }
        }
        #expect(stopCalls == 1)
    }
}
