import Documents
import FoundationEssentials
import Glibc
import Synchronization
import YAML

/// A loaded project: its settings and every content config that could be read. Configs that
/// could not be read are `problems` (configuration errors, exit status 2); the others still build.
struct Project: Sendable {
    /// Absolute, as the shell sees it (links not resolved).
    let root: String
    /// `root` with links resolved: what "inside the project" is checked against.
    let resolvedRoot: String
    let settings: ProjectSettings
    let configs: [ContentConfig]
    let problems: [Diagnostic]
    /// Every output of every config, in file order.
    let items: [BuildItem]

    /// `items` are those of `configs` unless given (`load` makes them as each config is admitted).
    init(root: String, resolvedRoot: String, settings: ProjectSettings, configs: [ContentConfig], problems: [Diagnostic],
         items: [BuildItem]? = nil) {
        self.root = root
        self.resolvedRoot = resolvedRoot
        self.settings = settings
        self.configs = configs
        self.problems = problems
        self.items = items ?? configs.flatMap(BuildItem.all(of:))
    }

    static let settingsFile = "watch.yaml"
    static let configExtensions: Set<String> = ["json", "yaml", "yml"]

    /// Loads `root`. Throws when the project as a whole is unusable: a bad `watch.yaml`, no
    /// configs folder.
    static func load(root: String) throws(Diagnostic) -> Project {
        let root = ProjectPath.absolute(root)
        guard let resolvedRoot = InputFile.resolved(root) else {
            throw Diagnostic(file: root, "the project folder does not exist")
        }
        let settings = try loadSettings(root: root)
        Executor.shared.configure(settings)
        Executor.shared.prestart(.render)
        let configsFolder = root + "/" + settings.configs
        var isFolder = false
        guard FileManager.default.fileExists(atPath: configsFolder, isDirectory: &isFolder), isFolder else {
            throw Diagnostic(file: settings.configs, "no configs folder in \(root) (run regen in the project's folder or pass --project DIR)")
        }
        // Reading and decoding thousands of configs is a real share of a build: on the executor's
        // render slots, in parallel, each checked against the ones before it as they arrive.
        let files = configFiles(in: settings.configs, root: root).sorted()
        let admission = ConfigAdmission(count: files.count)
        Executor.shared.forEach(files.count) { index in
            admission.deliver(Result { () throws(Diagnostic) in try loadConfig(files[index], root: root, resolvedRoot: resolvedRoot) },
                              at: index)
        }
        let (configs, problems, items) = admission.admitted
        return Project(root: root, resolvedRoot: resolvedRoot, settings: settings, configs: configs, problems: problems, items: items)
    }

    static func loadSettings(root: String) throws(Diagnostic) -> ProjectSettings {
        let path = root + "/" + settingsFile
        guard FileManager.default.fileExists(atPath: path) else { return ProjectSettings() }
        let source = SourceFile(name: settingsFile, bytes: try InputFile.read(path, name: settingsFile))
        let document: Document
        do {
            document = try YAMLReader.read(source.bytes, file: settingsFile)
        } catch {
            throw Diagnostic(any: error, file: settingsFile)
        }
        return try ProjectSettings(document, source: source)
    }

    /// Config files under `folder`, relative to the project root, in the order the folders list
    /// them (a build sorts those it reads). Hidden files and editor leftovers are not configs.
    static func configFiles(in folder: String, root: String) -> [String] {
        var files: [String] = []
        InputFile.forEachFile(below: root + "/" + folder, including: { !isHiddenOrLeftover($0) }) { file in
            if isConfigFileName(ProjectPath.lastComponent(file)) { files.append(folder + "/" + file) }
        }
        return files
    }

    /// Hidden files and folders, and editor leftovers (`x.json~`): never configs. (Bytes, not
    /// Characters: these run for every file of the configs folder on every build.)
    static func isHiddenOrLeftover(_ name: String) -> Bool {
        name.utf8.first == UInt8(ascii: ".") || name.utf8.last == UInt8(ascii: "~")
    }

    /// A config file's name: not hidden nor a leftover, and `*.json`, `*.yaml` or `*.yml` in any
    /// case.
    static func isConfigFileName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !isHiddenOrLeftover(name), let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let suffix = bytes[bytes.index(after: dot)...]
        // Setting bit 0x20 lowercases ASCII letters and turns no other byte into a letter.
        return configExtensions.contains { $0.utf8.elementsEqual(suffix.lazy.map { $0 | 0x20 }) }
    }

    static func loadConfig(_ file: String, root: String, resolvedRoot: String) throws(Diagnostic) -> ContentConfig {
        let path = root + "/" + file
        guard let resolved = InputFile.resolved(path), InputFile.isInside(resolved, resolvedRoot) else {
            throw Diagnostic(file: file, "the config is a link that leads outside the project")
        }
        let source = SourceFile(name: file, bytes: try InputFile.read(path, name: file))
        let document: Document
        do {
            if file.hasSuffix(".json") {
                document = try JSONReader.read(source.bytes, file: file)
            } else {
                document = try YAMLReader.read(source.bytes, file: file)
            }
        } catch {
            throw Diagnostic(any: error, file: file)
        }
        return try ContentConfig(document, source: source, file: file)
    }

    func config(id: String) -> ContentConfig? {
        configs.first { $0.id == id }
    }

    /// An absolute path for a path relative to the project root.
    func path(_ relative: String) -> String { root + "/" + relative }

    var templateRoot: String { path(settings.templates) }
    var outputRoot: String { path(settings.output) }
}
