import Synchronization

/// Watches folders with inotify and yields settled batches of changed files.
///
/// ```swift
/// let watcher = try DirectoryWatcher(roots: ["templates", "configs"], extraFolders: ["."],
///                                    ignore: IgnoreRules(projectRoot: ".", excludedFolders: ["output", ".regen"]))
/// for await batch in watcher.settledChanges(SettleOptions(gitDirectory: ".git")) {
///     for (path, kind) in batch.changes { … }
/// }
/// ```
///
/// Roots are watched with every folder below them; extra folders alone (their files, not
/// their subfolders). Watches are in place when `init` returns; events queue in the kernel
/// until `settledChanges` starts the reader thread. Keep the watcher alive while iterating:
/// releasing it stops the thread, as `stop()` does.
public final class DirectoryWatcher: Sendable {
    /// Absolute, normalized.
    public let roots: [String]
    public let extraFolders: [String]
    public let ignore: IgnoreRules

    /// Internal, not private: the tests follow its descriptor.
    let inotify: Inotify
    private let control: WatchControl
    /// The reader's work until `settledChanges` hands it to the thread.
    private let pending: Mutex<WatchLoop?>

    /// Watches `roots` (recursively) and `extraFolders` (alone), relative to the current folder
    /// unless absolute. Throws only when inotify itself cannot be set up; a folder that cannot
    /// be watched is in `errors` and the rest is watched.
    public init(roots: [String], extraFolders: [String] = [], ignore: IgnoreRules = IgnoreRules()) throws(SystemError) {
        self.roots = Self.unique(roots.map { Path.absolute($0) })
        self.extraFolders = Self.unique(extraFolders.map { Path.absolute($0) })
        self.ignore = ignore
        inotify = try Inotify()
        control = WatchControl(wakePipe: try WakePipe())
        var tree = WatchTree(inotify: inotify, roots: self.roots, extraFolders: self.extraFolders, ignore: ignore)
        var changes = RawChanges()
        tree.watchAll(into: &changes)
        for error in changes.errors { control.record(error) }
        pending = Mutex(WatchLoop(inotify: inotify, wakePipe: control.wakePipe, control: control, tree: tree))
    }

    deinit { stop() }

    /// Every folder that could not be watched so far (also given in the batch that met it).
    public var errors: [WatchError] { control.allErrors }

    /// How many folders are watched now.
    public var watchedFolderCount: Int { control.watchedFolders.load(ordering: .relaxed) }

    /// Starts the reader thread and returns its settled batches. One stream per watcher: a
    /// second call gets a finished stream. The stream ends after `stop()`; cancelling its
    /// iteration stops the watcher.
    public func settledChanges(_ options: SettleOptions = SettleOptions()) -> AsyncStream<ChangeBatch> {
        let (stream, continuation) = AsyncStream<ChangeBatch>.makeStream()
        guard let loop = pending.withLock({ $0.take() }), !control.isStopped else {
            continuation.finish()
            return stream
        }
        let control = self.control
        continuation.onTermination = { @Sendable _ in control.stop() }
        do {
            try startDetachedThread(name: "regen-watcher") { loop.run(options: options, continuation: continuation) }
        } catch {
            control.record(WatchError(folder: "", reason: .system(error)))
            continuation.finish()
        }
        return stream
    }

    /// `settledChanges` with the settle options spelled out.
    public func settledChanges(settle: Duration, maxDelay: Duration, gitDirectory: String? = nil) -> AsyncStream<ChangeBatch> {
        settledChanges(SettleOptions(settle: settle, maxDelay: maxDelay, gitDirectory: gitDirectory))
    }

    /// Stops watching: wakes the reader thread through the pipe; it closes the inotify
    /// descriptor, then finishes the stream. Before `settledChanges`, closes it here. Idempotent.
    public func stop() {
        control.stop()
        if pending.withLock({ $0.take() }) != nil { inotify.close() }
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }
}
