import Documents
import FoundationEssentials
import Jinja

/// `command`: an external program. The merged context goes to its standard input as JSON, its
/// standard output is the content. Runs only when the project opts in
/// (`generators.command.enabled`).
enum CommandGenerator {
    static func render(_ config: ContentConfig, context: Document, in session: RenderSession,
                       cancellation: RenderCancellation? = nil) throws(Diagnostic) -> String {
        let settings = session.project.settings
        guard let command = config.command, let program = command.first else {
            throw config.source.error(at: config.idMark, "the command generator needs a 'command'")
        }
        guard settings.commandGenerator.enabled else {
            throw config.source.error(at: config.idMark, "Command generator is disabled: set generators.command.enabled: true "
                                      + "in watch.yaml to run '\(program)'")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let executable = CommandRunner.locate(program, directory: session.project.root, path: environment["PATH"]) else {
            throw config.source.error(at: config.idMark, "Command not found: \(program)")
        }
        var childEnvironment = environment
        childEnvironment["REGEN_CONFIG_ID"] = config.id
        childEnvironment["REGEN_PROJECT"] = session.project.root
        let itemDeadline = RenderCancellation.now() &+ UInt64(min(settings.batch.itemTimeoutSeconds, 1e9) * 1e9)
        let stop = cancellation ?? RenderCancellation(deadline: itemDeadline)
        let outcome: CommandRunner.Outcome
        do {
            outcome = try CommandRunner.run(executable: executable, arguments: Array(command.dropFirst()),
                                            directory: session.project.root, environment: childEnvironment,
                                            input: Array((context.jsonText + "\n").utf8),
                                            stop: stop)
        } catch {
            throw Diagnostic(file: config.file, "Command '\(program)' could not start: \(error)")
        }
        let stderr = outcome.errorTail.trimmingWhitespace()
        if outcome.timedOut {
            throw Diagnostic(file: config.file, "Command '\(program)' timed out after "
                             + "\(formatSeconds(settings.batch.itemTimeoutSeconds)) s and was killed")
        }
        if outcome.outputTooLarge {
            throw Diagnostic(file: config.file, "Command '\(program)' wrote more than \(InputFile.megabytes(CommandRunner.outputLimit)) and was killed")
        }
        if outcome.signaled || outcome.status != 0 {
            let how = outcome.signaled ? "was killed by signal \(outcome.status)" : "failed with exit status \(outcome.status)"
            throw Diagnostic(file: config.file, "Command '\(program)' \(how)" + (stderr.isEmpty ? "" : ": " + stderr))
        }
        guard let text = String(validating: outcome.output, as: UTF8.self) else {
            throw Diagnostic(file: config.file, "Command '\(program)' wrote output that is not UTF-8 text")
        }
        return text
    }
}

private func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
