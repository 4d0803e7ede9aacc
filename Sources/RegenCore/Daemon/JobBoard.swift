import Jinja
import Synchronization

/// What the daemon's loop and the executor's threads share about the items the daemon runs: the
/// configs as they are now (a queued item renders the config as it is when it starts, not as it
/// was when it was queued), and each item's place in the coalescing rules.
///
/// - An item that is queued is not queued again: the runs that want it wait for the queued one.
/// - An item that is running when its inputs change again runs once more after it finishes
///   (`again`): the change may have come after it read its inputs.
///
/// An item goes from queued to running under the lock, on its thread, as it starts; everything
/// else is decided by the loop, which is told of each finish through its event stream.
final class JobBoard: Sendable {
    /// What a queued item needs when it starts.
    struct Live: Sendable {
        var configs: [String: ContentConfig]
        var session: RenderSession
        var writer: OutputWriter
        var itemTimeout: Double
    }

    struct Entry: Sendable {
        var running = false
        /// Runs told when the queued or running job finishes.
        var runs: [Int]
        /// Runs that want it once more after the running job (nil: no rerun).
        var again: [Int]?
    }

    enum Decision { case submit, coalesced, deferred }

    private struct State {
        var live: Live
        var entries: [String: Entry] = [:]
        var cancellations: [String: RenderCancellation] = [:]
        var stopping = false
    }

    private let state: Mutex<State>

    init(_ live: Live) {
        state = Mutex(State(live: live))
    }

    func replace(_ update: (inout Live) -> Void) {
        state.withLock { update(&$0.live) }
    }

    /// Run `run` wants item `key`: queue a job, join the queued one, or ask for a rerun.
    func request(_ key: String, run: Int) -> Decision {
        state.withLock { state in
            guard var entry = state.entries[key] else {
                state.entries[key] = Entry(runs: [run])
                return .submit
            }
            if entry.running {
                if !(entry.again ?? []).contains(run) { entry.again = (entry.again ?? []) + [run] }
                state.entries[key] = entry
                return .deferred
            }
            if !entry.runs.contains(run) { entry.runs.append(run) }
            state.entries[key] = entry
            return .coalesced
        }
    }

    /// On the job's thread as it starts: the item as it is now, or nil when it must not run (the
    /// daemon is stopping, the config or its variant is gone).
    func start(_ key: String, id: String, variant: Int?) -> (item: BuildItem, live: Live, budget: ItemBudget)? {
        state.withLock { state in
            guard !state.stopping, var entry = state.entries[key], !entry.running else { return nil }
            entry.running = true
            state.entries[key] = entry
            guard let config = state.live.configs[id], let target = config.targets.first(where: { $0.variant == variant }) else {
                return nil
            }
            let now = RenderCancellation.now()
            let timeout = state.live.itemTimeout
            let deadline = now &+ (timeout.isFinite && timeout < 1e9 ? UInt64(timeout * 1e9) : UInt64.max / 2)
            let budget = ItemBudget(cancellation: RenderCancellation(deadline: deadline), itemTimeout: timeout,
                                    batchTimeout: .infinity, itemDeadline: deadline, batchDeadline: .max)
            state.cancellations[key] = budget.cancellation
            return (BuildItem(config: config, target: target), state.live, budget)
        }
    }

    func ended(_ key: String) {
        _ = state.withLock { $0.cancellations.removeValue(forKey: key) }
    }

    /// In the loop, for the job's finish: the runs to tell, and the runs of a rerun when one is
    /// due (the item is then queued again, and the caller submits its job).
    func finish(_ key: String) -> (runs: [Int], again: [Int]?) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: key) else { return ([], nil) }
            if let again = entry.again, !state.stopping {
                state.entries[key] = Entry(runs: again)
                return (entry.runs, again)
            }
            return (entry.runs + (entry.again ?? []), nil)
        }
    }

    /// Stops everything: nothing starts any more, running items are cancelled (a render stops at
    /// its next check, a command's process group is killed). Returns the keys that were queued
    /// and never started; they are forgotten.
    func stop() -> [(key: String, runs: [Int])] {
        state.withLock { state in
            state.stopping = true
            for cancellation in state.cancellations.values { cancellation.cancel() }
            var dropped: [(String, [Int])] = []
            for (key, entry) in state.entries where !entry.running {
                dropped.append((key, entry.runs + (entry.again ?? [])))
                state.entries[key] = nil
            }
            return dropped
        }
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Keys queued and running, for `regen status`.
    var load: (queued: [String], running: [String]) {
        state.withLock { state in
            let queued = state.entries.filter { !$0.value.running }.map(\.key).sorted()
            let running = state.entries.filter { $0.value.running }.map(\.key).sorted()
            return (queued, running)
        }
    }

    var runningCount: Int { state.withLock { $0.entries.values.filter(\.running).count } }
}
