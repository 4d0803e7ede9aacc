/// One settled batch: every path that changed since the previous batch, once, with its state
/// when the batch was made.
public struct ChangeBatch: Sendable, Equatable {
    public enum Kind: Sendable, Hashable {
        /// The file exists (created, written, renamed into place): read it again.
        case changed
        /// Nothing but possibly a folder is at this path now (deleted or renamed away).
        case deleted
        /// A watched root or extra folder whose events were lost (inotify queue overflow):
        /// compare everything under it with the last known state.
        case rescan
    }

    /// Absolute, normalized paths. Files for `changed` and `deleted`; folders for `rescan`.
    public var changes: [String: Kind]
    /// Problems met while making this batch (a folder that could not be watched, …).
    public var errors: [WatchError]

    public init(changes: [String: Kind] = [:], errors: [WatchError] = []) {
        self.changes = changes
        self.errors = errors
    }

    /// Whether events were lost and the `rescan` folders must be compared with the state.
    public var needsRescan: Bool { changes.values.contains(.rescan) }

    public func paths(_ kind: Kind) -> [String] {
        changes.filter { $0.value == kind }.map(\.key).sorted()
    }
}
