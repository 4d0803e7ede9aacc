import Dispatch

/// `regen build [ID…] [--all] [--template PATH] [--json]` and `regen check [--json]`: render
/// configs in parallel and write their outputs (or, checking, only render them), then report.
/// Without ids, `build` renders only what is out of date (see `IncrementalBuild`).
enum BuildCommand {
    static let usage = """
        usage: regen build [ID...] [--all] [--template PATH] [--json] [--project DIR]
          Renders what is out of date and writes the outputs; the given configs, every config with
          --all, or the configs that depend on the template at PATH with --template.
        """
    static let checkUsage = """
        usage: regen check [--json] [--project DIR]
          Loads every config and renders every output, writing nothing.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--all", "--json"], options: [ProjectOptions.option, "--template"])
        if [scanner.flag("--all"), !scanner.positional.isEmpty, scanner.value("--template") != nil].filter({ $0 }).count > 1 {
            throw UsageError("give config ids, --all or --template, not several")
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
        var standardError = StandardStream.error
        let project: Project
        var items: [BuildItem]
        var missing: [ItemResult] = []
        var incremental: IncrementalBuild?
        var skipped = 0
        if mode == .write, ids.isEmpty, !scanner.flag("--all"), scanner.value("--template") == nil {
            // Only what is out of date; configs whose files did not change are not even read.
            let plan = try IncrementalBuild.outOfDate(root: scanner.value(ProjectOptions.option) ?? ".")
            (incremental, items, skipped) = (plan.build, plan.stale, plan.skipped)
            project = plan.build.project
            for problem in project.problems { standardError.write("\(problem)\n") }
        } else {
            project = try ProjectOptions.load(scanner)
            (items, missing) = Builder.items(project, ids: ids)
            if mode == .write { incremental = IncrementalBuild(project: project) }
            if let template = scanner.value("--template") {
                items = try Builder.items(project, ids: DepsCommand.dependents(ofTemplate: template, in: project)).items
            }
        }
        if let warning = incremental?.warning { standardError.write("warning: \(warning)\n") }
        incremental?.prepare(items)
        return RunPresenter.run(project, items: items, missing: missing, mode: mode, json: scanner.flag("--json"),
                                command: mode == .write ? "build" : nil, skipped: skipped, started: start,
                                output: &output) { results in
            do {
                try incremental?.save(after: results)
            } catch {
                standardError.write("warning: cannot save the build state: \(error)\n")
            }
        }
    }
}
