import Glibc

/// A folder that is not watched, and why. The watcher goes on watching everything else.
public struct WatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// `inotify_add_watch` failed with `ENOSPC`: the per-user watch limit
        /// `fs.inotify.max_user_watches` (its value then, if readable) is used up.
        case watchLimitReached(limit: Int?)
        /// A root or extra folder that does not exist or is not a folder.
        case notAFolder
        /// Any other failure.
        case system(SystemError)
    }

    /// The absolute folder that is not watched; empty when the reader thread itself failed
    /// (its stream then ends).
    public var folder: String
    public var reason: Reason

    public init(folder: String, reason: Reason) {
        self.folder = folder
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .watchLimitReached(let limit):
            let value = limit.map { " (\($0))" } ?? ""
            return "cannot watch '\(folder)': the inotify watch limit fs.inotify.max_user_watches\(value) is used up; "
                + "changes inside it are not seen. Raise it (sysctl fs.inotify.max_user_watches=524288) "
                + "or ignore big folders with watch.ignore"
        case .notAFolder:
            return "cannot watch '\(folder)': no such folder"
        case .system(let error) where folder.isEmpty:
            return "the watcher stopped: \(error)"
        case .system(let error):
            return "cannot watch '\(folder)': \(error)"
        }
    }

    /// The current `fs.inotify.max_user_watches`, or nil when it cannot be read.
    static func currentWatchLimit() -> Int? {
        guard let file = fopen("/proc/sys/fs/inotify/max_user_watches", "re") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int(text.trimmingWhitespace())
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
