import Documents
import FoundationEssentials
import Glibc
import Watcher

/// The last run of `regen build`, `regen batch` or `regen retry`, kept in the state folder
/// (`.regen/last-run.json`) so that `regen retry` can run its failed items again, with the same
/// output paths and operation contexts.
struct LastRun {
    struct Entry {
        var id: String
        var variant: Int?
        var output: String?
        /// The output was chosen by the batch (`output_dir`, `output_path`), not by the config.
        var customOutput: Bool
        /// A batch operation's context, merged over the config's.
        var context: Document?
        var failed: Bool
        var message: String?
    }

    var command: String
    var entries: [Entry]

    static let fileName = "last-run.json"

    static func path(_ project: Project) -> String { project.path(project.settings.state) + "/" + fileName }

    init(command: String, entries: [Entry]) {
        self.command = command
        self.entries = entries
    }

    /// The run's items and their outcome.
    init(command: String, report: BuildReport) {
        self.command = command
        entries = report.results.compactMap { result -> Entry? in
            guard let item = result.item else {
                // An id that named no config: kept so that a retry, once it exists, builds it.
                guard let message = result.failure?.message, message.hasPrefix(Self.notFoundPrefix) else { return nil }
                return Entry(id: String(message.dropFirst(Self.notFoundPrefix.count)), variant: nil, output: nil,
                             customOutput: false, context: nil, failed: true, message: message)
            }
            return Entry(id: item.config.id, variant: item.target.variant, output: item.target.output,
                         customOutput: item.customOutput, context: item.extra,
                         failed: result.failure != nil, message: result.failure?.message)
        }
    }

    static let notFoundPrefix = "Content config not found: "

    var document: Document {
        .record([
            ("version", .number(1)),
            ("command", .text(command)),
            ("items", .list(entries.map { entry in
                .record([
                    ("id", .text(entry.id)),
                    ("variant", entry.variant.map { .number($0) } ?? .text(nil)),
                    ("output", .text(entry.output)),
                    ("custom_output", .bool(entry.customOutput, Mark(line: 0, column: 0))),
                    ("context", entry.context ?? .text(nil)),
                    ("status", .text(entry.failed ? "failed" : "succeeded")),
                    ("error", .text(entry.message)),
                ])
            })),
        ])
    }

    /// Writes the file in one step (a temporary file in the state folder, then a rename), so that
    /// a reader never sees half of it.
    func save(_ project: Project) throws(Diagnostic) {
        let folder = project.path(project.settings.state)
        let target = Self.path(project)
        let temporary = folder + "/.\(Self.fileName).\(getpid()).tmp"
        do {
            try System.makeFolders(folder)
            let bytes = Array((document.jsonText + "\n").utf8)
            let fd = try SystemCall.retrying("open") { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let count = try SystemCall.retrying("write") {
                    bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                }
                offset += count
            }
            try SystemCall.retrying("rename") { rename(temporary, target) }
        } catch {
            unlink(temporary)
            throw Diagnostic(file: ProjectPath.join(project.settings.state, Self.fileName), "cannot save the last run: \(error)")
        }
    }

    /// Reads the last run; nil when there is none.
    static func load(_ project: Project) throws(Diagnostic) -> LastRun? {
        let path = Self.path(project)
        let name = ProjectPath.join(project.settings.state, fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let source = SourceFile(name: name, bytes: try InputFile.read(path, name: name))
        let document: Document
        do {
            document = try JSONReader.read(source.bytes, file: name)
        } catch {
            throw Diagnostic(any: error, file: name)
        }
        let top = try MappingReader(document, source: source)
        var entries: [Entry] = []
        for (path, item) in try top.list("items") ?? [] {
            let reader = try MappingReader(item, source: source, path: path)
            guard let id = try reader.string("id") else { throw reader.source.error(at: reader.mark, "'\(path)' needs an 'id'") }
            entries.append(Entry(id: id, variant: try reader.int("variant", minimum: 0), output: try reader.string("output"),
                                 customOutput: try reader.bool("custom_output") ?? false, context: reader["context"],
                                 failed: try reader.string("status") == "failed", message: try reader.string("error")))
        }
        return LastRun(command: try top.string("command") ?? "build", entries: entries)
    }

    /// The failed items again, as they ran; ids that name no config (any more) come back as
    /// failures.
    func failedItems(in project: Project) -> (items: [BuildItem], missing: [ItemResult]) {
        var items: [BuildItem] = []
        var missing: [ItemResult] = []
        for entry in entries where entry.failed {
            guard let config = project.config(id: entry.id) else {
                missing.append(ItemResult(item: nil, status: .failed(Diagnostic(Self.notFoundPrefix + entry.id)), seconds: 0))
                continue
            }
            var target = config.targets.first { $0.variant == entry.variant }
                ?? ContentConfig.Target(variant: nil, output: entry.output ?? config.id, mark: config.idMark)
            if entry.customOutput, let output = entry.output { target.output = output }
            items.append(BuildItem(config: config, target: target, extra: entry.context, customOutput: entry.customOutput))
        }
        return (items, missing)
    }
}
