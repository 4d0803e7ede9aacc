import Glibc
import Watcher

/// Reads the files a project is made of, refusing what no project file should be: something
/// other than a regular file, or a file larger than `limit` (a runaway data file would otherwise
/// be parsed whole into memory on every build).
enum InputFile {
    /// The largest file read: configs, data files and `watch.yaml`.
    static let limit = 32 << 20

    static func read(_ path: String, name: String, limit: Int = InputFile.limit) throws(Diagnostic) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw Diagnostic(file: name, "cannot read the file: \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw Diagnostic(file: name, "cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw Diagnostic(file: name, "not a regular file")
        }
        guard status.st_size <= limit else {
            throw Diagnostic(file: name, "the file is too large (\(megabytes(Int(status.st_size))); the limit is \(megabytes(limit)))")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Diagnostic(file: name, "cannot read the file: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            total += count
        }
        if total < bytes.count { bytes.removeLast(bytes.count - total) }
        return bytes
    }

    static func megabytes(_ bytes: Int) -> String {
        String(cFormat: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// The path with every symbolic link resolved, or nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Calls `body` with the path, relative to `folder`, of everything below it but folders, in no
    /// particular order; a name `include` refuses is skipped, a folder's with all it holds.
    /// Links are listed, not followed into (`folderEntries`, rather than FileManager's
    /// enumerator, which costs a `stat` and several string copies per file: `regen build` lists
    /// the configs folder on every run).
    static func forEachFile(below folder: String, including include: (String) -> Bool = { _ in true },
                            _ body: (String) -> Void) {
        func walk(_ path: String, _ relative: String) {
            for (name, isFolder) in folderEntries(path) where include(name) {
                let file = relative.isEmpty ? name : relative + "/" + name
                if isFolder { walk(path + "/" + name, file) } else { body(file) }
            }
        }
        walk(folder, "")
    }

    /// Whether `path` is `folder` or lies inside it (both resolved paths).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder + "/")
    }
}
