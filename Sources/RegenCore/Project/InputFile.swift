import Foundation

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
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// The path with every symbolic link resolved, or nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Whether `path` is `folder` or lies inside it (both resolved paths).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder + "/")
    }
}
