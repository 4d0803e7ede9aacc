import Dispatch
import Documents
import FoundationEssentials
import Watcher

/// From changed paths to items on the executor, and from finished items to the log and the state.
extension Daemon {
    func handle(_ batch: ChangeBatch) async {
        for error in batch.errors { report(error) }
        if batch.needsRescan {
            let reason = "the inotify queue overflowed (events were lost): rescanning everything against the state digests"
            log.emit("change", [("rescan", DaemonLog.bool(true)), ("reason", .text(reason)),
                                ("folders", DaemonLog.strings(batch.paths(.rescan)))], text: reason)
            await reload(reason: "rescan", changed: [])
            return
        }
        var changed: [String] = []
        var unchanged: [String] = []
        for path in batch.changes.keys.sorted() {
            guard let relative = ProjectPath.relative(path, to: root), !relative.isEmpty else { continue }
            if observe(relative) { changed.append(relative) } else { unchanged.append(relative) }
        }
        guard !changed.isEmpty || !unchanged.isEmpty else { return }
        log.emit("change", [("changed", DaemonLog.strings(changed)), ("unchanged", DaemonLog.strings(unchanged))],
                 text: changed.isEmpty ? "\(DaemonLog.list(unchanged)): same bytes as before, nothing to do" : nil)
        guard !changed.isEmpty else { return }
        await apply(changed, reason: "change")
    }

    /// Looks at the file again; true when its bytes are not the ones last seen (a file never
    /// seen counts as changed). A touch or a save of the same bytes is no change.
    func observe(_ relative: String) -> Bool {
        let id = table.id(relative)
        let old = table.lastSeen(id)?.digest
        table.forget(id)
        return table.digest(of: id) != old
    }

    /// Takes changed files into the project and the index, and queues their dependents.
    func apply(_ changed: [String], reason: String, waiter: ControlReply? = nil) async {
        var inputs = changed
        if changed.contains(Project.settingsFile) {
            inputs.removeAll { $0 == Project.settingsFile }
            do {
                _ = try Project.loadSettings(root: root)
                await reload(reason: "\(Project.settingsFile) changed", changed: changed, waiter: waiter)
                return
            } catch {
                settingsProblem = error
                log.error(error, context: "\(Project.settingsFile) is broken; keeping the last good settings")
            }
        }
        var configsChanged = false
        for path in inputs where index.isConfigFile(path) {
            reloadConfig(path)
            configsChanged = true
        }
        let templatePrefix = settings.templates + "/"
        if inputs.contains(where: { $0.hasPrefix(templatePrefix) }) { table.forget(settings.templates + FileTable.everything) }
        let affected = index.update(changedPaths: inputs)
        if configsChanged {
            records = records.filter { configsByID[$0.value.configID] != nil }
            updateWatcher()
        }
        if !inputs.isEmpty {
            // Templates and data files are read afresh by the items queued from now on.
            let configs = configsByID, project = self.project
            board.replace { live in
                live.configs = configs
                live.session = RenderSession(project: project)
            }
        }
        let items = affected.sorted().flatMap { id -> [BuildItem] in
            guard let config = configsByID[id] else { return [] }
            return BuildItem.all(of: config)
        }
        submit(items, reason: reason, changed: changed, waiter: waiter)
    }

    /// Reads one config file again; a config that does not load (or clashes with another) is
    /// reported and left out until its file changes again.
    func reloadConfig(_ file: String) {
        if let old = configsByFile.removeValue(forKey: file), configsByID[old.id]?.file == file {
            configsByID[old.id] = nil
        }
        let hadProblem = problems.removeValue(forKey: file) != nil
        guard FileManager.default.fileExists(atPath: project.path(file)) else { return }
        do throws(Diagnostic) {
            let config = try Project.loadConfig(file, root: root, resolvedRoot: project.resolvedRoot)
            if let other = configsByID[config.id] {
                throw config.source.error(at: config.idMark, "Duplicate config id '\(config.id)': \(other.file) and \(config.file)")
            }
            let outputs = Set(config.targets.map(\.output))
            if let other = configsByID.values.first(where: { other in other.targets.contains { outputs.contains($0.output) } }),
               let clash = config.targets.first(where: { target in other.targets.contains { $0.output == target.output } }) {
                throw config.source.error(at: clash.mark, "two configs write \(clash.output): \(other.file) and \(config.id)")
            }
            configsByFile[file] = config
            configsByID[config.id] = config
        } catch {
            problems[file] = error
            log.error(error)
        }
        _ = hadProblem
    }

    // MARK: Runs

    /// Queues `items` as one run. An item already queued is not queued twice (the run waits for
    /// that one); one running now runs once more after it finishes.
    func submit(_ items: [BuildItem], reason: String, changed: [String], waiter: ControlReply? = nil) {
        guard !items.isEmpty else {
            waiter?.send(Self.answer(run: nil, results: [], seconds: 0))
            return
        }
        let id = nextRun
        nextRun += 1
        var run = Run(id: id, reason: reason, changed: changed, started: DispatchTime.now().uptimeNanoseconds)
        if let waiter { run.waiters.append(waiter) }
        var jobs: [Executor.Job] = []
        for item in items {
            let key = item.stateKey
            guard run.pending.insert(key).inserted else { continue }
            switch board.request(key, run: id) {
            case .submit:
                prepare(item)
                jobs.append(job(for: item))
            case .coalesced:
                prepare(item)
            case .deferred:
                break
            }
        }
        runs[id] = run
        executor.submit(jobs)
    }

    /// The executor job of one item: it renders the item's config as it is when the job starts.
    func job(for item: BuildItem) -> Executor.Job {
        let key = item.stateKey, id = item.config.id, variant = item.target.variant
        let board = self.board, events = self.events
        return Executor.Job(tier: settings.tier(of: item.config), slot: SlotClass(item.config.generator), group: group) {
            guard let (current, live, budget) = board.start(key, id: id, variant: variant) else {
                events.yield(.finished(key: key, result: nil))
                return
            }
            var result = Builder.perform(current, budget: budget, mode: .write, session: live.session, writer: live.writer)
            if result.failure != nil, budget.isExpired {
                result.status = .failed(board.isStopping
                    ? Diagnostic(file: current.config.file, "cancelled: the daemon is stopping")
                    : budget.expiry(current))
            }
            board.ended(key)
            events.yield(.finished(key: key, result: result))
        }
    }

    /// Notes what the item reads, with the digests the files have now, before it renders.
    func prepare(_ item: BuildItem) {
        let paths = index.inputs(ofConfig: item.config.id)?.paths ?? [item.config.file]
        prepared[item.stateKey] = BuildState.Record(
            configID: item.config.id, configFile: table.id(item.config.file), targetCount: item.config.targets.count,
            settings: IncrementalBuild.settingsDigest(item, settings: settings),
            output: table.id(IncrementalBuild.outputPath(item, settings: settings)), outputDigest: .absent,
            inputs: table.inputs(paths))
    }

    func finished(_ key: String, _ result: ItemResult?) {
        let (runIDs, again) = board.finish(key)
        if let result, let item = result.item {
            switch result.status {
            case .written, .unchanged:
                if var record = prepared[key], record.configID == item.config.id {
                    table.forget(record.output)
                    record.outputDigest = table.digest(of: record.output)
                    records[key] = record
                } else {
                    records[key] = nil
                }
                failing[key] = nil
            case .failed(let diagnostic):
                records[key] = nil
                failing[key] = diagnostic
            case .rendered:
                break
            }
            stateDirty = true
        }
        prepared[key] = nil
        if let again {
            if let item = currentItem(key) {
                prepare(item)
                executor.submit([job(for: item)])
            } else {
                let (more, _) = board.finish(key)
                deliver(key, nil, to: again + more)
            }
        }
        deliver(key, result, to: runIDs)
    }

    /// The item of `key` (`id#variant`) as the config is now.
    func currentItem(_ key: String) -> BuildItem? {
        guard let hash = key.lastIndex(of: "#"), let config = configsByID[String(key[..<hash])] else { return nil }
        let suffix = key[key.index(after: hash)...]
        let variant = suffix == "-" ? nil : Int(suffix)
        return config.targets.first { $0.variant == variant }.map { BuildItem(config: config, target: $0) }
    }

    func deliver(_ key: String, _ result: ItemResult?, to runIDs: [Int]) {
        for id in runIDs where runs[id] != nil {
            // In place: a copy of the run would copy its results at every item (quadratic on a
            // catch-up of thousands).
            if let result { runs[id]?.results.append(result) }
            runs[id]?.pending.remove(key)
            if runs[id]?.pending.isEmpty == true, let run = runs.removeValue(forKey: id) { complete(run) }
        }
    }

    /// A run is over: one log line (or event), the answers to `regen notify --wait`.
    func complete(_ run: Run) {
        runCount += 1
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - run.started) / 1e9
        let results = run.results.sorted { ($0.item?.stateKey ?? "") < ($1.item?.stateKey ?? "") }
        let written = results.filter { if case .written = $0.status { return true } else { return false } }
        let unchanged = results.filter { if case .unchanged = $0.status { return true } else { return false } }
        let failed = results.filter { $0.failure != nil }
        let summary = Self.answer(run: run, results: results, seconds: seconds)
        lastRun = summary
        if log.json {
            var fields: [(String, Document)] = [("run", .number(run.id)), ("reason", .text(run.reason)),
                                                ("changed", DaemonLog.strings(run.changed)), ("items", .number(results.count)),
                                                ("written", DaemonLog.strings(written.compactMap { $0.item?.target.output })),
                                                ("unchanged", .number(unchanged.count)),
                                                ("failed", .list(failed.map(Self.failureDocument))),
                                                ("seconds", .number(seconds))]
            fields.append(("pending", .number(board.load.queued.count + board.load.running.count)))
            log.emit("run", fields, text: nil)
        } else {
            let what = run.changed.isEmpty ? run.reason : DaemonLog.list(run.changed)
            var line = "\(what) → wrote \(written.count)"
            if !written.isEmpty { line += " (\(DaemonLog.list(written.compactMap { $0.item?.target.output })))" }
            line += ", \(unchanged.count) unchanged, \(failed.count) failed in \(DaemonLog.milliseconds(seconds))"
            if !failed.isEmpty { line += ": " + failed.compactMap { $0.item?.name }.joined(separator: ", ") }
            log.emit("run", [], text: line)
            var errors = StandardStream.error
            for result in failed {
                guard let failure = result.failure else { continue }
                errors.write("\(failure)\n")
                if let item = result.item, failure.file != item.config.file {
                    errors.write("note: while building \(item.name) (\(item.config.file))\n")
                }
            }
        }
        for waiter in run.waiters { waiter.send(summary) }
        if options.once {
            if !failed.isEmpty { onceStatus = max(onceStatus, 1) }
        }
        scheduleSave()
    }

    static func failureDocument(_ result: ItemResult) -> Document {
        var fields: [(String, Document)] = []
        if let item = result.item { fields += RunReporter.itemFields(item) }
        if let failure = result.failure {
            fields += [("error", .diagnostic(failure)), ("message", .text(failure.message))]
        }
        return .record(fields)
    }

    /// A run as `regen notify --wait` and `regen status` see it.
    static func answer(run: Run?, results: [ItemResult], seconds: Double) -> Document {
        let written = results.filter { if case .written = $0.status { return true } else { return false } }
        let failed = results.filter { $0.failure != nil }
        return .record([("ok", DaemonLog.bool(true)), ("run", run.map { .number($0.id) } ?? .text(nil)),
                        ("reason", .text(run?.reason)), ("changed", DaemonLog.strings(run?.changed ?? [])),
                        ("items", .number(results.count)),
                        ("written", DaemonLog.strings(written.compactMap { $0.item?.target.output })),
                        ("unchanged", .number(results.count - written.count - failed.count)),
                        ("failed", .number(failed.count)), ("failures", .list(failed.map(failureDocument))),
                        ("seconds", .number(seconds))])
    }
}
