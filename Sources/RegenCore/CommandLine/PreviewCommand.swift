import Documents

/// `regen preview ID [--context JSON]`: one config rendered to standard output; nothing written.
enum PreviewCommand {
    static let usage = """
        usage: regen preview ID [--context JSON] [--project DIR]
          Renders the config's own output (its base context for a config with only variants);
          --context is JSON merged over the config's context.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: [], options: ["--context", ProjectOptions.option])
        guard scanner.positional.count == 1 else {
            throw UsageError(scanner.positional.isEmpty ? "missing the config ID" : "expected one config ID")
        }
        var extra: Document?
        if let json = scanner.value("--context") {
            let document = try JSONReader.read(json, file: "--context")
            guard case .object = document else {
                throw UsageError("--context takes a JSON object, not \(document.kindName)")
            }
            extra = document
        }
        let project = try ProjectOptions.load(scanner)
        let id = scanner.positional[0]
        var standardError = StandardStream.error
        guard let config = project.config(id: id) else {
            standardError.write("regen: error: Content config not found: \(id)\n")
            return 1
        }
        let target = config.targets.first { $0.variant == nil }
            ?? ContentConfig.Target(variant: nil, output: "", mark: config.idMark)
        do {
            output.write(try RenderSession(project: project).render(config, target: target, extra: extra))
        } catch {
            standardError.write("\(error.with(message: "\(id): \(error.message)"))\n")
            return 1
        }
        return 0
    }
}
