import FoundationEssentials
import Glibc

/// System calls, each retried on `EINTR`, with `errno` turned into a typed error.
enum System {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var code: Int32
        var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }

    /// Runs `call` until it does not fail with `EINTR`; a result of -1 becomes a `Failure`.
    @discardableResult
    static func retrying<T: BinaryInteger>(_ operation: String, _ call: () -> T) throws(Failure) -> T {
        while true {
            let result = call()
            if result != -1 { return result }
            if errno == EINTR { continue }
            throw Failure(operation: operation, code: errno)
        }
    }

    /// Creates the folder at `path` and every missing folder above it (`mkdir -p`).
    static func makeFolders(_ path: String) throws(Failure) {
        // Usually it is there (the output folder, before every write): one `stat`, and no `mkdir`,
        // which locks the parent folder even when it fails, so writers on all threads would queue.
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { return }
        var folder = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            folder += "/" + part
            if mkdir(folder, 0o777) != 0 && errno != EEXIST { throw Failure(operation: "mkdir \(folder)", code: errno) }
        }
    }

    static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
