import Documents
import Foundation
import Testing
@testable import RegenCore

/// A temporary project folder, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/regen-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }

    func write(_ relative: String, _ data: Data) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A JSON text as a configuration file would hold it.
func source(_ text: String, name: String = "watch.yaml") -> (Document, SourceFile) {
    let file = SourceFile(name: name, bytes: Array(text.utf8))
    // The tests write JSON, which YAML readers accept too: they exercise the decoder, not a reader.
    let document = (try? JSONReader.read(text, file: name)) ?? .null(Mark(line: 1, column: 1))
    return (document, file)
}

/// Decodes settings from JSON text; the error, if any.
func settingsError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic? {
    let (document, file) = source(text)
    do {
        _ = try ProjectSettings(document, source: file)
        return nil
    } catch {
        return error
    }
}

/// Decodes a config from JSON text; the error, if any.
func configError(_ text: String, file: String = "configs/page.json") -> Diagnostic? {
    let (document, sourceFile) = source(text, name: file)
    do {
        _ = try ContentConfig(document, source: sourceFile, file: file)
        return nil
    } catch {
        return error
    }
}

func config(_ text: String, file: String = "configs/page.json") throws -> ContentConfig {
    let (document, sourceFile) = source(text, name: file)
    return try ContentConfig(document, source: sourceFile, file: file)
}

/// A project in `folder` with `settings`, loaded as `regen` would.
func loadProject(_ folder: TemporaryFolder, settings: ProjectSettings? = nil) throws -> Project {
    let project = try Project.load(root: folder.path)
    guard let settings else { return project }
    return Project(root: project.root, resolvedRoot: project.resolvedRoot, settings: settings,
                   configs: project.configs, problems: project.problems)
}

/// Renders the one output of config `id`, returning the text or the error's message.
func render(_ project: Project, _ id: String) -> Result<String, Diagnostic> {
    guard let config = project.config(id: id), let target = config.targets.first else {
        return .failure(Diagnostic("no config \(id)"))
    }
    return Result { () throws(Diagnostic) in try RenderSession(project: project).render(config, target: target) }
}
