import Documents

/// `regen list [--json]`: the configs of the project, what they render and where it goes.
enum ListCommand {
    static let usage = """
        usage: regen list [--json] [--project DIR]
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--json"], options: [ProjectOptions.option])
        guard scanner.positional.isEmpty else { throw UsageError("list takes no arguments") }
        let project = try ProjectOptions.load(scanner)
        if scanner.flag("--json") {
            let configs: [Document] = project.configs.map { config in
                .record([
                    ("id", .text(config.id)),
                    ("file", .text(config.file)),
                    ("generator", .text(config.generator.rawValue)),
                    ("template", .text(config.template)),
                    ("priority", .text(config.priority?.rawValue)),
                    ("outputs", .list(config.targets.map { .text($0.output) })),
                ])
            }
            output.write(Document.list(configs).jsonText + "\n")
        } else {
            let rows = [["ID", "GENERATOR", "PRIORITY", "OUTPUT", "CONFIG"]] + project.configs.map { config in
                [config.id, config.generator.rawValue, config.priority?.rawValue ?? "-",
                 config.targets.map(\.output).joined(separator: ", "), config.file]
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let padded = row.enumerated().map { column, cell in
                    column < 4 ? cell + String(repeating: " ", count: widths[column] - cell.count) : cell
                }
                output.write(padded.joined(separator: "  ") + "\n")
            }
        }
        return project.problems.isEmpty ? 0 : 2
    }
}
