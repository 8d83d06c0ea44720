import ArgumentParser

/// `ombudctl text …`: language identification, entities, flags and redaction.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Rule-based text understanding: language, entities, flags, redaction.",
        subcommands: [AnalyzeCommand.self, RedactCommand.self, FlagsEvalCommand.self, LangidEvalCommand.self, LangidProfileCommand.self]
    )
}
