import Foundation
import OmbudTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ombud-console healthcheck` against a running `ombud-console` process: readiness (/readyz) by default and liveness
/// (/healthz) with --liveness, like the workers' `healthcheck`, because the deployment files use it that way.
@Suite(.serialized)
struct ConsoleHealthcheckTests {
    @Test("healthcheck asks /readyz (fails while the database is unreachable), --liveness asks /healthz; --ready still parses")
    func readinessByDefaultLivenessOnRequest() throws {
        let closedDatabasePort = try freePort()
        let console = try ConsoleProcess(databaseURL: "postgresql://ombud_console_test@127.0.0.1:\(closedDatabasePort)/ombud")
        defer { console.stop() }
        let live = try console.waitFor(["healthcheck", "--liveness"])
        #expect(live.status == 0, "\(live.output)\n\(console.log)")
        #expect(live.output.contains("/healthz"), "\(live.output)")

        let ready = try runConsole(["healthcheck", "--port", "\(console.port)"])
        #expect(ready.status == 1, "\(ready.output)")
        #expect(ready.output.contains("/readyz answered 503"), "\(ready.output)")
        let alias = try runConsole(["healthcheck", "--ready", "--port", "\(console.port)"])
        #expect(alias.status == 1 && alias.output.contains("/readyz"), "\(alias.output)")
    }

    @Test("healthcheck exits 0 once the console's database login answers")
    func readyWithTheDatabase() throws {
        let console = try ConsoleProcess(databaseURL: try ConsoleFixture.agentLoginURL.get())
        defer { console.stop() }
        let ready = try console.waitFor(["healthcheck"])
        #expect(ready.status == 0, "\(ready.output)\n\(console.log)")
        #expect(ready.output.contains("/readyz"), "\(ready.output)")
    }
}

/// A port nothing listens on (for a moment): bound by the kernel's choice, then closed.
private func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard fd >= 0, ok else { throw TestSetupError("cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The built `ombud-console` next to the test bundle (`swift build --build-tests` builds it).
private func consoleExecutable() throws -> URL {
    let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                      URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")]
    for directory in candidates {
        let url = directory.appendingPathComponent("ombud-console")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw TestSetupError("cannot find ombud-console near \(candidates.map(\.path)): run swift build --build-tests")
}

private func runConsole(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = try consoleExecutable()
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
}

/// `ombud-console` serving on a free loopback port with the given database URL; its log goes to a temporary file.
private final class ConsoleProcess {
    let port: Int
    private let process = Process()
    private let logFile: URL

    init(databaseURL: String) throws {
        port = try freePort()
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("console-healthcheck-\(UUID()).log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw TestSetupError("cannot create \(logFile.path)")
        }
        process.executableURL = try consoleExecutable()
        process.arguments = ["--port", "\(port)", "--database-url", databaseURL, "--amqp-url", TestServices.amqpURL,
                             "--database-connections", "1"]
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// Runs `ombud-console ARGUMENTS --port PORT` until it exits 0 or 10 seconds pass; the last result.
    func waitFor(_ arguments: [String]) throws -> (status: Int32, output: String) {
        var result: (status: Int32, output: String) = (-1, "")
        for _ in 0..<100 {
            result = try runConsole(arguments + ["--port", "\(port)"])
            if result.status == 0 || !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return result
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }
}
