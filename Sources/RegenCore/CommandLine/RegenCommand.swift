import Documents
import Glibc
import Jinja

/// The `regen` command line: picks the subcommand, runs it, and turns errors into diagnostics on
/// standard error and an exit status (0 success, 1 an item failed, 2 usage or configuration).
public enum RegenCommand {
    static let usage = """
        usage: regen <command> [options]

        commands:
          build [ID...]     render what is out of date (the given configs; all with --all)
          deps PATH         list the configs that depend on a file (--config ID: what a config reads)
          check             load and render everything, write nothing
          batch ID...       render the given configs as one batch (or --file REQUEST.json)
          retry             run the failed items of the last run again
          list              list the configs of the project
          preview ID        render one config to standard output
          watch             the daemon: catch up, then regenerate on every change (--once: catch up)
          notify PATH...    tell the daemon files changed (without one, regenerate their dependents)
          status            what the daemon is doing
          render TEMPLATE   render one template to standard output

        Project commands run in the folder holding watch.yaml, or take --project DIR.

        Run 'regen <command> --help' for the options of a command.
        """

    public static func main(_ arguments: [String]) -> Int32 {
        var standardOutput = StandardStream.output
        var standardError = StandardStream.error
        guard let command = arguments.first, command != "--help", command != "-h", command != "help" else {
            standardError.write(usage + "\n")
            return arguments.isEmpty ? 2 : 0
        }
        let rest = Array(arguments.dropFirst())
        let commandUsage: String
        let run: ([String], inout StandardStream) throws -> Int32
        switch command {
        case "render":
            commandUsage = RenderCommand.usage
            run = { try RenderCommand.run($0, output: &$1) }
        case "build":
            commandUsage = BuildCommand.usage
            run = { try BuildCommand.run($0, output: &$1) }
        case "check":
            commandUsage = BuildCommand.checkUsage
            run = { try BuildCommand.check($0, output: &$1) }
        case "batch":
            commandUsage = BatchCommand.usage
            run = { try BatchCommand.run($0, output: &$1) }
        case "retry":
            commandUsage = RetryCommand.usage
            run = { try RetryCommand.run($0, output: &$1) }
        case "deps":
            commandUsage = DepsCommand.usage
            run = { try DepsCommand.run($0, output: &$1) }
        case "list":
            commandUsage = ListCommand.usage
            run = { try ListCommand.run($0, output: &$1) }
        case "preview":
            commandUsage = PreviewCommand.usage
            run = { try PreviewCommand.run($0, output: &$1) }
        case "watch":
            commandUsage = WatchCommand.usage
            run = { try WatchCommand.run($0, output: &$1) }
        case "notify":
            commandUsage = NotifyCommand.usage
            run = { try NotifyCommand.run($0, output: &$1) }
        case "status":
            commandUsage = StatusCommand.usage
            run = { try StatusCommand.run($0, output: &$1) }
        default:
            standardError.write("regen: error: unknown command '\(command)'\n\(usage)\n")
            return 2
        }
        if rest.contains("--help") || rest.contains("-h") {
            standardOutput.write(commandUsage + "\n")
            return 0
        }
        do {
            return try run(rest, &standardOutput)
        } catch let error as UsageError {
            standardError.write("regen \(command): error: \(error.message)\n\(commandUsage)\n")
            return 2
        } catch let error as TemplateError {
            standardError.write("\(error)\n")
            return 1
        } catch let error as Diagnostic {
            standardError.write("\(error)\n")
            return 2
        } catch let error as DocumentError {
            standardError.write("\(error)\n")
            return 2
        } catch {
            standardError.write("\(error)\n")
            return 2
        }
    }
}

/// Standard output or standard error, written with `write(2)` so that nothing is buffered away
/// if the process ends.
struct StandardStream: TextOutputStream {
    let descriptor: Int32

    static let output = StandardStream(descriptor: 1)
    static let error = StandardStream(descriptor: 2)

    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
