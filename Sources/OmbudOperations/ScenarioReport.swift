/// One printed row per scenario: verdict, number, name, the rules that fired, and what differed.
public enum ScenarioReport {
    public static func row(_ result: ScenarioRunner.Result) -> String {
        let head = "\(result.passed ? "PASS" : "FAIL") \(String(result.index).leftPadded(3)) \(result.name)"
        let rules = result.rules.isEmpty ? "" : " [\(result.rules.joined(separator: " → "))]"
        let problems = result.problems.isEmpty ? "" : "\n       " + result.problems.joined(separator: "\n       ")
        return head + rules + (result.caseId.map { " case \($0)" } ?? "") + problems
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
