import Documents

/// What the project commands share: `--project DIR`, loading, and reporting the configs that
/// could not be read.
enum ProjectOptions {
    static let option = "--project"

    /// Loads the project named by `--project` (the current folder by default) and reports its
    /// problems on standard error.
    static func load(_ scanner: ArgumentScanner) throws(Diagnostic) -> Project {
        let project = try Project.load(root: scanner.value(option) ?? ".")
        var standardError = StandardStream.error
        for problem in project.problems { standardError.write("\(problem)\n") }
        return project
    }
}

extension Document {
    private static let nowhere = Mark(line: 0, column: 0)

    /// A JSON object for machine-readable output, in the order given.
    static func record(_ pairs: [(String, Document)]) -> Document {
        .object(pairs.map { Member(key: .string($0.0, nowhere), value: $0.1) }, nowhere)
    }

    static func text(_ string: String?) -> Document { string.map { .string($0, nowhere) } ?? .null(nowhere) }
    static func number(_ int: Int) -> Document { .int(int, nowhere) }
    static func number(_ double: Double) -> Document { .float(double, nowhere) }
    static func list(_ items: [Document]) -> Document { .array(items, nowhere) }

    /// A diagnostic as JSON: its file, line, column and message.
    static func diagnostic(_ diagnostic: Diagnostic) -> Document {
        record([("file", text(diagnostic.file)),
                ("line", diagnostic.mark.map { number($0.line) } ?? .null(nowhere)),
                ("column", diagnostic.mark.map { number($0.column) } ?? .null(nowhere)),
                ("message", text(diagnostic.message))])
    }
}
