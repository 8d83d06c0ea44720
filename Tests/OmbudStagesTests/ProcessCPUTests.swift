import Foundation
@testable import OmbudOperations
import Testing

@Suite struct ProcessCPUTests {
    @Test func readsUserAndSystemTimeAfterTheCommandName() throws {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        // A command name with a space and a parenthesis must not shift the fields.
        let stat = "4242 (ombud (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 0 0"
        #expect(ProcessCPU.secondsFromStat(stat) == 300 / ticks)
        #expect(ProcessCPU.secondsFromStat("garbage") == nil)
    }

    @Test func thisProcessHasUsedSomeCPU() throws {
        let seconds = try #require(ProcessCPU.seconds(pid: getpid()))
        // Busy until the kernel has counted at least one more clock tick (or five seconds pass). At least one round:
        // tests run in parallel, so other threads of this process may already have moved the count on.
        var x = 0.0
        let start = Date()
        repeat {
            for i in 0..<200_000 { x += Double(i).squareRoot() }
        } while (ProcessCPU.seconds(pid: getpid()) ?? 0) <= seconds && Date().timeIntervalSince(start) < 5
        #expect(x > 0)
        #expect(try #require(ProcessCPU.seconds(pid: getpid())) > seconds)
        #expect(ProcessCPU.seconds(pid: Int32.max) == nil)
    }
}
