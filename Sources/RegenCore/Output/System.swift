import FoundationEssentials
import Glibc
import Watcher

/// What the file system calls of RegenCore share beyond the watcher's `SystemCall`.
enum System {
    /// Creates the folder at `path` and every missing folder above it (`mkdir -p`).
    static func makeFolders(_ path: String) throws(SystemError) {
        // Usually it is there (the output folder, before every write): one `stat`, and no `mkdir`,
        // which locks the parent folder even when it fails, so writers on all threads would queue.
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { return }
        var folder = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            folder += "/" + part
            if mkdir(folder, 0o777) != 0 && errno != EEXIST { throw SystemError(operation: "mkdir \(folder)", code: errno) }
        }
    }

    static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
