import Jinja

/// `regen render TEMPLATE [--templates DIR] [--context FILE]… [--var KEY=VALUE]…
/// [--undefined strict|lenient]`: one template to standard output, as Jinja2 would render it with
/// `FileSystemLoader(DIR)`, `keep_trailing_newline=True` and the chosen undefined.
enum RenderCommand {
    static let usage = """
        usage: regen render TEMPLATE [--templates DIR] [--context FILE]... [--var KEY=VALUE]...
                            [--undefined strict|lenient]
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: [],
                                          options: ["--templates", "--context", "--var", "--undefined"])
        guard scanner.positional.count == 1 else {
            throw UsageError(scanner.positional.isEmpty ? "missing TEMPLATE" : "expected one TEMPLATE")
        }
        let templatePath = scanner.positional[0]
        let templatesDir = scanner.value("--templates")
            ?? ProjectPath.folder(of: templatePath)
        let undefined: UndefinedPolicy
        switch scanner.value("--undefined") ?? "strict" {
        case "strict": undefined = .strict
        case "lenient": undefined = .lenient
        case let other: throw UsageError("--undefined takes strict or lenient, not '\(other)'")
        }
        guard let name = ProjectPath.relative(templatePath, to: templatesDir.isEmpty ? "." : templatesDir) else {
            throw UsageError("\(templatePath) is not inside the template folder \(templatesDir)")
        }

        var context: [String: Value] = [:]
        for file in scanner.all("--context") {
            for (key, value) in try DataFile.readContext(path: file, displayPath: file) {
                context[key] = value
            }
        }
        for assignment in scanner.all("--var") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw UsageError("--var takes KEY=VALUE, not '\(assignment)'")
            }
            context[String(assignment[..<equals])] = .string(String(assignment[assignment.index(after: equals)...]))
        }

        let root = templatesDir.isEmpty ? "." : templatesDir
        let environment = Environment(
            loader: FileSystemLoader(root: root),
            options: EnvironmentOptions(undefined: undefined))
        do {
            output.write(try environment.render(name, context: context))
        } catch var error as TemplateError {
            // Name the file as the user would open it; a template that cannot be loaded at all
            // is named by the path given.
            error.templateName = error.templateName.map { ProjectPath.join(root, $0) } ?? templatePath
            throw error
        }
        return 0
    }
}
