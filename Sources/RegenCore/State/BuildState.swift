import FoundationEssentials
import Glibc
import Watcher

/// What the last builds left in the state folder (`.regen/build-state`): for each config and
/// variant, the digest of every file it read and of the output it wrote, and for each of those
/// files the stamp it had when it was hashed. `regen build` compares them with the files as they
/// are to find what is out of date.
struct BuildState: Sendable, Equatable {
    static let fileName = "build-state"

    /// One output as last built.
    struct Record: Sendable, Equatable {
        var configID: String
        /// The config's file, and how many outputs it has: when the file is unchanged and all of
        /// them are up to date, the file need not even be parsed.
        var configFile: FileID
        var targetCount: Int
        /// The generator's settings and the item's own place (see `ItemInputs.settings`).
        var settings: Digest
        var output: FileID
        var outputDigest: Digest
        /// Every file the item read (`templates/**` for a whole folder), with its digest when
        /// the item was rendered.
        var inputs: [Input]
    }

    struct Input: Sendable, Equatable {
        var file: FileID
        var digest: Digest
    }

    /// By item key (`BuildItem.stateKey`).
    var records: [String: Record] = [:]
    /// By `FileID`: the paths, relative to the project root, of the files the records name, and
    /// what was last seen of each. Saving keeps only the files that the records read or wrote,
    /// and those below a folder they read whole.
    private(set) var paths: [String] = []
    private(set) var entries: [FileEntry?] = []

    init() {}

    init(records: [String: Record], paths: [String], entries: [FileEntry?]) {
        self.records = records
        self.paths = paths
        self.entries = entries
    }

    /// The records of a build and the files of its table, whose numbering they use.
    init(records: [String: Record], files: FileTable) {
        self.init(records: records, paths: files.paths, entries: files.entries)
    }

    /// Numbers one more file (the decoder and tests build states this way).
    mutating func add(_ path: String, _ entry: FileEntry?) -> FileID {
        paths.append(path)
        entries.append(entry)
        return FileID(paths.count - 1)
    }

    /// Why a state file could not be used; the build then starts from nothing.
    struct Unusable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The state in `folder`: empty when there is none yet; empty with a warning when the file is
    /// corrupt, truncated or from another version of Regen.
    static func load(stateFolder folder: String) -> (state: BuildState, warning: String?) {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return (BuildState(), nil) }
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, name: path, limit: .max)
        } catch {
            return (BuildState(), "cannot read \(path); rebuilding everything")
        }
        do {
            return (try decode(bytes), nil)
        } catch {
            return (BuildState(), "ignoring \(path): \(error); rebuilding everything")
        }
    }

    /// Writes the state to `folder` (created as needed): a temporary file beside it, then a rename,
    /// so that a reader sees the old state or the new one, never half of one.
    func save(stateFolder folder: String) throws {
        try System.makeFolders(folder)
        let bytes = encoded()
        let temporary = folder + "/.\(Self.fileName).\(getpid()).tmp"
        let descriptor = try SystemCall.retrying("open") { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        var offset = 0
        do {
            while offset < bytes.count {
                offset += try SystemCall.retrying("write") {
                    bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                }
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        if rename(temporary, folder + "/" + Self.fileName) != 0 {
            let failure = SystemError(operation: "rename", code: errno)
            unlink(temporary)
            throw failure
        }
    }
}

extension BuildItem {
    /// The item's key in the state: its config's id and which of its targets.
    var stateKey: String { config.id + "#" + (target.variant.map(String.init) ?? "-") }
}
