import Glibc
import Synchronization

/// What `stat` says about a file. When none of it changed since the file was hashed, the file's
/// bytes are taken to be the same and it is not read again (git's index works the same way).
struct FileStamp: Hashable, Sendable {
    var size: Int64
    /// Modification and status-change times, in nanoseconds since 1970.
    var modified: Int64
    var changed: Int64
    var inode: UInt64
    var device: UInt64

    init(size: Int64, modified: Int64, changed: Int64, inode: UInt64, device: UInt64) {
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
        self.device = device
    }

    init(_ status: stat) {
        size = Int64(status.st_size)
        modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        changed = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
        inode = UInt64(status.st_ino)
        device = UInt64(status.st_dev)
    }
}

/// A file as last seen: its stamp (nil when it was absent or unreadable) and its digest.
struct FileEntry: Equatable, Sendable {
    var stamp: FileStamp?
    var digest: Digest
    /// The file had been modified less than `FileTable.racyWindow` before it was hashed, so a
    /// later change within the same clock tick could leave the same stamp: the stamp is not
    /// trusted and the file is hashed again next time (git's "racily clean" entries).
    var racy: Bool
}

/// A file's number in a `FileTable`, and in the `BuildState` made from it. Records name the files
/// they read by number, so that checking 2,000 records is indexing arrays, not hashing paths.
struct FileID: Hashable, Sendable {
    let index: Int32

    init(_ index: Int) { self.index = Int32(index) }

    var position: Int { Int(index) }
}

/// The digests of project files for one build: each file is looked at once per build, and read
/// only when its stamp differs from the one recorded with its digest last time.
struct FileTable {
    /// Absolute project root; paths given to the table are relative to it.
    let root: String
    /// By `FileID`: the state's paths first, in its order, then those this build met.
    private(set) var paths: [String]
    private var ids: [String: FileID]
    /// By `FileID`: what the previous build saw (nil for a file it did not know).
    private var previous: [FileEntry?]
    /// By `FileID`: what this build has seen so far.
    private var current: [FileEntry?]
    /// Wall-clock time (ns since 1970) when this build started, before any file was looked at.
    let started: Int64
    /// How many files this build had to read (for tests and the benchmark).
    private(set) var hashed = 0

    /// Longer than the timestamp granularity of any file system in use (1 s on the coarsest).
    static let racyWindow: Int64 = 1_000_000_000
    /// Files larger than this are never trusted to be unchanged (their digest is "unreadable").
    static let readLimit = 1 << 30
    /// The suffix of a path that stands for every file below a folder (`templates/**`).
    static let everything = "/**"

    /// Whether `path` ends in `everything`, by its last bytes: asked of every path at every build.
    static func standsForFolder(_ path: String) -> Bool {
        let utf8 = path.utf8
        return utf8.count >= 3 && utf8.last == UInt8(ascii: "*") && path.hasSuffix(everything)
    }

    /// The files of `state`, with its numbering: its records' `FileID`s name the same files here.
    init(root: String, state: BuildState) {
        self.root = root
        paths = state.paths
        previous = state.entries
        current = Array(repeating: nil, count: paths.count)
        ids = Dictionary(minimumCapacity: paths.count)
        for (index, path) in paths.enumerated() { ids[path] = FileID(index) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        started = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// The number of `relative`, a new one when the table does not know it yet.
    mutating func id(_ relative: String) -> FileID {
        if let id = ids[relative] { return id }
        let id = FileID(paths.count)
        paths.append(relative)
        previous.append(nil)
        current.append(nil)
        ids[relative] = id
        return id
    }

    /// The number of `relative` when the table knows it.
    func existingID(_ relative: String) -> FileID? { ids[relative] }

    func path(_ id: FileID) -> String { paths[id.position] }

    /// The digest of the file (or of every file below a folder, for `folder/**`), `.absent` when
    /// there is none.
    mutating func digest(of id: FileID) -> Digest {
        if let seen = current[id.position] { return seen.digest }
        let relative = paths[id.position]
        let entry = Self.standsForFolder(relative) ? folderEntry(relative) : observe(id)
        current[id.position] = entry
        return entry.digest
    }

    mutating func digest(of relative: String) -> Digest { digest(of: id(relative)) }

    /// Forgets what this build saw of the file, so that the next `digest(of:)` looks again (an
    /// output this build has just written).
    mutating func forget(_ id: FileID) {
        if let entry = current[id.position] {
            previous[id.position] = entry
            current[id.position] = nil
        }
    }

    mutating func forget(_ relative: String) {
        if let id = ids[relative] { forget(id) }
    }

    /// What this build saw of the file, else what the previous one did.
    func lastSeen(_ id: FileID) -> FileEntry? { current[id.position] ?? previous[id.position] }

    /// By `FileID`, every file the table knows: this build's entry where it looked, else the
    /// previous one. (A saved state keeps those its records name: `BuildState.encoded`.)
    var entries: [FileEntry?] {
        var all = previous
        for (index, entry) in current.enumerated() where entry != nil { all[index] = entry }
        return all
    }

    /// Looks at every file the previous build knew, on all render slots at once: `regen build`
    /// looks at nearly all of them anyway, and one `stat` after another was a fifth of a build
    /// that had little to do.
    mutating func lookAtPreviousFiles() {
        let (root, paths, previous, started) = (self.root, self.paths, self.previous, self.started)
        let known = paths.indices.filter { previous[$0] != nil && !Self.standsForFolder(paths[$0]) }
        let chunkSize = 256
        let chunks = (known.count + chunkSize - 1) / chunkSize
        let hashedNow = Atomic<Int>(0)
        current.withUnsafeMutableBufferPointer { current in
            // Each index is written by one thread only, and read after `forEach` has returned.
            nonisolated(unsafe) let current = current
            Executor.shared.forEach(chunks) { chunk in
                for position in known[chunk * chunkSize..<min(known.count, (chunk + 1) * chunkSize)] {
                    let seen = Self.look(at: root + "/" + paths[position], previous: previous[position], started: started)
                    current[position] = seen.entry
                    if seen.hashed { hashedNow.add(1, ordering: .relaxed) }
                }
            }
        }
        hashed += hashedNow.load(ordering: .relaxed)
    }

    private mutating func observe(_ id: FileID) -> FileEntry {
        let seen = Self.look(at: root + "/" + paths[id.position], previous: previous[id.position], started: started)
        if seen.hashed { hashed += 1 }
        return seen.entry
    }

    /// The file at `path` (absolute) as it is now: `previous` when its stamp did not change, else
    /// read and hashed.
    private static func look(at path: String, previous: FileEntry?, started: Int64) -> (entry: FileEntry, hashed: Bool) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return (FileEntry(stamp: nil, digest: errno == ENOENT || errno == ENOTDIR ? .absent : .unreadable, racy: false), false)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            // A folder or a device where a file is expected: the readers refuse it as well.
            return (FileEntry(stamp: nil, digest: .unreadable, racy: false), false)
        }
        let stamp = FileStamp(status)
        if let previous, !previous.racy, previous.stamp == stamp { return (previous, false) }
        return (hash(path, started: started), true)
    }

    /// Reads and hashes one file; the stamp comes from the open descriptor, taken before reading.
    static func hash(_ path: String, started: Int64) -> FileEntry {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            return FileEntry(stamp: nil, digest: errno == ENOENT || errno == ENOTDIR ? .absent : .unreadable, racy: false)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) <= readLimit else {
            return FileEntry(stamp: nil, digest: .unreadable, racy: false)
        }
        let stamp = FileStamp(status)
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
        }
        // A file that shrank while being read: hash what was there; the stamp will differ next time.
        let digest = bytes.withUnsafeBytes { Digest(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<total])) }
        return FileEntry(stamp: stamp, digest: digest, racy: stamp.modified > started - racyWindow)
    }

    /// One digest for every file below a folder: their paths and digests, in order. A config
    /// whose template names another at render time depends on this.
    private mutating func folderEntry(_ relative: String) -> FileEntry {
        let folder = String(relative.dropLast(Self.everything.count))
        // Links are listed as files and followed when read, as the template loader follows them.
        var files: [String] = []
        InputFile.forEachFile(below: root + "/" + folder) { files.append($0) }
        var builder = DigestBuilder()
        for name in files.sorted() {
            builder.add(name)
            builder.add(digest(of: folder + "/" + name))
        }
        return FileEntry(stamp: nil, digest: builder.digest, racy: false)
    }
}

extension FileTable {
    /// What an item that reads `paths` records of them: each file with its digest now.
    mutating func inputs(_ paths: [String]) -> [BuildState.Input] {
        paths.map { path in
            let id = id(path)
            return BuildState.Input(file: id, digest: digest(of: id))
        }
    }
}
