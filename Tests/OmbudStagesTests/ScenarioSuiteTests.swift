import Foundation
import OmbudCore
import OmbudOperations
import Testing

/// scenarios/policy.jsonl through the real fleet: five stage processes, RabbitMQ, PostgreSQL, the shipped models.
@Suite(.serialized) struct ScenarioSuiteTests {
    @Test func everyScenarioPassesThroughTheFleet() throws {
        let fixture = try FleetFixture()
        let scenarios = try ScenarioRunner.load(FleetEnvironment.repositoryRoot.appendingPathComponent("scenarios/policy.jsonl"))
        #expect(scenarios.count >= 44)
        let runner = ScenarioRunner(database: fixture.database, publisher: fixture.publisher, names: fixture.names, timeout: 60)
        var failures: [String] = []
        for (offset, scenario) in scenarios.enumerated() {
            let result = runner.outcome(of: scenario, index: offset + 1)
            print(ScenarioReport.row(result))
            if !result.passed { failures.append(ScenarioReport.row(result)) }
        }
        print("\(scenarios.count - failures.count) passed, \(failures.count) failed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
