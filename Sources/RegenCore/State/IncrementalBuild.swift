import FoundationEssentials
import Jinja
import Synchronization

/// One `regen build`'s use of the state folder: which items are out of date, what the items it
/// rebuilds read (with their digests, taken before rendering), and the state it leaves for the
/// next build.
///
/// An item is out of date when it has no record (never built, or failed last time), when its
/// generator's settings or its output path changed, when any file it read has other bytes now
/// (created, deleted, edited: a touch or a byte-identical save is no change), or when its output
/// is missing or was edited by hand. Files are looked at by their stamp (size, times, inode)
/// first and read only when that changed.
struct IncrementalBuild {
    /// The project, or (from `outOfDate(root:)`) only the configs that had to be read.
    private(set) var project: Project
    /// When `project` holds only some configs: by `FileID`, the config files that were not read
    /// because all their outputs were up to date.
    private var unreadFiles: [Bool]?
    /// Absolute.
    let stateFolder: String
    private(set) var previous: BuildState
    private(set) var files: FileTable
    /// Set when the state file could not be used.
    let warning: String?
    /// Inputs taken before rendering, by item key.
    private var prepared: [String: BuildState.Record] = [:]

    init(project: Project) {
        let (state, warning) = BuildState.load(stateFolder: project.path(project.settings.state))
        self.init(project: project, state: state, warning: warning)
    }

    /// With a state already read (the daemon's, in memory), with the warning of reading it.
    init(project: Project, state: BuildState, warning: String? = nil) {
        self.init(project: project, state: state, files: FileTable(root: project.root, state: state), warning: warning)
    }

    /// `files` made from `state`.
    private init(project: Project, state: BuildState, files: FileTable, warning: String?) {
        self.project = project
        stateFolder = project.path(project.settings.state)
        previous = state
        self.warning = warning
        self.files = files
    }

    /// The items of `items` that are out of date, and how many are not.
    mutating func outOfDate(_ items: [BuildItem]) -> (stale: [BuildItem], skipped: Int) {
        var stale: [BuildItem] = []
        for item in items where !isUpToDate(item) { stale.append(item) }
        return (stale, items.count - stale.count)
    }

    mutating func isUpToDate(_ item: BuildItem) -> Bool {
        guard let record = previous.records[item.stateKey], record.configID == item.config.id,
              files.path(record.configFile) == item.config.file, record.targetCount == item.config.targets.count,
              record.settings == settingsDigest(item), files.path(record.output) == outputPath(item) else { return false }
        return isUpToDate(record)
    }

    /// Whether every file the record read, and its output, are as they were.
    mutating func isUpToDate(_ record: BuildState.Record) -> Bool {
        for input in record.inputs where files.digest(of: input.file) != input.digest { return false }
        return files.digest(of: record.output) == record.outputDigest
    }

    /// `regen build` without ids, reading only what may have changed (as git does with its
    /// index): a config file whose bytes are the ones recorded, and whose every output is up to
    /// date, is not even parsed. Loads the whole project instead when there is no state yet, or
    /// when a config that had to be read could clash (id or output) with one that was not.
    static func outOfDate(root given: String) throws(Diagnostic) -> (build: IncrementalBuild, stale: [BuildItem], skipped: Int) {
        /// `read`: a build made from the state file already read; its state and warning are kept
        /// rather than read again.
        func whole(_ read: IncrementalBuild? = nil) throws(Diagnostic) -> (build: IncrementalBuild, stale: [BuildItem], skipped: Int) {
            let project = try Project.load(root: given)
            var build = read.map { IncrementalBuild(project: project, state: $0.previous, warning: $0.warning) }
                ?? IncrementalBuild(project: project)
            let (stale, skipped) = build.outOfDate(Builder.items(build.project, ids: []).items)
            return (build, stale, skipped)
        }
        let root = ProjectPath.absolute(given)
        guard let resolvedRoot = InputFile.resolved(root) else { return try whole() }
        let settings = try Project.loadSettings(root: root)
        var isFolder = false
        guard FileManager.default.fileExists(atPath: root + "/" + settings.configs, isDirectory: &isFolder), isFolder else {
            return try whole()
        }
        let project = Project(root: root, resolvedRoot: resolvedRoot, settings: settings, configs: [], problems: [])
        // The configs folder's listing and the state file (with its table of files) are
        // independent: both are made at once.
        Executor.shared.configure(settings)
        // As `Project.load` does: a thread made on demand by `forEach` below came too late to
        // take its half, and the state was read after the listing instead of beside it.
        Executor.shared.prestart(.render)
        let listing = Mutex<[String]>([])
        let loaded = Mutex<IncrementalBuild?>(nil)
        Executor.shared.forEach(2) { part in
            if part == 0 {
                let files = Project.configFiles(in: settings.configs, root: root)
                listing.withLock { $0 = files }
            } else {
                let (state, warning) = BuildState.load(stateFolder: project.path(settings.state))
                let build = IncrementalBuild(project: project, state: state, files: FileTable(root: root, state: state), warning: warning)
                loaded.withLock { $0 = build }
            }
        }
        let read = loaded.withLock { $0 }
        guard var build = read, !build.previous.records.isEmpty else { return try whole(read) }
        build.files.lookAtPreviousFiles()
        let grouped = RecordsByFile(build.previous)
        var unread = [Bool](repeating: false, count: build.files.paths.count)
        var skipped = 0
        var toRead: [String] = []
        var newOrEdited = false
        for file in listing.withLock({ $0 }) {
            let id = build.files.existingID(file)
            if let id, let outputs = build.upToDateOutputs(of: id, grouped) {
                skipped += outputs
                unread[id.position] = true
                continue
            }
            if !(id.map { build.hasRecordedBytes(configFile: $0, grouped) } ?? false) { newOrEdited = true }
            toRead.append(file)
        }
        // In the order `Project.load` reads them, so that problems come in the same order.
        var configs: [ContentConfig] = []
        var problems: [Diagnostic] = []
        for file in toRead.sorted() {
            do {
                configs.append(try Project.loadConfig(file, root: root, resolvedRoot: resolvedRoot))
            } catch {
                problems.append(error)
            }
        }
        // A config file with the bytes its records were made from has their id and outputs, and
        // those clashed with no other record's: only a new or edited one can clash with a config
        // that was not read (a template edit reads configs, but edits none).
        if newOrEdited {
            var ids: Set<String> = []
            var outputs: Set<String> = []
            for record in grouped.records where unread[record.configFile.position] {
                ids.insert(record.configID)
                outputs.insert(build.files.path(record.output))
            }
            for config in configs {
                guard ids.insert(config.id).inserted else { return try whole(build) }
                for target in config.targets {
                    let output = build.outputPath(BuildItem(config: config, target: target))
                    guard outputs.insert(output).inserted else { return try whole(build) }
                }
            }
        }
        build.project = Project(root: root, resolvedRoot: resolvedRoot, settings: settings, configs: configs, problems: problems)
        build.unreadFiles = unread
        let (stale, alsoSkipped) = build.outOfDate(Builder.items(build.project, ids: []).items)
        return (build, stale, skipped + alsoSkipped)
    }

    /// How many outputs the config in `file` has, when its records are those of one config, one
    /// per output, and every one is up to date; nil when the file must be read.
    private mutating func upToDateOutputs(of file: FileID, _ grouped: RecordsByFile) -> Int? {
        var count = 0
        var first: BuildState.Record?
        for position in grouped.positions(of: file) {
            let record = grouped.records[position]
            if first == nil { first = record }
            guard record.configID == first?.configID, isUpToDate(record) else { return nil }
            count += 1
        }
        return count > 0 && count == first?.targetCount ? count : nil
    }

    /// Whether the config file has the bytes it had when its records were made.
    private mutating func hasRecordedBytes(configFile file: FileID, _ grouped: RecordsByFile) -> Bool {
        for position in grouped.positions(of: file) {
            guard let input = grouped.records[position].inputs.first(where: { $0.file == file }) else { return false }
            return files.digest(of: file) == input.digest
        }
        return false
    }

    /// The output's path relative to the project root.
    func outputPath(_ item: BuildItem) -> String { Self.outputPath(item, settings: project.settings) }

    static func outputPath(_ item: BuildItem, settings: ProjectSettings) -> String {
        ProjectPath.join(settings.output, RelativePath.normalized(item.target.output) ?? item.target.output)
    }

    /// What decides an item's output besides the files it reads: the settings its generator
    /// renders with, and the state format.
    func settingsDigest(_ item: BuildItem) -> Digest { Self.settingsDigest(item, settings: project.settings) }

    static func settingsDigest(_ item: BuildItem, settings: ProjectSettings) -> Digest {
        var builder = DigestBuilder()
        builder.add(UInt64(BuildState.version))
        builder.add(item.config.generator.rawValue)
        builder.add(settings.templates)
        builder.add(settings.undefined.rawValue)
        switch settings.autoescape {
        case .never: builder.add("never")
        case .always: builder.add("always")
        case .suffixes(let list): builder.add("suffixes:" + list.joined(separator: "\u{0}"))
        }
        builder.add(settings.jinja.keepTrailingNewline)
        builder.add(settings.jinja.trimBlocks)
        builder.add(settings.jinja.lstripBlocks)
        if item.config.generator == .command {
            builder.add(settings.commandGenerator.enabled)
            builder.add(UInt64(settings.batch.itemTimeoutSeconds * 1000))
        }
        return builder.digest
    }

    /// Notes what each of `items` reads, and the digest of each of those files, before they are
    /// rendered: a file that changes while the build runs is then seen as changed next time.
    mutating func prepare(_ items: [BuildItem]) {
        guard !items.isEmpty else { return }
        var configs: [ContentConfig] = []
        var seen: Set<String> = []
        for item in items where seen.insert(item.config.id).inserted { configs.append(item.config) }
        let index = DependencyIndex.build(project: project, configs: configs)
        var inputsByConfig: [String: [BuildState.Input]] = [:]
        for config in configs {
            let paths = index.inputs(ofConfig: config.id)?.paths ?? [config.file]
            inputsByConfig[config.id] = files.inputs(paths)
        }
        for item in items {
            prepared[item.stateKey] = BuildState.Record(configID: item.config.id, configFile: files.id(item.config.file),
                                                       targetCount: item.config.targets.count, settings: settingsDigest(item),
                                                       output: files.id(outputPath(item)), outputDigest: .absent,
                                                       inputs: inputsByConfig[item.config.id] ?? [])
        }
    }

    /// The state after `results`: a record for each item built (its output hashed as it is now
    /// on disk), none for a failed item (it is out of date until it builds), none for configs
    /// that no longer exist; the previous records of everything else. Nil when that is the state
    /// that was read, which then need not be written again. The last use of this build.
    private mutating func finish(_ results: [ItemResult]) -> BuildState? {
        // Taken out of `previous`, so that changing them does not copy every record.
        var records = previous.records
        previous.records = [:]
        var changed = false
        for result in results {
            guard let item = result.item else { continue }
            let key = item.stateKey
            switch result.status {
            case .written, .unchanged:
                guard var record = prepared[key] else { break }
                files.forget(record.output)
                record.outputDigest = files.digest(of: record.output)
                if records.updateValue(record, forKey: key) != record { changed = true }
                continue
            case .failed, .rendered:
                break
            }
            if records.removeValue(forKey: key) != nil { changed = true }
        }
        // `project` holds every config, or those that were read besides `unreadFiles`.
        let readIDs = Set(project.configs.map(\.id))
        func isLive(_ record: BuildState.Record) -> Bool {
            if let unreadFiles, record.configFile.position < unreadFiles.count, unreadFiles[record.configFile.position] { return true }
            return readIDs.contains(record.configID)
        }
        for (key, record) in records where !isLive(record) {
            records[key] = nil
            changed = true
        }
        let entries = files.entries
        guard changed || entries != previous.entries else { return nil }
        return BuildState(records: records, paths: files.paths, entries: entries)
    }

    /// Records `results` (see `finish`) and writes the state, unless it is the one that was read.
    mutating func save(after results: [ItemResult]) throws {
        guard let state = finish(results) else { return }
        try state.save(stateFolder: stateFolder)
    }
}

/// A state's records by config file, as chains through one array (an array for each of 2,000
/// config files cost an allocation each).
private struct RecordsByFile {
    let records: [BuildState.Record]
    /// By `FileID`: the position of the file's first record, -1 for none.
    private var first: [Int32]
    /// By position: the position of the same file's next record, -1 after the last.
    private var next: [Int32]

    init(_ state: BuildState) {
        records = Array(state.records.values)
        first = Array(repeating: -1, count: state.paths.count)
        next = Array(repeating: -1, count: records.count)
        for (position, record) in records.enumerated() {
            next[position] = first[record.configFile.position]
            first[record.configFile.position] = Int32(position)
        }
    }

    func positions(of file: FileID) -> Positions { Positions(links: next, position: Int(first[file.position])) }

    struct Positions: Sequence, IteratorProtocol {
        let links: [Int32]
        var position: Int

        mutating func next() -> Int? {
            guard position >= 0 else { return nil }
            defer { position = Int(links[position]) }
            return position
        }
    }
}
