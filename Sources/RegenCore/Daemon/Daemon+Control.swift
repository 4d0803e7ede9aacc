import Dispatch
import Documents
import Glibc
import Synchronization
import Watcher

/// Requests on the control socket, signals, saving the state, and the end.
extension Daemon {
    func answer(_ request: Document, _ reply: ControlReply) async {
        guard stopSignal == nil else {
            reply.send(ControlProtocol.failure("the daemon is stopping"))
            return
        }
        switch request["command"]?.stringValue {
        case "status":
            reply.send(status())
        case "notify":
            guard case .array(let items, _)? = request["paths"] else {
                reply.send(ControlProtocol.failure("notify needs \"paths\": a list of absolute paths"))
                return
            }
            var wait = false
            if case .bool(let value, _)? = request["wait"] { wait = value }
            var paths: [String] = []
            var outside: [String] = []
            for item in items {
                guard let path = item.stringValue else { continue }
                if let relative = relativePath(path) { paths.append(relative) } else { outside.append(path) }
            }
            for path in outside { log.error("notify: \(path) is not inside the project \(root); ignored") }
            for path in paths { _ = observe(path) }
            log.emit("change", [("changed", DaemonLog.strings(paths)), ("unchanged", DaemonLog.strings([])),
                                ("notify", DaemonLog.bool(true))], text: nil)
            if wait {
                await apply(paths, reason: "notify", waiter: reply)
            } else {
                await apply(paths, reason: "notify")
                reply.send(.record([("ok", DaemonLog.bool(true)), ("queued", DaemonLog.strings(board.load.queued))]))
            }
        default:
            reply.send(ControlProtocol.failure("unknown command; use \"status\" or \"notify\""))
        }
    }

    /// A path from `regen notify` (absolute) relative to the project root; through links when
    /// the editor names the file by another way in.
    func relativePath(_ path: String) -> String? {
        if let relative = ProjectPath.relative(path, to: root), !relative.isEmpty { return relative }
        let folder = ProjectPath.folder(of: path)
        guard let resolvedFolder = InputFile.resolved(folder),
              let relative = ProjectPath.relative(resolvedFolder + "/" + ProjectPath.lastComponent(path), to: project.resolvedRoot),
              !relative.isEmpty else { return nil }
        return relative
    }

    /// What `regen status` shows.
    func status() -> Document {
        let (queued, running) = board.load
        var errors: [Document] = []
        if let settingsProblem { errors.append(.diagnostic(settingsProblem)) }
        for file in problems.keys.sorted() { if let problem = problems[file] { errors.append(.diagnostic(problem)) } }
        for folder in watchErrors.keys.sorted() { errors.append(.diagnostic(Diagnostic(file: folder, watchErrors[folder] ?? ""))) }
        let failed = failing.keys.sorted().compactMap { key -> Document? in
            guard let failure = failing[key] else { return nil }
            return .record([("item", .text(key)), ("error", .diagnostic(failure))])
        }
        return .record([
            ("ok", DaemonLog.bool(true)),
            ("pid", .number(Int(getpid()))),
            ("project", .text(root)),
            ("uptime_s", .number(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)),
            ("watched_folders", .number(watcher?.watchedFolderCount ?? 0)),
            ("configs", .number(configsByID.count)),
            ("queued", DaemonLog.strings(queued)),
            ("running", DaemonLog.strings(running)),
            ("runs", .number(runCount)),
            ("last_run", lastRun ?? .text(nil)),
            ("failing", .list(failed)),
            ("errors", .list(errors)),
        ])
    }

    func received(_ signal: Int32) async {
        switch signal {
        case SIGHUP:
            guard stopSignal == nil else { return }
            log.emit("change", [("reload", DaemonLog.bool(true)), ("reason", .text("SIGHUP"))],
                     text: "SIGHUP: reloading \(Project.settingsFile) and the project")
            await reload(reason: "SIGHUP", changed: [])
        case SIGINT, SIGTERM:
            if stopSignal != nil {
                // A second signal: no more waiting.
                await finish()
                return
            }
            stopSignal = signal
            watcher?.stop()
            watcher = nil
            let dropped = board.stop()
            _ = executor.withdraw(group: group)
            for (key, runIDs) in dropped {
                prepared[key] = nil
                deliver(key, nil, to: runIDs)
            }
            if board.runningCount == 0 {
                await finish()
            } else {
                let events = self.events
                Task {
                    try? await Task.sleep(for: .seconds(Self.stopGraceSeconds))
                    events.yield(.stopDeadline)
                }
            }
        default:
            return
        }
    }

    /// How long SIGTERM waits for running items (cancelled at once) before the daemon exits anyway.
    static let stopGraceSeconds = 4

    /// The end: nothing more is accepted, the state is saved, the socket removed, the lock released.
    func finish() async {
        guard !done else { return }
        done = true
        watcher?.stop()
        watcher = nil
        server?.stop()
        server = nil
        for run in runs.values {
            for waiter in run.waiters { waiter.send(ControlProtocol.failure("the daemon stopped before the run was over")) }
        }
        if stateDirty {
            do {
                saveCount += 1
                try Self.save(currentState(), stateFolder: stateFolder, generation: saveCount)
                stateDirty = false
            } catch {
                log.error("cannot save the build state: \(error)")
            }
        }
        lock?.release()
        lock = nil
        let name = stopSignal.map { $0 == SIGINT ? "SIGINT" : "SIGTERM" }
        log.emit("stopped", [("signal", .text(name)), ("runs", .number(runCount))],
                 text: options.once ? nil : "stopped\(name.map { " (\($0))" } ?? "")")
        events.finish()
    }

    // MARK: The state

    /// Saves the state a second after the last run, or every 30 s while runs keep coming.
    func scheduleSave() {
        saveGeneration += 1
        let generation = saveGeneration
        let events = self.events
        Task {
            try? await Task.sleep(for: .seconds(1))
            events.yield(.saveDue(generation))
        }
    }

    func saveInBackground() {
        guard stateDirty, !saving, !done else { return }
        let state = currentState()
        let folder = stateFolder
        saveCount += 1
        let generation = saveCount
        stateDirty = false
        saving = true
        lastSave = DispatchTime.now().uptimeNanoseconds
        let events = self.events
        do {
            try startDetachedThread(name: "regen-save") {
                var failure: String?
                do { try Daemon.save(state, stateFolder: folder, generation: generation) } catch { failure = "\(error)" }
                events.yield(.stateSaved(error: failure))
            }
        } catch {
            events.yield(.stateSaved(error: "\(error)"))
        }
    }

    /// The last generation saved. Saves run one at a time, and one older than what is on disk is
    /// dropped (the final save can overtake a background one).
    private static let saved = Mutex<Int>(0)

    static func save(_ state: BuildState, stateFolder: String, generation: Int) throws {
        try saved.withLock { saved in
            guard generation > saved else { return }
            try state.save(stateFolder: stateFolder)
            saved = generation
        }
    }

    /// The records and the file entries, as `regen build` reads them.
    func currentState() -> BuildState {
        BuildState(records: records, files: table)
    }
}
