import Dispatch

/// `regen build [ID…] [--all] [--json]` and `regen check [--json]`: render configs in parallel and
/// write their outputs (or, checking, only render them), then report.
enum BuildCommand {
    static let usage = """
        usage: regen build [ID...] [--all] [--json] [--project DIR]
          Renders the given configs (every config with --all or with no ID) and writes their outputs.
        """
    static let checkUsage = """
        usage: regen check [--json] [--project DIR]
          Loads every config and renders every output, writing nothing.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--all", "--json"], options: [ProjectOptions.option])
        if scanner.flag("--all"), !scanner.positional.isEmpty {
            throw UsageError("give config ids or --all, not both")
        }
        return try build(scanner, ids: scanner.positional, mode: .write, output: &output)
    }

    static func check(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--json"], options: [ProjectOptions.option])
        guard scanner.positional.isEmpty else { throw UsageError("check takes no arguments") }
        return try build(scanner, ids: [], mode: .check, output: &output)
    }

    private static func build(_ scanner: ArgumentScanner, ids: [String], mode: Builder.Mode,
                              output: inout some TextOutputStream) throws -> Int32 {
        let start = DispatchTime.now().uptimeNanoseconds
        let project = try ProjectOptions.load(scanner)
        let (items, missing) = Builder.items(project, ids: ids)
        return RunPresenter.run(project, items: items, missing: missing, mode: mode, json: scanner.flag("--json"),
                                command: mode == .write ? "build" : nil, started: start, output: &output)
    }
}
