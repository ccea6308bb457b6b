import ArgumentParser

/// `worker`: drains the queue by default; also hosts operator commands.
public struct WorkerRootCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Packages Benchling entries into Quilt from the webhook queue.",
        subcommands: [
            RunCommand.self, ConfigCommand.self, JobsCommand.self, DeadLetterCommand.self, ReplayCommand.self,
            QueueCommand.self, ManifestCommand.self,
        ],
        defaultSubcommand: RunCommand.self)

    public init() {}
}
