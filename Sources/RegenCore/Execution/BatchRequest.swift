import Documents

/// An explicit batch: `regen batch ID… [--output-dir DIR]`, or a request file (and the MCP tool
/// `batch_generate`) in either shape of DESIGN.md:
///
/// ```json
/// {"content_config_ids": ["endpoint-users", "endpoint-posts"], "output_dir": "output/api-docs"}
/// {"operations": [{"content_config_id": "monthly-sales-report", "context": {"team": "Engineering"},
///                  "output_path": "output/reports/engineering.md"}]}
/// ```
///
/// `output_dir` and `output_path` are relative to the project root and must fall inside the
/// output root.
struct BatchRequest {
    struct Operation {
        var id: String
        /// Merged over the config's context.
        var context: Document?
        /// Relative to the project root.
        var outputPath: String?
        /// Where the operation is written, for errors (nil on the command line).
        var place: (SourceFile, Mark)?
    }

    var operations: [Operation]
    /// Relative to the project root: each item goes to `outputDir/<file name of its output>`.
    var outputDir: String?
    /// True for the `content_config_ids` shape and the command line: an id named twice is an error.
    var idsOnly: Bool
    /// `batch-request.json: ` or `` for messages.
    var origin: String

    static let idsKeys = ["content_config_ids", "output_dir"]
    static let operationsKeys = ["operations"]
    static let operationKeys = ["content_config_id", "context", "output_path"]

    init(ids: [String], outputDir: String?) {
        operations = ids.map { Operation(id: $0) }
        self.outputDir = outputDir
        idsOnly = true
        origin = ""
    }

    /// Reads a request file: JSON, one of the two shapes, with every error naming its place.
    init(bytes: [UInt8], file: String) throws(Diagnostic) {
        let source = SourceFile(name: file, bytes: bytes)
        let document: Document
        do {
            document = try JSONReader.read(bytes, file: file)
        } catch {
            throw Diagnostic(any: error, file: file)
        }
        let top = try MappingReader(document, source: source)
        origin = file + ": "
        if top["operations"] != nil {
            try top.rejectUnknownKeys(Self.operationsKeys)
            idsOnly = false
            outputDir = nil
            operations = []
            for (path, item) in try top.list("operations") ?? [] {
                let reader = try MappingReader(item, source: source, path: path)
                try reader.rejectUnknownKeys(Self.operationKeys)
                guard let id = try reader.string("content_config_id") else {
                    throw source.error(at: reader.mark, "'\(path)' needs a 'content_config_id'")
                }
                if let context = reader["context"], case .object = context {} else if let context = reader["context"] {
                    throw reader.typeError("context", context, expected: "a mapping")
                }
                operations.append(Operation(id: id, context: reader["context"], outputPath: try reader.string("output_path"),
                                            place: (source, reader.keyMark("content_config_id"))))
            }
        } else if top["content_config_ids"] != nil {
            try top.rejectUnknownKeys(Self.idsKeys)
            idsOnly = true
            outputDir = try top.string("output_dir")
            let ids = try top.stringList("content_config_ids") ?? []
            let marks: [Mark] = {
                if case .array(let items, _)? = top["content_config_ids"] { return items.map(\.mark) }
                return []
            }()
            operations = ids.enumerated().map { index, id in
                Operation(id: id, place: index < marks.count ? (source, marks[index]) : nil)
            }
        } else {
            throw source.error(at: top.mark, "a batch request needs 'content_config_ids' (with an optional 'output_dir') "
                               + "or 'operations'")
        }
    }

    private func error(_ operation: Operation, _ message: String) -> Diagnostic {
        guard let (source, mark) = operation.place else { return Diagnostic(message) }
        return source.error(at: mark, message)
    }

    /// The items to run, and a failure for each id that names no config. Throws for a request
    /// that cannot run at all: empty, an id named twice, a path outside the output root, two
    /// items landing on one path.
    func items(in project: Project) throws(Diagnostic) -> (items: [BuildItem], missing: [ItemResult]) {
        guard !operations.isEmpty else {
            throw Diagnostic(file: origin.isEmpty ? nil : String(origin.dropLast(2)), "the batch is empty: name at least one content config")
        }
        let outputFolder: String?
        if let outputDir {
            outputFolder = try Self.insideOutputRoot(outputDir, project: project, allowRoot: true, what: "output_dir")
        } else {
            outputFolder = nil
        }
        var seen: Set<String> = []
        var items: [BuildItem] = []
        var missing: [ItemResult] = []
        var owners: [String: String] = [:]
        for operation in operations {
            if idsOnly, !seen.insert(operation.id).inserted {
                throw error(operation, "'\(operation.id)' is named twice in the batch")
            }
            guard let config = project.config(id: operation.id) else {
                missing.append(ItemResult(item: nil, status: .failed(Diagnostic(LastRun.notFoundPrefix + operation.id)), seconds: 0))
                continue
            }
            var targets = config.targets
            var isCustom = false
            if let outputPath = operation.outputPath {
                let path = try Self.insideOutputRoot(outputPath, project: project, allowRoot: false, what: "output_path")
                var target = config.targets.first { $0.variant == nil }
                    ?? ContentConfig.Target(variant: nil, output: path, mark: config.idMark)
                target.output = path
                targets = [target]
                isCustom = true
            } else if let outputFolder {
                targets = targets.map { target in
                    var moved = target
                    let name = target.output.split(separator: "/").last.map(String.init) ?? target.output
                    moved.output = ProjectPath.join(outputFolder, name)
                    return moved
                }
                isCustom = true
            }
            for target in targets {
                let name = target.variant.map { "\(config.id) (variant \($0 + 1))" } ?? config.id
                if let other = owners[target.output] {
                    throw error(operation, "two items of the batch land on \(project.settings.output)/\(target.output): \(other) and \(name)")
                }
                owners[target.output] = name
                items.append(BuildItem(config: config, target: target, extra: operation.context, customOutput: isCustom))
            }
        }
        return (items, missing)
    }

    /// `path` (relative to the project root) as a path relative to the output root, refused
    /// when it leaves the output root.
    static func insideOutputRoot(_ path: String, project: Project, allowRoot: Bool, what: String) throws(Diagnostic) -> String {
        var relative = path
        if path.hasPrefix("/") {
            guard let inside = ProjectPath.relative(path, to: project.root) else {
                throw Diagnostic("'\(what)' must be inside the output folder \(project.settings.output)/; '\(path)' is not in the project")
            }
            relative = inside
        }
        let output = project.settings.output
        guard let normalized = RelativePath.normalized(relative) else {
            if allowRoot, relative == "." { throw Diagnostic("'\(what)' must be inside the output folder \(output)/, not the project folder") }
            throw Diagnostic("'\(what)' must be inside the output folder \(output)/; '\(path)' \(RelativePath.problem(with: path))")
        }
        if normalized == output, allowRoot { return "" }
        guard normalized.hasPrefix(output + "/") else {
            throw Diagnostic("'\(what)' must be inside the output folder \(output)/ (paths are relative to the project root); "
                             + "'\(path)' is not")
        }
        return String(normalized.dropFirst(output.count + 1))
    }
}
