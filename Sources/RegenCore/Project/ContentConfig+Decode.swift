import Documents

extension ContentConfig {
    /// Decodes a parsed config file. `file` is its path relative to the project root.
    convenience init(_ document: Document, source: SourceFile, file: String) throws(Diagnostic) {
        self.init(try Fields(document, source: source, file: file))
    }
}

extension ContentConfig.Fields {
    static let nativeKeys = ["id", "generator", "template", "context", "required_context", "output",
                             "priority", "variants", "command", "elements", "description", "$schema"]

    init(_ document: Document, source: SourceFile, file: String) throws(Diagnostic) {
        let top = try MappingReader(document, source: source)
        self.file = file
        self.source = source
        self.context = .object([], top.mark)
        self.targets = []
        self.generator = .jinja2
        self.id = ""
        self.idMark = top["id"]?.mark ?? top.mark
        if top["type"] != nil || top["generation"] != nil {
            try decodeChoraCompose(top)
        } else {
            try top.rejectUnknownKeys(Self.nativeKeys)
            try decodeNative(top)
        }
        try Self.validateReferences(in: context, source: source)
        for target in targets {
            if let context = target.context { try Self.validateReferences(in: context, source: source) }
        }
    }

    private mutating func decodeNative(_ top: MappingReader) throws(Diagnostic) {
        id = try Self.decodeID(top, file: file)
        if let name = try top.choice("generator", GeneratorKind.allCases.map(\.rawValue)) {
            generator = GeneratorKind(rawValue: name) ?? .jinja2
        }
        try decodeTemplate(top, key: "template")
        if let value = top["context"] {
            _ = try MappingReader(value, source: top.source, path: "context")
            context = value
        }
        requiredContext = try top.stringList("required_context") ?? []
        if let tier = try top.choice("priority", Priority.allCases.map(\.rawValue)) {
            priority = Priority(rawValue: tier)
        }
        if let words = try top.stringList("command") {
            guard !words.isEmpty, !words[0].isEmpty else {
                throw top.error("command", "'command' must name a program: [\"prog\", \"arg\", ...]")
            }
            command = words
        }
        if generator == .command, command == nil {
            throw top.source.error(at: top.mark, "the command generator needs a 'command': [\"prog\", \"arg\", ...]")
        }
        elements = try Self.decodeElements(top)
        if generator == .demonstration, elements.isEmpty, template == nil {
            throw top.source.error(at: top.mark, "the demonstration generator needs 'elements' with 'example_output'")
        }
        try decodeTargets(top, defaultOutput: id + "." + Self.defaultExtension(template: template))
    }

    /// `"type": "content"` configs of Chora Compose, read as they are: `generation.patterns[0]`
    /// gives the generator, its template and `generation_config.context`; unknown keys are theirs.
    private mutating func decodeChoraCompose(_ top: MappingReader) throws(Diagnostic) {
        isChoraCompose = true
        if let type = try top.string("type"), type != "content" {
            throw top.error("type", "only Chora Compose content configs (\"type\": \"content\") can be built, not '\(type)'")
        }
        id = try Self.decodeID(top, file: file)
        guard let generation = try top.mapping("generation"), let patterns = try generation.list("patterns"),
              let first = patterns.first else {
            throw top.source.error(at: top.mark, "a Chora Compose config needs 'generation.patterns' with at least one pattern")
        }
        let pattern = try MappingReader(first.item, source: top.source, path: first.path)
        guard let type = try pattern.choice("type", GeneratorKind.allCases.map(\.rawValue)),
              let kind = GeneratorKind(rawValue: type) else {
            throw pattern.source.error(at: pattern.mark, "'\(first.path)' needs a 'type' (jinja2, demonstration, template_fill or command)")
        }
        generator = kind
        if kind == .demonstration {
            inlineTemplate = try pattern.string("template")
        } else {
            try decodeTemplate(pattern, key: "template")
        }
        if let variables = try pattern.list("variables") {
            for (path, item) in variables {
                let variable = try MappingReader(item, source: top.source, path: path)
                guard let name = try variable.string("name") else {
                    throw variable.source.error(at: variable.mark, "'\(path)' needs a 'name'")
                }
                self.variables.append(ContentConfig.PatternVariable(name: name, source: try variable.string("source"),
                                                      defaultValue: try variable.string("default")))
            }
        }
        if let config = try pattern.mapping("generation_config"), let value = config["context"] {
            _ = try MappingReader(value, source: top.source, path: config.keyPath("context"))
            context = value
        }
        requiredContext = try top.stringList("required_context") ?? []
        let topCommand = try top.stringList("command")
        if let words = try pattern.stringList("command") ?? topCommand, !words.isEmpty {
            command = words
        }
        if generator == .command, command == nil {
            throw pattern.source.error(at: pattern.mark, "the command generator needs a 'command': [\"prog\", \"arg\", ...]")
        }
        elements = try Self.decodeElements(top)
        let format = try top.mapping("metadata")?.string("output_format")
        try decodeTargets(top, defaultOutput: id + "." + Self.extensionOf(format: format))
    }

    private mutating func decodeTemplate(_ reader: MappingReader, key: String) throws(Diagnostic) {
        if let name = try reader.string(key) {
            guard let normalized = RelativePath.normalized(name) else {
                throw reader.error(key, "'\(reader.keyPath(key))' must name a file inside the template folder; "
                                   + "'\(name)' \(RelativePath.problem(with: name))")
            }
            template = normalized
            templateMark = reader[key]?.mark
        } else if generator.needsTemplateFile {
            throw reader.source.error(at: reader.mark, "the \(generator.rawValue) generator needs a '\(key)'")
        }
    }

    private mutating func decodeTargets(_ top: MappingReader, defaultOutput: String) throws(Diagnostic) {
        let variants = try top.list("variants") ?? []
        if let output = try Self.decodeOutput(top) {
            targets.append(ContentConfig.Target(variant: nil, output: output, mark: top["output"]?.mark ?? top.mark))
        } else if variants.isEmpty {
            targets.append(ContentConfig.Target(variant: nil, output: defaultOutput, mark: top.mark))
        }
        for (index, (path, item)) in variants.enumerated() {
            let variant = try MappingReader(item, source: top.source, path: path)
            try variant.rejectUnknownKeys(["context", "output", "description"])
            guard let output = try Self.decodeOutput(variant) else {
                throw variant.source.error(at: variant.mark, "'\(path)' needs its own 'output'")
            }
            var context: Document?
            if let value = variant["context"] {
                _ = try MappingReader(value, source: top.source, path: variant.keyPath("context"))
                context = value
            }
            targets.append(ContentConfig.Target(variant: index, context: context, output: output, mark: variant["output"]?.mark ?? variant.mark))
        }
    }

    private static func decodeOutput(_ reader: MappingReader) throws(Diagnostic) -> String? {
        guard let output = try reader.string("output") else { return nil }
        guard let normalized = RelativePath.normalized(output) else {
            throw reader.error("output", "'\(reader.keyPath("output"))' must stay inside the output folder; "
                               + "'\(output)' \(RelativePath.problem(with: output))")
        }
        return normalized
    }

    private static func decodeID(_ top: MappingReader, file: String) throws(Diagnostic) -> String {
        if let id = try top.string("id") {
            guard isValidID(id) else {
                throw top.error("id", "'id' must match ^[a-z][a-z0-9-]*$ (lower-case letters, digits and '-'), not '\(id)'")
            }
            return id
        }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        guard isValidID(stem) else {
            throw top.source.error(at: top.mark, "the file name '\(stem)' is not a valid id (^[a-z][a-z0-9-]*$); give the config an 'id'")
        }
        return stem
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func decodeElements(_ top: MappingReader) throws(Diagnostic) -> [ContentConfig.Element] {
        var elements: [ContentConfig.Element] = []
        for (index, (path, item)) in (try top.list("elements") ?? []).enumerated() {
            let element = try MappingReader(item, source: top.source, path: path)
            let name = try element.string("name") ?? String(index)
            elements.append(ContentConfig.Element(name: name, exampleOutput: try element.string("example_output") ?? ""))
        }
        return elements
    }

    /// `api-endpoint.md.jinja` gives `md`: the extension the template's own name carries.
    static func defaultExtension(template: String?) -> String {
        guard let template else { return "txt" }
        var pieces = (template.split(separator: "/").last ?? "").split(separator: ".").map(String.init)
        if let last = pieces.last, ["jinja", "jinja2", "j2", "tmpl", "template"].contains(last) { pieces.removeLast() }
        return pieces.count > 1 ? pieces[pieces.count - 1] : "txt"
    }

    /// Chora Compose's `metadata.output_format` as a file extension.
    static func extensionOf(format: String?) -> String {
        guard let format = format?.lowercased(), !format.isEmpty else { return "txt" }
        let known = ["markdown": "md", "text": "txt", "plain": "txt", "plaintext": "txt", "python": "py",
                     "javascript": "js", "typescript": "ts", "restructuredtext": "rst", "yml": "yaml"]
        if let ext = known[format] { return ext }
        let isWord = format.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return isWord ? format : "txt"
    }

    /// Checks every `{"source": "file", "path": P}` in a context: P must stay inside the project.
    static func validateReferences(in document: Document, source: SourceFile) throws(Diagnostic) {
        switch document {
        case .object(let members, _):
            if try FileReference(document, source: source) != nil { return }
            for member in members { try validateReferences(in: member.value, source: source) }
        case .array(let items, _):
            for item in items { try validateReferences(in: item, source: source) }
        default:
            return
        }
    }
}

/// A context value `{"source": "file", "path": P}`: replaced by the parsed file when rendering.
struct FileReference: Sendable {
    /// Relative to the project root, normalized.
    var path: String
    var mark: Mark

    /// The reference `document` makes, nil when it is not one; throws when it is one but malformed.
    init?(_ document: Document, source: SourceFile) throws(Diagnostic) {
        guard case .object(let members, let mark) = document, document["source"]?.stringValue == "file" else { return nil }
        guard let pathValue = document["path"], case .string(let path, let pathMark) = pathValue else {
            throw source.error(at: mark, "a file context value needs a 'path': {\"source\": \"file\", \"path\": \"data/x.yaml\"}")
        }
        for member in members where !["source", "path"].contains(member.key.stringValue ?? "") {
            throw source.error(at: member.key.mark, "unknown key '\(member.key.stringValue ?? "")' in a file context value "
                               + "(only 'source' and 'path')")
        }
        guard let normalized = RelativePath.normalized(path) else {
            throw source.error(at: pathMark, "the data file path '\(path)' \(RelativePath.problem(with: path)); "
                               + "data files must be inside the project")
        }
        self.path = normalized
        self.mark = pathMark
    }
}
