import FoundationEssentials

/// Where templates come from. Names are `/`-separated and relative to the loader's root.
public protocol TemplateLoader: Sendable {
    /// The source of the template called `name`; throws `.notFound` when there is none.
    func load(_ name: String) throws -> TemplateSource
}

/// Templates held in memory, by name.
public struct DictionaryLoader: TemplateLoader {
    public let templates: [String: String]

    public init(_ templates: [String: String]) {
        self.templates = templates
    }

    public func load(_ name: String) throws -> TemplateSource {
        guard let text = templates[name] else {
            throw TemplateError(.notFound, "Template file not found: \(name)")
        }
        return TemplateSource(name: name, text: text)
    }
}

/// Templates read from a folder. Names that would leave the folder — `..` segments, absolute
/// paths, symbolic links that point outside — are refused, as if the template did not exist.
public struct FileSystemLoader: TemplateLoader {
    public let root: URL
    private let resolvedRoot: String

    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL
        resolvedRoot = self.root.resolvingSymlinksInPath().path
    }

    /// The file a name maps to, or nil when the name may not be loaded.
    public func path(for name: String) -> String? {
        guard !name.hasPrefix("/") else { return nil }
        var pieces: [Substring] = []
        for piece in name.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == ".." { return nil }
            if piece == "." { continue }
            pieces.append(piece)
        }
        guard !pieces.isEmpty else { return nil }
        return root.path + "/" + pieces.joined(separator: "/")
    }

    public func load(_ name: String) throws -> TemplateSource {
        guard let path = path(for: name) else {
            throw TemplateError(.notFound, "Template file not found: \(name) (the name leaves the template folder)")
        }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot + "/") else {
            throw TemplateError(.notFound, "Template file not found: \(name) (a link points outside the template folder)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError(.notFound, "Template file not found: \(name)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TemplateError(.syntax, "Template \(name) is not valid UTF-8", templateName: name)
        }
        return TemplateSource(name: name, text: text, path: path)
    }
}
