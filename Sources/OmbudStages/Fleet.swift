import ArgumentParser
import Foundation
import OmbudCore
import OmbudRuntime
import OmbudText

/// The five stages by name, and the `main` every stage executable shares: each executable is
/// `OmbudFleet.run(.<stage>, …)` and nothing else.
public enum OmbudFleet {
    /// The stage `name` runs, with the policy it decides by.
    public static func stage(_ stage: PipelineStage, policy: PolicyConfig) throws -> any Stage {
        switch stage {
        case .intake: IntakeStage(languages: try LanguageIdentifier.shared(),
                                  threadingWindowDays: policy.repeatContactWindowDays)
        case .classify: try ClassifyStage.bundled()
        case .lookup: LookupStage(config: policy)
        case .resolve: ResolveStage(config: policy, help: try BundledHelpCenter())
        case .escalate: EscalateStage(config: policy)
        }
    }

    public static func run(_ stage: PipelineStage, options: WorkerOptions, policy: PolicyOptions) async throws {
        let config = try policy.load()
        try await OmbudWorker.run(
            stages: [try Self.stage(stage, policy: config)],
            topology: { names, type in Topology.ombud(names: names, queueType: type) },
            options: options, processName: "ombud-\(stage.rawValue)")
    }
}

/// `--policy FILE` / `OMBUD_POLICY`: the policy file (POLICY.md's numbers, with a version); built-in defaults
/// without one.
public struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policy"), help: "Policy file (JSON, see policy/policy.json; env OMBUD_POLICY). Default: the built-in POLICY.md defaults.")
    public var path: String?

    public init() {}

    public func load() throws -> PolicyConfig {
        guard let path = path ?? ProcessInfo.processInfo.environment["OMBUD_POLICY"], !path.isEmpty else {
            return PolicyConfig()
        }
        do {
            return try PolicyConfig.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("cannot use policy file \(path): \(error)")
        }
    }
}
