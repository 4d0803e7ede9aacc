import Glibc

/// The watched folders: which watch descriptor is which folder, and what each folder holds
/// (so that a folder that goes away can report every file it had). Owned by one thread.
struct WatchTree {
    struct Folder {
        var path: String
        var parent: Int32?
        /// Subfolders are watched too (a root or below one), not only this folder (an extra folder).
        var recursive: Bool
        var files: Set<String> = []
        var subfolders: [String: Int32] = [:]
    }

    let inotify: Inotify
    let ignore: IgnoreRules
    /// Absolute, normalized; watched with everything below them.
    let roots: [String]
    /// Absolute, normalized; watched alone (their files, not their subfolders).
    let extraFolders: [String]

    private(set) var folders: [Int32: Folder] = [:]
    private var watchByPath: [String: Int32] = [:]

    init(inotify: Inotify, roots: [String], extraFolders: [String], ignore: IgnoreRules) {
        self.inotify = inotify
        self.roots = roots
        self.extraFolders = extraFolders
        self.ignore = ignore
    }

    func watch(at path: String) -> Int32? { watchByPath[path] }

    /// Watches every root and extra folder, reporting nothing but errors.
    mutating func watchAll(into changes: inout RawChanges) {
        for root in roots {
            watchFolder(root, parent: nil, recursive: true, report: false, top: true, into: &changes)
        }
        for folder in extraFolders {
            watchFolder(folder, parent: nil, recursive: false, report: false, top: true, into: &changes)
        }
    }

    /// After a queue overflow: walks everything again (new folders get watches, gone ones lose
    /// them) and asks for every root and extra folder to be rescanned.
    mutating func rewatchAll(into changes: inout RawChanges) {
        let before = Set(folders.keys)
        folders = [:]
        watchByPath = [:]
        watchAll(into: &changes)
        for watch in before where folders[watch] == nil { inotify.removeWatch(watch) }
        changes.rescans += roots + extraFolders
    }

    /// Watches `path` FIRST, then lists it: whatever is created inside after the watch exists is
    /// reported by an event, whatever was there before by the listing (with `report`), so
    /// `mkdir -p a/b/c && touch a/b/c/x` is never missed. Returns the watch descriptor.
    @discardableResult
    mutating func watchFolder(_ path: String, parent: Int32?, recursive: Bool, report: Bool,
                              top: Bool = false, into changes: inout RawChanges) -> Int32? {
        var mask = InotifyMask.watched
        if !top { mask.insert(.dontFollow) }
        let watch: Int32
        do {
            watch = try inotify.addWatch(path, mask: mask)
        } catch {
            switch error.code {
            case ENOENT, ENOTDIR:
                // Gone already, or replaced by a file: its own events say so. A root or extra
                // folder that is missing is worth saying.
                if top { changes.errors.append(WatchError(folder: path, reason: .notAFolder)) }
            case ENOSPC:
                changes.errors.append(WatchError(folder: path, reason: .watchLimitReached(limit: WatchError.currentWatchLimit())))
                if report { reportFiles(in: path, into: &changes) }
            default:
                changes.errors.append(WatchError(folder: path, reason: .system(error)))
            }
            return nil
        }
        if var existing = folders[watch], existing.path == path {
            // Watched already: a root inside another root, or an extra folder that is a root.
            existing.recursive = existing.recursive || recursive
            existing.parent = existing.parent ?? parent
            folders[watch] = existing
        } else {
            if let old = folders[watch] { watchByPath[old.path] = nil }
            folders[watch] = Folder(path: path, parent: parent, recursive: recursive)
            watchByPath[path] = watch
        }
        let isRecursive = folders[watch]?.recursive ?? recursive
        for (name, isFolder) in folderEntries(path) {
            let child = Path.join(path, name)
            if ignore.ignores(child, isFolder: isFolder) { continue }
            if isFolder {
                guard isRecursive else { continue }
                if let sub = watchFolder(child, parent: watch, recursive: true, report: report, into: &changes) {
                    folders[watch]?.subfolders[name] = sub
                }
            } else {
                folders[watch]?.files.insert(name)
                if report { changes.paths.append(child) }
            }
        }
        return watch
    }

    /// Forgets a folder and everything below it, reporting every file it held; with
    /// `removeWatches`, the kernel's watches go too (a folder moved out of sight keeps them).
    /// Returns the watch descriptors forgotten.
    @discardableResult
    mutating func forget(_ watch: Int32, removeWatches: Bool, into changes: inout RawChanges) -> [Int32] {
        guard let folder = folders.removeValue(forKey: watch) else { return [] }
        if watchByPath[folder.path] == watch { watchByPath[folder.path] = nil }
        if let parent = folder.parent, var parentFolder = folders[parent] {
            let name = String(Path.lastComponent(of: folder.path))
            if parentFolder.subfolders[name] == watch {
                parentFolder.subfolders[name] = nil
                folders[parent] = parentFolder
            }
        }
        changes.paths += folder.files.map { Path.join(folder.path, $0) }
        if removeWatches { inotify.removeWatch(watch) }
        var forgotten = [watch]
        for sub in folder.subfolders.values {
            forgotten += forget(sub, removeWatches: removeWatches, into: &changes)
        }
        return forgotten
    }

    mutating func insertFile(_ name: String, in watch: Int32) {
        folders[watch]?.files.insert(name)
    }

    mutating func removeFile(_ name: String, in watch: Int32) {
        folders[watch]?.files.remove(name)
    }

    mutating func detachSubfolder(_ name: String, from watch: Int32) -> Int32? {
        folders[watch]?.subfolders.removeValue(forKey: name)
    }

    mutating func attachSubfolder(_ name: String, _ sub: Int32, to watch: Int32) {
        folders[watch]?.subfolders[name] = sub
    }

    /// A folder that cannot be watched (the watch limit) still reports the files it holds.
    private func reportFiles(in path: String, into changes: inout RawChanges) {
        for (name, isFolder) in folderEntries(path) where !isFolder {
            let child = Path.join(path, name)
            if !ignore.ignores(child, isFolder: false) { changes.paths.append(child) }
        }
    }
}
