import ArgumentParser

/// `ombudctl text …`: language identification, entities, flags and redaction.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Text understanding: language, entities, flags, redaction, intents.",
        subcommands: [AnalyzeCommand.self, ClassifyCommand.self, RedactCommand.self, FlagsEvalCommand.self, LangidEvalCommand.self, LangidProfileCommand.self]
    )
}
