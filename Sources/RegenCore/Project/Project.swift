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
        let configsFolder = root + "/" + settings.configs
        var isFolder = false
        guard FileManager.default.fileExists(atPath: configsFolder, isDirectory: &isFolder), isFolder else {
            throw Diagnostic(file: settings.configs, "no configs folder in \(root) (run regen in the project's folder or pass --project DIR)")
        }
        // Reading and decoding thousands of configs is a real share of a build: on the executor's
        // render slots, in parallel; checked against each other below, in file order.
        let files = configFiles(in: settings.configs, root: root)
        let loaded = Mutex<[Result<ContentConfig, Diagnostic>?]>(Array(repeating: nil, count: files.count))
        Executor.shared.configure(settings)
        Executor.shared.forEach(files.count) { index in
            let result = Result { () throws(Diagnostic) in try loadConfig(files[index], root: root, resolvedRoot: resolvedRoot) }
            loaded.withLock { $0[index] = result }
        }
        // The checks run on one thread while the others wait: names only, no copies of configs.
        var configs: [ContentConfig] = []
        configs.reserveCapacity(files.count)
        var problems: [Diagnostic] = []
        var fileOfID: [String: String] = [:]
        fileOfID.reserveCapacity(files.count)
        var idOfOutput: [String: String] = [:]
        idOfOutput.reserveCapacity(files.count)
        for result in loaded.withLock({ $0 }) {
            let config: ContentConfig
            switch result {
            case .success(let value)?:
                config = value
            case .failure(let error)?:
                problems.append(error)
                continue
            case nil:
                continue
            }
            if let first = fileOfID[config.id] {
                problems.append(config.source.error(at: config.idMark, "Duplicate config id '\(config.id)': \(first) and \(config.file)"))
                continue
            }
            if let clash = config.targets.first(where: { idOfOutput[$0.output] != nil }) {
                let other = idOfOutput[clash.output] ?? ""
                problems.append(config.source.error(at: clash.mark, "two configs write \(clash.output): \(other) and \(config.id)"))
                continue
            }
            if config.targets.count > 1 {
                var seen: Set<String> = []
                if let clash = config.targets.first(where: { !seen.insert($0.output).inserted }) {
                    problems.append(config.source.error(at: clash.mark, "two outputs of '\(config.id)' land on \(clash.output)"))
                    continue
                }
            }
            fileOfID[config.id] = config.file
            for target in config.targets { idOfOutput[target.output] = config.id }
            configs.append(config)
        }
        return Project(root: root, resolvedRoot: resolvedRoot, settings: settings, configs: configs, problems: problems)
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

    /// Config files under `folder`, relative to the project root, in a stable order. Hidden files
    /// and editor leftovers are not configs.
    static func configFiles(in folder: String, root: String) -> [String] {
        var files: [String] = []
        InputFile.forEachFile(below: root + "/" + folder, including: { !$0.hasPrefix(".") && !$0.hasSuffix("~") }) { file in
            if configExtensions.contains(ProjectPath.pathExtension(file).lowercased()) { files.append(folder + "/" + file) }
        }
        return files.sorted()
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
