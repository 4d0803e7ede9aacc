import Dispatch
import Documents
import Glibc
import Synchronization
import Watcher

/// What reaches the daemon's loop, from every source: the watcher, the executor's threads, the
/// control socket's threads, the signal sources and its own timers.
enum DaemonEvent: Sendable {
    case batch(ChangeBatch, watcher: Int)
    case watcherEnded(Int)
    case finished(key: String, result: ItemResult?)
    case request(Document, ControlReply)
    case signal(Int32)
    case saveDue(Int)
    case stateSaved(error: String?)
    case stopDeadline
}

/// `regen watch`: loads the project, catches up on what changed while it was not running, then
/// watches the inputs and regenerates what each settled change affects (docs/daemon.md).
///
/// Everything the daemon knows lives in this actor and is changed only by its loop, which takes
/// one event at a time from one `AsyncStream`. Blocking work stays off it: the watcher, the
/// control socket and the items run on threads of their own, and whole-project loads on a
/// thread made for them (`offThread`).
actor Daemon {
    struct Options: Sendable {
        var root: String
        var json: Bool
        var once: Bool
    }

    /// One regeneration: the items one change (or a catch-up, a rescan, a notify) asked for.
    struct Run {
        let id: Int
        let reason: String
        let changed: [String]
        let started: UInt64
        var pending: Set<String> = []
        var results: [ItemResult] = []
        var waiters: [ControlReply] = []
    }

    struct WatchSpec: Equatable {
        var roots: [String]
        var excluded: [String]
        var patterns: [String]
        var settle: Int
        var maxDelay: Int
    }

    let options: Options
    let root: String
    let log: DaemonLog
    let events: AsyncStream<DaemonEvent>.Continuation
    private let stream: AsyncStream<DaemonEvent>
    let executor = Executor.shared
    /// The executor group of every job of the daemon (withdrawn together on SIGTERM).
    let group: Int
    let started = DispatchTime.now().uptimeNanoseconds

    var project: Project
    var index: DependencyIndex
    var table: FileTable
    var records: [String: BuildState.Record] = [:]
    var configsByID: [String: ContentConfig] = [:]
    var configsByFile: [String: ContentConfig] = [:]
    /// Config files that do not load, by file.
    var problems: [String: Diagnostic] = [:]
    /// The last error of `watch.yaml`, while it is broken (the last good settings are in use).
    var settingsProblem: Diagnostic?
    let board: JobBoard
    var runs: [Int: Run] = [:]
    var nextRun = 1
    var runCount = 0
    /// What each queued item reads, with digests taken before it renders (its state record).
    var prepared: [String: BuildState.Record] = [:]
    /// Items whose last run failed, by key.
    var failing: [String: Diagnostic] = [:]
    var lastRun: Document?
    var watcher: DirectoryWatcher?
    var watchSpec: WatchSpec?
    var watcherGeneration = 0
    var watchErrors: [String: String] = [:]
    var server: ControlServer?
    var lock: DaemonLock?
    var stateDirty = false
    var saving = false
    var saveGeneration = 0
    var saveCount = 0
    var lastSave = DispatchTime.now().uptimeNanoseconds
    var stopSignal: Int32?
    var done = false
    /// `--once`: the exit status of the catch-up.
    var onceStatus: Int32 = 0

    init(options: Options, project: Project, index: DependencyIndex, state: BuildState,
         stream: AsyncStream<DaemonEvent>, events: AsyncStream<DaemonEvent>.Continuation) {
        self.options = options
        root = project.root
        log = DaemonLog(json: options.json)
        self.stream = stream
        self.events = events
        self.project = project
        self.index = index
        table = FileTable(root: project.root, state: state)
        records = state.records
        group = Executor.shared.makeGroup()
        board = JobBoard(JobBoard.Live(configs: [:], session: RenderSession(project: project),
                                       writer: OutputWriter(root: project.outputRoot),
                                       itemTimeout: project.settings.batch.itemTimeoutSeconds))
    }

    var settings: ProjectSettings { project.settings }
    var stateFolder: String { project.path(settings.state) }
    var socketPath: String { stateFolder + "/" + ControlSocket.fileName }

    /// Runs the daemon to its end; returns the exit status.
    static func main(_ options: Options, events: AsyncStream<DaemonEvent>.Continuation,
                     stream: AsyncStream<DaemonEvent>) async -> Int32 {
        var standardError = StandardStream.error
        let root = ProjectPath.absolute(options.root)
        // One daemon per project; held until the end.
        let settingsForLock = (try? Project.loadSettings(root: root)) ?? ProjectSettings()
        let lock: DaemonLock
        do {
            lock = try DaemonLock(stateFolder: root + "/" + settingsForLock.state)
        } catch {
            standardError.write("regen watch: error: \(error)\n")
            return 2
        }
        let loaded = await offThread { () -> Result<(Project, DependencyIndex), Diagnostic> in
            do throws(Diagnostic) {
                let project = try Project.load(root: root)
                return .success((project, DependencyIndex.build(project: project)))
            } catch {
                return .failure(error)
            }
        }
        guard case .success(let (project, index)) = loaded else {
            if case .failure(let error) = loaded { standardError.write("\(error)\n") }
            lock.release()
            return 2
        }
        let (state, warning) = BuildState.load(stateFolder: project.path(project.settings.state))
        let daemon = Daemon(options: options, project: project, index: index, state: state, stream: stream, events: events)
        return await daemon.run(lock: lock, warning: warning)
    }

    private func run(lock: DaemonLock, warning: String?) async -> Int32 {
        self.lock = lock
        if let warning { log.error("warning: \(warning)") }
        adopt(project, index: index, reportProblems: true)
        if !options.once {
            updateWatcher(force: true)
            startServer()
        }
        log.emit("started", [("pid", .number(Int(getpid()))), ("project", .text(root)),
                             ("configs", .number(configsByID.count)),
                             ("watched_folders", .number(watcher?.watchedFolderCount ?? 0)),
                             ("socket", options.once ? .text(nil) : .text(socketPath)),
                             ("once", DaemonLog.bool(options.once))],
                 text: options.once ? nil
                    : "watching \(root) (\(watcher?.watchedFolderCount ?? 0) folders, \(configsByID.count) configs); "
                        + "control socket \(settings.state)/\(ControlSocket.fileName)")
        await catchUp(reason: "catch-up", changed: [], state: currentState())
        if options.once && runs.isEmpty { await finish() }
        var iterator = stream.makeAsyncIterator()
        while !done, let event = await iterator.next() {
            await handle(event)
        }
        events.finish()
        return options.once ? onceStatus : 0
    }

    private func handle(_ event: DaemonEvent) async {
        switch event {
        case .batch(let batch, _):
            guard stopSignal == nil else { return }
            await handle(batch)
        case .watcherEnded(let generation):
            guard generation == watcherGeneration, stopSignal == nil else { return }
            log.error("the watcher stopped (\(watcher?.errors.last?.description ?? "no reason given")); watching again and rescanning")
            updateWatcher(force: true)
            await reload(reason: "rescan", changed: [])
        case .finished(let key, let result):
            finished(key, result)
            if stopSignal != nil, board.runningCount == 0 { await finish() }
            if options.once, runs.isEmpty { await finish() }
        case .request(let request, let reply):
            await answer(request, reply)
        case .signal(let signal):
            await received(signal)
        case .saveDue(let generation):
            if generation == saveGeneration || DispatchTime.now().uptimeNanoseconds - lastSave > 30_000_000_000 {
                saveInBackground()
            }
        case .stateSaved(let error):
            saving = false
            if let error { log.error("cannot save the build state: \(error)") }
        case .stopDeadline:
            if stopSignal != nil { await finish() }
        }
    }

    // MARK: The project

    /// Takes a freshly loaded project and index as the current ones.
    func adopt(_ project: Project, index: DependencyIndex, reportProblems: Bool) {
        let previousProblems = problems
        self.project = project
        self.index = index
        configsByID = [:]
        configsByFile = [:]
        for config in project.configs {
            configsByID[config.id] = config
            configsByFile[config.file] = config
        }
        problems = [:]
        for problem in project.problems {
            let file = problem.file ?? ""
            problems[file] = problem
            if reportProblems || previousProblems[file]?.description != problem.description { log.error(problem) }
        }
        records = records.filter { configsByID[$0.value.configID] != nil }
        executor.configure(project.settings)
        let configs = configsByID
        board.replace { live in
            live.configs = configs
            live.session = RenderSession(project: project)
            live.writer = OutputWriter(root: project.outputRoot)
            live.itemTimeout = project.settings.batch.itemTimeoutSeconds
        }
    }

    /// Loads the whole project again (SIGHUP, a changed `watch.yaml`, a lost event), keeping
    /// the last good one when it does not load; then regenerates whatever is out of date.
    func reload(reason: String, changed: [String], waiter: ControlReply? = nil) async {
        let root = self.root
        let loaded = await offThread { () -> Result<(Project, DependencyIndex), Diagnostic> in
            do throws(Diagnostic) {
                let project = try Project.load(root: root)
                return .success((project, DependencyIndex.build(project: project)))
            } catch {
                return .failure(error)
            }
        }
        switch loaded {
        case .failure(let error):
            settingsProblem = error
            log.error(error, context: "keeping the last good settings")
            waiter?.send(ControlProtocol.failure("\(error)"))
            return
        case .success(let (project, index)):
            settingsProblem = nil
            adopt(project, index: index, reportProblems: false)
        }
        updateWatcher()
        await catchUp(reason: reason, changed: changed, state: currentState(), waiter: waiter)
    }

    /// Compares every item with the state (its inputs' digests, its settings, its output) and
    /// runs those that are out of date: exactly what `regen build` would rebuild. The build's
    /// table numbers files as `state` does, so the records' and prepared records' `FileID`s stay
    /// good when it becomes the daemon's table.
    func catchUp(reason: String, changed: [String], state: BuildState, waiter: ControlReply? = nil) async {
        let project = self.project
        let (build, stale) = await offThread { () -> (IncrementalBuild, [BuildItem]) in
            var build = IncrementalBuild(project: project, state: state)
            let (stale, _) = build.outOfDate(Builder.items(project, ids: []).items)
            return (build, stale)
        }
        table = build.files
        submit(stale, reason: reason, changed: changed, waiter: waiter)
    }

    // MARK: Watching

    func desiredWatchSpec() -> WatchSpec {
        let settings = self.settings
        let excluded = [settings.output, settings.state]
        func isExcluded(_ folder: String) -> Bool {
            excluded.contains { folder == $0 || folder.hasPrefix($0 + "/") }
        }
        var folders: Set<String> = [settings.templates, settings.configs]
        for path in index.fileUsers.keys {
            let folder = ProjectPath.folder(of: path)
            if !folder.isEmpty, !isExcluded(folder) { folders.insert(folder) }
        }
        // A folder inside another root is watched with it.
        let roots = folders.filter { folder in !folders.contains { $0 != folder && folder.hasPrefix($0 + "/") } }
        return WatchSpec(roots: roots.sorted().map { root + "/" + $0 }, excluded: excluded.map { root + "/" + $0 },
                         patterns: settings.watch.ignore, settle: settings.watch.settleMilliseconds,
                         maxDelay: settings.watch.maxDelayMilliseconds)
    }

    /// Starts a watcher when the folders or rules to watch changed (or with `force`); the new
    /// one is in place before the old one stops, so no change falls between them.
    func updateWatcher(force: Bool = false) {
        guard !options.once, stopSignal == nil else { return }
        let spec = desiredWatchSpec()
        guard force || spec != watchSpec else { return }
        let fresh: DirectoryWatcher
        do {
            fresh = try DirectoryWatcher(roots: spec.roots, extraFolders: [root],
                                         ignore: IgnoreRules(projectRoot: root, excludedFolders: spec.excluded, patterns: spec.patterns))
        } catch {
            log.error("cannot watch: \(error)")
            return
        }
        for error in fresh.errors { report(error) }
        watcherGeneration += 1
        let generation = watcherGeneration
        let changes = fresh.settledChanges(settle: .milliseconds(spec.settle), maxDelay: .milliseconds(spec.maxDelay),
                                           gitDirectory: root + "/.git")
        let events = self.events
        Task {
            for await batch in changes { events.yield(.batch(batch, watcher: generation)) }
            events.yield(.watcherEnded(generation))
        }
        let old = watcher
        watcher = fresh
        watchSpec = spec
        old?.stop()
    }

    func report(_ error: WatchError) {
        guard watchErrors[error.folder] != error.description else { return }
        watchErrors[error.folder] = error.description
        log.error(error.description)
    }

    // MARK: The control socket

    func startServer() {
        do {
            let server = try ControlServer(path: socketPath)
            let events = self.events
            try server.start { request in
                let reply = ControlReply()
                if case .terminated = events.yield(.request(request, reply)) {
                    return ControlProtocol.failure("the daemon is stopping")
                }
                return reply.wait()
            }
            self.server = server
        } catch {
            log.error("cannot open the control socket \(socketPath): \(error); regen notify and regen status will not reach this daemon")
        }
    }
}

/// Runs `body` on a thread of its own (a 16 MB stack, as the executor's) and returns its result
/// without blocking the calling task: for whole-project loads, which read files and wait for the
/// executor's slots.
func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        do {
            try startDetachedThread(name: "regen-load", stackSize: Executor.threadStackSize) {
                continuation.resume(returning: body())
            }
        } catch {
            // No thread to be had (the process is at its limit): the load blocks this task
            // rather than never happening.
            continuation.resume(returning: body())
        }
    }
}
