import Glibc
import Synchronization
import Watcher

/// Writes outputs under the output root with the promises of DESIGN.md: a file is never seen
/// half written (it is written aside, then linked or renamed into place), an output whose bytes
/// did not change is not touched (its mtime stays), and nothing lands outside the output root:
/// each folder below the root is opened without following links, so a link planted inside the
/// root cannot lead a write elsewhere.
struct OutputWriter: Sendable {
    /// The output root, absolute.
    let root: String

    enum Outcome: String, Sendable {
        case written, unchanged
    }

    /// `O_TMPFILE`, which the Glibc module does not export (x86-64 and arm64 value).
    static let openTemporaryFile: Int32 = 0o20200000
    private static let counter = Atomic<Int>(0)

    /// Writes `bytes` to `relative` (a path under the root), unless the file already holds them.
    func write(_ bytes: [UInt8], to relative: String) throws(Diagnostic) -> Outcome {
        guard let path = RelativePath.normalized(relative) else {
            throw Diagnostic(file: relative, "the output path \(RelativePath.problem(with: relative))")
        }
        var folders = path.split(separator: "/").map(String.init)
        let name = folders.removeLast()
        let folder = try openFolder(folders, for: path)
        defer { close(folder) }
        if try holds(bytes, folder: folder, name: name, path: path) { return .unchanged }
        do {
            try replace(name, in: folder, with: bytes)
        } catch {
            throw Diagnostic(file: ProjectPath.join(root, path), "cannot write the output: \(error)")
        }
        return .written
    }

    /// Opens (creating as needed) the root, then each folder below it without following links.
    private func openFolder(_ folders: [String], for path: String) throws(Diagnostic) -> Int32 {
        do {
            try System.makeFolders(root)
        } catch {
            throw Diagnostic(file: root, "cannot create the output folder: \(error)")
        }
        var current = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw Diagnostic(file: root, "cannot open the output folder: \(String(cString: strerror(errno)))") }
        for folder in folders {
            if mkdirat(current, folder, 0o777) != 0, errno != EEXIST {
                let reason = String(cString: strerror(errno))
                close(current)
                throw Diagnostic(file: ProjectPath.join(root, path), "cannot create the folder '\(folder)': \(reason)")
            }
            let next = openat(current, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(current)
            guard next >= 0 else {
                let reason = failure == ELOOP || failure == ENOTDIR
                    ? "'\(folder)' is a link or not a folder, and outputs never go through links (they could lead outside the output folder)"
                    : String(cString: strerror(failure))
                throw Diagnostic(file: ProjectPath.join(root, path), "cannot write the output: \(reason)")
            }
            current = next
        }
        return current
    }

    /// Whether the file `name` is a regular file holding exactly `bytes`.
    private func holds(_ bytes: [UInt8], folder: Int32, name: String, path: String) throws(Diagnostic) -> Bool {
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return false }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw Diagnostic(file: ProjectPath.join(root, path), "cannot write the output: a folder has its name")
        }
        guard status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) == bytes.count else { return false }
        var existing = [UInt8](repeating: 0, count: bytes.count)
        var total = 0
        while total < existing.count {
            let count = existing.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            total += count
        }
        return existing == bytes
    }

    /// Writes a new file aside and puts it in place in one step.
    private func replace(_ name: String, in folder: Int32, with bytes: [UInt8]) throws(SystemError) {
        // Fast path: an unnamed file linked in where none exists yet (a cold build).
        let unnamed = openat(folder, ".", Self.openTemporaryFile | O_WRONLY | O_CLOEXEC, 0o666)
        if unnamed >= 0 {
            defer { close(unnamed) }
            try writeAll(bytes, to: unnamed)
            let procPath = "/proc/self/fd/\(unnamed)"
            if linkat(AT_FDCWD, procPath, folder, name, AT_SYMLINK_FOLLOW) == 0 { return }
            guard errno == EEXIST else { throw SystemError(operation: "linkat", code: errno) }
            let temporary = temporaryName(for: name)
            try SystemCall.retrying("linkat") { linkat(AT_FDCWD, procPath, folder, temporary, AT_SYMLINK_FOLLOW) }
            try rename(temporary, to: name, in: folder)
            return
        }
        // O_TMPFILE is not supported by every file system: a named temporary file then.
        let temporary = temporaryName(for: name)
        let fd = try SystemCall.retrying("open") { openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
        defer { close(fd) }
        do {
            try writeAll(bytes, to: fd)
        } catch {
            unlinkat(folder, temporary, 0)
            throw error
        }
        try rename(temporary, to: name, in: folder)
    }

    private func rename(_ temporary: String, to name: String, in folder: Int32) throws(SystemError) {
        if renameat(folder, temporary, folder, name) != 0 {
            let failure = SystemError(operation: "rename", code: errno)
            unlinkat(folder, temporary, 0)
            throw failure
        }
    }

    private func temporaryName(for name: String) -> String {
        ".\(name).regen-\(getpid())-\(Self.counter.add(1, ordering: .relaxed).newValue).tmp"
    }

    private func writeAll(_ bytes: [UInt8], to fd: Int32) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let count = try SystemCall.retrying("write") {
                bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            }
            offset += count
        }
    }
}
