import Documents
import FoundationEssentials

/// `regen deps PATH [--why]`: the configs that depend on a file; `regen deps --config ID`: the
/// files a config reads.
enum DepsCommand {
    static let usage = """
        usage: regen deps PATH... [--why] [--json] [--project DIR]
               regen deps --config ID [--json] [--project DIR]
          Lists the configs whose output depends on the file at PATH (relative to the current
          folder, or absolute); with --why, the chain that leads to each. With --config, lists
          every file the config reads.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--why", "--json"], options: [ProjectOptions.option, "--config"])
        let json = scanner.flag("--json")
        if let id = scanner.value("--config") {
            guard scanner.positional.isEmpty, !scanner.flag("--why") else { throw UsageError("give PATH or --config ID, not both") }
            let project = try ProjectOptions.load(scanner)
            guard let config = project.config(id: id) else { throw Diagnostic("Content config not found: \(id)") }
            let index = DependencyIndex.build(project: project, configs: [config])
            guard let inputs = index.inputs(ofConfig: id) else { throw Diagnostic("Content config not found: \(id)") }
            output.write(json ? describe(inputs, project: project).jsonText + "\n" : text(inputs, project: project))
            return 0
        }
        guard !scanner.positional.isEmpty else { throw UsageError("give a PATH or --config ID") }
        let project = try ProjectOptions.load(scanner)
        let index = DependencyIndex.build(project: project)
        var records: [Document] = []
        for argument in scanner.positional {
            let path = try relativePath(argument, in: project)
            if scanner.flag("--why") {
                let chains = index.why(path)
                if json {
                    records += chains.map { .record([("path", .text(path)), ("id", .text($0.id)), ("chain", .list($0.chain.map { .text($0) }))]) }
                } else {
                    for (id, chain) in chains { output.write(([id] + chain).joined(separator: " ← ") + "\n") }
                }
            } else {
                let ids = index.dependents(ofPath: path)
                if json {
                    records += ids.map { .record([("path", .text(path)), ("id", .text($0))]) }
                } else {
                    for id in ids { output.write(id + "\n") }
                }
            }
        }
        if json { output.write(Document.list(records).jsonText + "\n") }
        return 0
    }

    /// A path as the shell gave it, relative to the project root.
    static func relativePath(_ argument: String, in project: Project) throws -> String {
        guard let path = ProjectPath.relative(argument, to: project.root) else {
            throw UsageError("'\(argument)' is not inside the project (\(project.root))")
        }
        return path
    }

    /// The ids of the configs that read the template at `argument` (a path as the shell gave it),
    /// for `regen build --template`.
    static func dependents(ofTemplate argument: String, in project: Project) throws -> [String] {
        let path = try relativePath(argument, in: project)
        let index = DependencyIndex.build(project: project)
        guard index.templateName(forPath: path) != nil else {
            throw UsageError("'\(argument)' is not in the template folder (\(project.settings.templates)/)")
        }
        return index.dependents(ofPath: path)
    }

    private static func text(_ inputs: DependencyIndex.ConfigInputs, project: Project) -> String {
        var lines = ["\(inputs.configFile)  (config)"]
        for template in inputs.templates {
            lines.append("\(template.path)  (template\(template.exists ? "" : ", missing"))")
        }
        for file in inputs.files {
            let exists = FileManager.default.fileExists(atPath: project.path(file))
            lines.append("\(file)  (data\(exists ? "" : ", missing"))")
        }
        if !inputs.dynamicIn.isEmpty {
            lines.append("\(inputs.templateFolder)/**  (any template: \(inputs.dynamicIn.joined(separator: ", ")) "
                         + "name\(inputs.dynamicIn.count == 1 ? "s" : "") a template at render time)")
        }
        lines.append("\(Project.settingsFile)  (settings)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describe(_ inputs: DependencyIndex.ConfigInputs, project: Project) -> Document {
        .record([
            ("config", .text(inputs.configFile)),
            ("templates", .list(inputs.templates.map { .record([("path", .text($0.path)), ("exists", .bool($0.exists, Mark(line: 0, column: 0)))]) })),
            ("data", .list(inputs.files.map { .text($0) })),
            ("dynamic", .list(inputs.dynamicIn.map { .text($0) })),
        ])
    }
}
