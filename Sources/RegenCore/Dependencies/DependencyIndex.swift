import Synchronization
import Documents
import Jinja

/// Which configs read which files: config file → config; template → every config whose template
/// includes, extends or imports it, at any depth; data file → the configs that name it;
/// `watch.yaml` → every config. Built once, then kept up to date one changed file at a time
/// (`update(changedPaths:)`).
///
/// Every edge is kept in both directions, so that the dependents of a template cost what its
/// own chain of includers costs, whatever the size of the project. A template whose include,
/// extends or import name is computed at render time makes its configs depend on every file
/// under the template root. Files that do not exist yet are nodes too: creating one finds the
/// configs that name it.
struct DependencyIndex: Sendable {
    /// Absolute root, as the shell sees it and with links resolved.
    let root: String
    let resolvedRoot: String
    let settings: ProjectSettings

    struct TemplateNode: Sendable {
        enum Status: Sendable { case unread, parsed, missing, broken }

        /// Relative to the template root, normalized (`partials/footer.jinja`).
        var name: String
        var status: Status = .unread
        var children: [Int] = []
        var parents: [Int] = []
        /// Configs whose `template` this is and that follow its references (jinja2).
        var chainUsers: [Int] = []
        /// Configs that read this file as text only (template_fill, demonstration).
        var textUsers: [Int] = []
        var isDynamic = false
    }

    struct ConfigNode: Sendable {
        var id: String
        var file: String
        var template: Int?
        var followsReferences: Bool
        /// Other files it reads, relative to the project root: data files, a command's program.
        var files: [String]
    }

    private(set) var templates: [TemplateNode] = []
    private(set) var templateByName: [String: Int] = [:]
    /// Removed configs leave a nil, so that the numbers of the others stay valid.
    private(set) var configs: [ConfigNode?] = []
    private(set) var configByID: [String: Int] = [:]
    private(set) var configByFile: [String: Int] = [:]
    private(set) var fileUsers: [String: [Int]] = [:]
    private(set) var dynamicTemplates: Set<Int> = []
    private var unread: [Int] = []
    /// Parses templates for their references only, with the project's syntax options.
    private let parser: Environment
    /// The template root with links resolved, nil when it does not exist (yet).
    private let resolvedTemplateRoot: String?

    init(root: String, resolvedRoot: String, settings: ProjectSettings) {
        self.root = root
        self.resolvedRoot = resolvedRoot
        self.settings = settings
        parser = Environment(options: settings.environmentOptions)
        resolvedTemplateRoot = InputFile.resolved(root + "/" + settings.templates)
    }

    /// The index of `project` (of `configs` only, when given: an incremental build needs the
    /// inputs of the items it rebuilds, not the whole graph). Templates are read and parsed in
    /// parallel, each once.
    static func build(project: Project, configs: [ContentConfig]? = nil) -> DependencyIndex {
        var index = DependencyIndex(root: project.root, resolvedRoot: project.resolvedRoot, settings: project.settings)
        for config in configs ?? project.configs { index.link(config) }
        index.readUnread()
        return index
    }

    // MARK: Paths

    var templateFolder: String { settings.templates }
    var configFolder: String { settings.configs }

    /// The template name for a path relative to the project root, nil when it is not under the
    /// template root.
    func templateName(forPath relative: String) -> String? {
        let prefix = templateFolder + "/"
        guard relative.hasPrefix(prefix) else { return nil }
        return Self.normalizedName(String(relative.dropFirst(prefix.count)))
    }

    /// The path relative to the project root of a template name.
    func templatePath(_ name: String) -> String { templateFolder + "/" + name }

    /// A template name as the loader reads it (`./a//b.jinja` is `a/b.jinja`); nil for names the
    /// loader refuses (absolute, `..`), which can never be read.
    static func normalizedName(_ name: String) -> String? {
        guard !name.hasPrefix("/") else { return nil }
        var pieces: [Substring] = []
        for piece in name.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == ".." { return nil }
            if piece != "." { pieces.append(piece) }
        }
        return pieces.isEmpty ? nil : pieces.joined(separator: "/")
    }

    func isConfigFile(_ relative: String) -> Bool {
        guard relative.hasPrefix(configFolder + "/") else { return false }
        return Project.isConfigFileName(ProjectPath.lastComponent(relative))
    }

    // MARK: Linking configs

    private mutating func node(forTemplate name: String) -> Int {
        if let index = templateByName[name] { return index }
        let index = templates.count
        templates.append(TemplateNode(name: name))
        templateByName[name] = index
        unread.append(index)
        return index
    }

    mutating func link(_ config: ContentConfig) {
        guard configByID[config.id] == nil else { return }
        let number = configs.count
        var node = ConfigNode(id: config.id, file: config.file, template: nil,
                              followsReferences: config.generator == .jinja2, files: [])
        if config.generator != .command, let raw = config.template, let name = Self.normalizedName(raw) {
            let template = self.node(forTemplate: name)
            node.template = template
            if node.followsReferences {
                templates[template].chainUsers.append(number)
            } else {
                templates[template].textUsers.append(number)
            }
        }
        var files: [String] = []
        Self.collectDataFiles(config.context, source: config.source, into: &files)
        for target in config.targets {
            if let context = target.context { Self.collectDataFiles(context, source: config.source, into: &files) }
        }
        if config.generator == .command, let program = config.command?.first, program.contains("/"),
           let path = RelativePath.normalized(program) {
            files.append(path)
        }
        var seen: Set<String> = []
        node.files = files.filter { seen.insert($0).inserted }
        for file in node.files { fileUsers[file, default: []].append(number) }
        configs.append(node)
        configByID[config.id] = number
        configByFile[config.file] = number
    }

    private static func collectDataFiles(_ document: Document, source: SourceFile, into files: inout [String]) {
        switch document {
        case .object(let members, _):
            // A malformed reference fails the config when it renders; it names no file.
            switch Result(catching: { () throws(Diagnostic) in try FileReference(document, source: source) }) {
            case .success(let reference?):
                files.append(reference.path)
                return
            case .failure:
                return
            case .success(nil):
                for member in members { collectDataFiles(member.value, source: source, into: &files) }
            }
        case .array(let items, _):
            for item in items { collectDataFiles(item, source: source, into: &files) }
        default:
            return
        }
    }

    mutating func unlink(configNumber number: Int) {
        guard let node = configs[number] else { return }
        if let template = node.template {
            templates[template].chainUsers.removeAll { $0 == number }
            templates[template].textUsers.removeAll { $0 == number }
        }
        for file in node.files {
            fileUsers[file]?.removeAll { $0 == number }
            if fileUsers[file]?.isEmpty == true { fileUsers[file] = nil }
        }
        configByID[node.id] = nil
        if configByFile[node.file] == number { configByFile[node.file] = nil }
        configs[number] = nil
    }

    // MARK: Reading templates

    /// What one template refers to, read from disk.
    struct Scan: Sendable {
        var status: TemplateNode.Status
        var names: [String] = []
        var isDynamic = false
    }

    /// Reads and parses every template not read yet, wave after wave (the children a wave finds
    /// are the next wave), each wave in parallel.
    mutating func readUnread() {
        while !unread.isEmpty {
            let wave = unread
            unread = []
            let names = wave.map { templates[$0].name }
            let scans: [Scan]
            if names.count < 64 {
                scans = names.map(scan)
            } else {
                let collected = Mutex<[Scan?]>(Array(repeating: nil, count: names.count))
                Executor.shared.forEach(names.count) { [self] index in
                    let result = scan(names[index])
                    collected.withLock { $0[index] = result }
                }
                scans = collected.withLock { $0.compactMap { $0 } }
            }
            for (number, scan) in zip(wave, scans) { apply(scan, to: number) }
        }
    }

    private mutating func apply(_ scan: Scan, to number: Int) {
        templates[number].status = scan.status
        templates[number].isDynamic = scan.isDynamic
        if scan.isDynamic { dynamicTemplates.insert(number) } else { dynamicTemplates.remove(number) }
        var children: [Int] = []
        for name in scan.names {
            guard let name = Self.normalizedName(name) else { continue }
            let child = node(forTemplate: name)
            if child != number, !children.contains(child) { children.append(child) }
        }
        templates[number].children = children
        for child in children { templates[child].parents.append(number) }
    }

    /// Forgets a template's references, so that `readUnread` reads it again.
    mutating func reset(template number: Int) {
        for child in templates[number].children { templates[child].parents.removeAll { $0 == number } }
        templates[number].children = []
        templates[number].isDynamic = false
        dynamicTemplates.remove(number)
        templates[number].status = .unread
        unread.append(number)
    }

    /// The references of template `name`, as the loader would read it: inside the template
    /// root only. A template that cannot be parsed names nothing (its configs fail until it is
    /// fixed, and fixing it is a change to it).
    func scan(_ name: String) -> Scan {
        let path = root + "/" + templatePath(name)
        guard let resolved = InputFile.resolved(path) else { return Scan(status: .missing) }
        guard let resolvedTemplates = resolvedTemplateRoot ?? InputFile.resolved(root + "/" + templateFolder),
              InputFile.isInside(resolved, resolvedTemplates) else { return Scan(status: .missing) }
        guard let bytes = try? InputFile.read(path, name: name, limit: 64 << 20),
              let text = String(validating: bytes, as: UTF8.self) else { return Scan(status: .broken) }
        guard let template = try? parser.template(fromString: text, name: name) else { return Scan(status: .broken) }
        var scan = Scan(status: .parsed)
        for reference in template.references {
            scan.names += reference.names
            if reference.isDynamic { scan.isDynamic = true }
        }
        return scan
    }
}
