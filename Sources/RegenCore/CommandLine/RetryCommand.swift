import Dispatch

/// `regen retry [--json]`: the failed items of the last run (`.regen/last-run.json`), again, with
/// their output paths and batch contexts. Its own run becomes the last run, so a second retry
/// takes only what failed again.
enum RetryCommand {
    static let usage = """
        usage: regen retry [--json] [--project DIR]
          Runs the failed items of the last build, batch or retry again.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let start = DispatchTime.now().uptimeNanoseconds
        let scanner = try ArgumentScanner(arguments, flags: ["--json"], options: [ProjectOptions.option])
        guard scanner.positional.isEmpty else { throw UsageError("retry takes no arguments") }
        let project = try ProjectOptions.load(scanner)
        guard let last = try LastRun.load(project) else {
            throw Diagnostic(file: ProjectPath.join(project.settings.state, LastRun.fileName),
                             "no last run to retry: run regen build or regen batch first")
        }
        let (items, missing) = last.failedItems(in: project)
        guard !items.isEmpty || !missing.isEmpty else {
            output.write("nothing to retry: the last \(last.command) had no failed items\n")
            return 0
        }
        return RunPresenter.run(project, items: items, missing: missing, mode: .write, json: scanner.flag("--json"),
                                command: "retry", started: start, output: &output)
    }
}
