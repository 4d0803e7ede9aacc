/// Turns inotify records into changed paths and keeps the watched tree in step: new folders are
/// watched (then listed), folders that go away are forgotten, folder renames are paired by cookie.
struct EventTranslator {
    typealias Instant = ContinuousClock.Instant

    /// A folder renamed away (`IN_MOVED_FROM`) whose `IN_MOVED_TO` has not been read yet.
    struct PendingMove {
        var watch: Int32
        var since: Instant
    }

    /// How long a folder's `IN_MOVED_FROM` waits for its `IN_MOVED_TO`. The kernel queues both
    /// during the one rename, so once the queue is drained the pair is almost always complete;
    /// the grace covers a rename on another core caught between its two records.
    static let moveGrace: Duration = .milliseconds(2)

    private(set) var tree: WatchTree
    private var pendingMoves: [UInt32: PendingMove] = [:]

    init(tree: WatchTree) {
        self.tree = tree
    }

    /// The instant the oldest unpaired folder move gives up waiting for its pair.
    var pendingMoveDeadline: Instant? {
        pendingMoves.values.map(\.since).min().map { $0 + EventTranslator.moveGrace }
    }

    mutating func handle(_ event: InotifyEvent, at time: Instant, into changes: inout RawChanges) {
        if event.mask.contains(.queueOverflow) {
            pendingMoves = [:]
            tree.rewatchAll(into: &changes)
            return
        }
        guard let folder = tree.folders[event.watch] else { return }
        if event.name.isEmpty {
            handleSelf(event, folder, into: &changes)
            return
        }
        let path = Path.join(folder.path, event.name)
        let isFolder = event.mask.contains(.isDirectory)
        let ignored = tree.ignore.ignores(path, isFolder: isFolder)
        if isFolder {
            handleSubfolder(event, folder, path: path, ignored: ignored, at: time, into: &changes)
            return
        }
        // A file. Renames need no pairing: the old name is gone, the new one is there. A rename
        // onto an ignored name (JetBrains' `x` → `x___jb_old___`) reports the old name alone.
        if ignored { return }
        if event.mask.contains(.movedFrom) || event.mask.contains(.delete) {
            tree.removeFile(event.name, in: event.watch)
        } else {
            tree.insertFile(event.name, in: event.watch)
        }
        changes.paths.append(path)
    }

    /// Unpaired folder moves older than the grace (all of them with `all`) were moves out of
    /// sight: their watches go, their files are reported.
    mutating func expireMoves(now: Instant, all: Bool = false, into changes: inout RawChanges) {
        for (cookie, move) in pendingMoves where all || move.since + EventTranslator.moveGrace <= now {
            pendingMoves[cookie] = nil
            tree.forget(move.watch, removeWatches: true, into: &changes)
        }
    }

    private mutating func handleSelf(_ event: InotifyEvent, _ folder: WatchTree.Folder, into changes: inout RawChanges) {
        if !event.mask.isDisjoint(with: [.deleteSelf, .ignored, .unmount]) {
            // Deleted (its files were reported one by one), or its watch is gone.
            tree.forget(event.watch, removeWatches: false, into: &changes)
        } else if event.mask.contains(.moveSelf), folder.parent == nil {
            // A root or extra folder renamed away: nothing above it reports the rename.
            tree.forget(event.watch, removeWatches: true, into: &changes)
        }
        // A subfolder's own IN_MOVE_SELF follows its parent's IN_MOVED_FROM, which handles it.
    }

    private mutating func handleSubfolder(_ event: InotifyEvent, _ folder: WatchTree.Folder, path: String,
                                          ignored: Bool, at time: Instant, into changes: inout RawChanges) {
        let mask = event.mask
        if mask.contains(.movedFrom) {
            if let sub = tree.detachSubfolder(event.name, from: event.watch) {
                pendingMoves[event.cookie] = PendingMove(watch: sub, since: time)
            }
        } else if mask.contains(.create) || mask.contains(.movedTo) {
            // A rename inside the tree keeps its watches: forget the old paths (reported as
            // deleted), then walk the new ones (reported as changed), reusing the watches.
            var forgotten: [Int32] = []
            if mask.contains(.movedTo), let move = pendingMoves.removeValue(forKey: event.cookie) {
                forgotten = tree.forget(move.watch, removeWatches: false, into: &changes)
            }
            if !ignored && (folder.recursive || tree.roots.contains(path)),
               let sub = tree.watchFolder(path, parent: event.watch, recursive: true, report: true, into: &changes) {
                tree.attachSubfolder(event.name, sub, to: event.watch)
            }
            for watch in forgotten where tree.folders[watch] == nil { tree.inotify.removeWatch(watch) }
        } else if mask.contains(.delete) {
            if let sub = tree.detachSubfolder(event.name, from: event.watch) {
                tree.forget(sub, removeWatches: false, into: &changes)
            }
        }
    }
}
