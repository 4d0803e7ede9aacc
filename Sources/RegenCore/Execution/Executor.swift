import Dispatch
import Synchronization
import Watcher

/// The pool of slots an item runs in. External programs are heavy (an AI call, a converter), so
/// they get their own, smaller pool and never take the slots of renders.
enum SlotClass: Int, Sendable, CaseIterable {
    case render, command

    init(_ generator: GeneratorKind) { self = generator == .command ? .command : .render }
}

/// The one executor of a process, which every entry point (build, batch, retry, the daemon)
/// submits to: bounded slots per `SlotClass`, a priority queue, and no barrier anywhere.
///
/// - Each class has at most `limit` jobs running, each on a thread of its own with a 16 MB stack
///   (deep templates recurse deeply; jobs block on files and processes, so never on the Swift
///   concurrency pool). Threads are made on demand (or ahead of it: `prestart`) and end after
///   10 s without work.
/// - Tiers are barriers: a job starts only when no job of a higher tier is queued or running, in
///   any class. So every high-tier output is written before any medium or low item starts.
///   Within a tier, jobs start first come, first served.
/// - When a slot frees, the next startable job starts at once, whatever batch or chunk it
///   belongs to.
///
/// The state is one `Mutex`; `dispatch` decides under the lock and returns `Action`s (wake a
/// parked thread, start a new one) that are performed outside it.
final class Executor: Sendable {
    /// The process's executor. Commands set its slots from the project's settings (`configure`).
    static let shared = Executor(renderSlots: System.coreCount, commandSlots: 5)

    struct Job: Sendable {
        var tier: Priority
        var slot: SlotClass
        /// Jobs of one group can be withdrawn together while queued (`withdraw`).
        var group: Int
        var run: @Sendable () -> Void
    }

    static let threadStackSize = 16 << 20
    static let idleSeconds = 10.0

    private struct Worker {
        var id: Int
        var slot: SlotClass
        let wake: DispatchSemaphore
    }

    private enum Action {
        case wake(DispatchSemaphore)
        case start(id: Int, slot: SlotClass, wake: DispatchSemaphore)
    }

    private struct State {
        var limits: [Int]
        /// queues[slot][tier], each a FIFO with a head index (amortised O(1) removal).
        var queues: [[[Job]]] = Array(repeating: Array(repeating: [], count: 3), count: SlotClass.allCases.count)
        var heads: [[Int]] = Array(repeating: Array(repeating: 0, count: 3), count: SlotClass.allCases.count)
        var running: [Int] = Array(repeating: 0, count: SlotClass.allCases.count)
        var threads: [Int] = Array(repeating: 0, count: SlotClass.allCases.count)
        /// Queued plus running, per tier: what holds lower tiers back.
        var unfinished: [Int] = [0, 0, 0]
        var idle: [[Worker]] = Array(repeating: [], count: SlotClass.allCases.count)
        /// Jobs handed to parked threads, by thread id.
        var assigned: [Int: Job] = [:]
        var nextWorkerID = 0
        var nextGroup = 0

        func queued(_ slot: SlotClass, _ tier: Int) -> Int { queues[slot.rawValue][tier].count - heads[slot.rawValue][tier] }

        /// The tier (0 high, 1 medium, 2 low) of the job that may start next in `slot`, if any.
        func startableTier(_ slot: SlotClass) -> Int? {
            guard running[slot.rawValue] < limits[slot.rawValue] else { return nil }
            guard let tier = (0..<3).first(where: { queued(slot, $0) > 0 }) else { return nil }
            return (0..<tier).allSatisfy { unfinished[$0] == 0 } ? tier : nil
        }

        mutating func pop(_ slot: SlotClass, _ tier: Int) -> Job {
            let job = queues[slot.rawValue][tier][heads[slot.rawValue][tier]]
            heads[slot.rawValue][tier] += 1
            if heads[slot.rawValue][tier] == queues[slot.rawValue][tier].count {
                queues[slot.rawValue][tier].removeAll(keepingCapacity: true)
                heads[slot.rawValue][tier] = 0
            }
            running[slot.rawValue] += 1
            return job
        }

        /// Hands every job that may start to a parked thread, or to a new one.
        mutating func dispatch() -> [Action] {
            var actions: [Action] = []
            for slot in SlotClass.allCases {
                while let tier = startableTier(slot) {
                    let job = pop(slot, tier)
                    if let worker = idle[slot.rawValue].popLast() {
                        assigned[worker.id] = job
                        actions.append(.wake(worker.wake))
                    } else {
                        let id = nextWorkerID
                        nextWorkerID += 1
                        threads[slot.rawValue] += 1
                        let wake = DispatchSemaphore(value: 0)
                        assigned[id] = job
                        actions.append(.start(id: id, slot: slot, wake: wake))
                    }
                }
            }
            return actions
        }
    }

    private let state: Mutex<State>

    init(renderSlots: Int, commandSlots: Int) {
        state = Mutex(State(limits: [max(1, renderSlots), max(1, commandSlots)]))
    }

    /// The slots of each class; a smaller limit takes effect as running jobs finish.
    func configure(renderSlots: Int, commandSlots: Int) {
        let actions = state.withLock { state in
            state.limits = [max(1, renderSlots), max(1, commandSlots)]
            return state.dispatch()
        }
        perform(actions)
    }

    /// Sets the slots from a project's settings (`batch.concurrency`, 0 meaning one per core, and
    /// `generators.command.concurrency`).
    func configure(_ settings: ProjectSettings) {
        configure(renderSlots: settings.renderSlots, commandSlots: settings.commandGenerator.concurrency)
    }

    func slots(_ slot: SlotClass) -> Int { state.withLock { $0.limits[slot.rawValue] } }

    /// Starts every thread `slot` may have, parked, ahead of the first jobs: a thread takes a
    /// millisecond or more to start, and the first parallel step (loading the configs) would
    /// otherwise run on the calling thread alone meanwhile.
    func prestart(_ slot: SlotClass) {
        let workers = state.withLock { state -> [Worker] in
            var workers: [Worker] = []
            while state.threads[slot.rawValue] < state.limits[slot.rawValue] {
                let worker = Worker(id: state.nextWorkerID, slot: slot, wake: DispatchSemaphore(value: 0))
                state.nextWorkerID += 1
                state.threads[slot.rawValue] += 1
                state.idle[slot.rawValue].append(worker)
                workers.append(worker)
            }
            return workers
        }
        for worker in workers {
            do {
                try startThread(worker)
            } catch {
                // No thread to be had: the slot is made on demand later, unless a job was
                // handed to this worker meanwhile, which then runs here as `perform` does.
                let handed = state.withLock { state -> Bool in
                    guard state.assigned[worker.id] == nil else { return true }
                    state.idle[slot.rawValue].removeAll { $0.id == worker.id }
                    state.threads[slot.rawValue] -= 1
                    return false
                }
                if handed { work(worker) }
            }
        }
    }

    /// A fresh group number for `submit` and `withdraw`.
    func makeGroup() -> Int {
        state.withLock { state in
            state.nextGroup += 1
            return state.nextGroup
        }
    }

    /// Queues jobs; each starts as soon as its class has a free slot and no higher tier waits.
    func submit(_ jobs: [Job]) {
        let actions = state.withLock { state in
            for job in jobs {
                state.queues[job.slot.rawValue][tier(job.tier)].append(job)
                state.unfinished[tier(job.tier)] += 1
            }
            return state.dispatch()
        }
        perform(actions)
    }

    /// Removes the queued (not yet started) jobs of `group` and returns them.
    func withdraw(group: Int) -> [Job] {
        let (removed, actions) = state.withLock { state -> ([Job], [Action]) in
            var removed: [Job] = []
            for slot in SlotClass.allCases {
                for tier in 0..<3 {
                    let queue = state.queues[slot.rawValue][tier][state.heads[slot.rawValue][tier]...]
                    let kept = queue.filter { $0.group != group }
                    guard kept.count != queue.count else { continue }
                    removed += queue.filter { $0.group == group }
                    state.queues[slot.rawValue][tier] = Array(kept)
                    state.heads[slot.rawValue][tier] = 0
                    state.unfinished[tier] -= queue.count - kept.count
                }
            }
            // Fewer unfinished jobs in a tier can let a lower tier start.
            return (removed, state.dispatch())
        }
        perform(actions)
        return removed
    }

    /// Runs `body(0..<count)` on the calling thread and on up to all `slot` slots at once, and
    /// returns when every index is done. The caller works too and only waits for helpers that
    /// started, so this never deadlocks, even called from inside a job with every slot taken.
    func forEach(_ count: Int, slot: SlotClass = .render, tier: Priority = .high, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let next = Atomic<Int>(0)
        let helpersDone = DispatchGroup()
        let drain: @Sendable () -> Void = {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                body(index)
            }
        }
        let group = makeGroup()
        let helpers = min(count, slots(slot)) - 1
        if helpers > 0 {
            for _ in 0..<helpers { helpersDone.enter() }
            submit((0..<helpers).map { _ in Job(tier: tier, slot: slot, group: group) { drain(); helpersDone.leave() } })
        }
        drain()
        for _ in withdraw(group: group) { helpersDone.leave() }
        helpersDone.wait()
    }

    /// Jobs queued and running, for `regen status` and tests.
    var load: (queued: Int, running: Int) {
        state.withLock { state in
            let queued = SlotClass.allCases.reduce(0) { sum, slot in sum + (0..<3).reduce(0) { $0 + state.queued(slot, $1) } }
            return (queued, state.running.reduce(0, +))
        }
    }

    private func tier(_ priority: Priority) -> Int {
        switch priority {
        case .high: return 0
        case .medium: return 1
        case .low: return 2
        }
    }

    private func perform(_ actions: [Action]) {
        for action in actions {
            switch action {
            case .wake(let semaphore):
                semaphore.signal()
            case .start(let id, let slot, let wake):
                let worker = Worker(id: id, slot: slot, wake: wake)
                do {
                    try startThread(worker)
                } catch {
                    // No thread to be had (the process is at its limit): the job runs here rather
                    // than never, and the caller waits for it.
                    work(worker)
                }
            }
        }
    }

    private func startThread(_ worker: Worker) throws(SystemError) {
        try startDetachedThread(name: "regen-\(worker.slot)-\(worker.id)", stackSize: Self.threadStackSize) { [self] in work(worker) }
    }

    /// A slot's thread: runs its job, takes the next startable one of its class itself (no
    /// hand-over when work is waiting), and parks when there is none.
    private func work(_ worker: Worker) {
        // A prestarted thread has no job yet: it waits in `idle` like a parked one.
        var job = state.withLock { $0.assigned.removeValue(forKey: worker.id) } ?? park(worker)
        while let current = job {
            current.run()
            let (next, parked, actions) = state.withLock { state -> (Job?, Bool, [Action]) in
                state.running[worker.slot.rawValue] -= 1
                state.unfinished[tier(current.tier)] -= 1
                var next: Job?
                var parked = false
                if let tier = state.startableTier(worker.slot) {
                    next = state.pop(worker.slot, tier)
                } else if state.threads[worker.slot.rawValue] > state.limits[worker.slot.rawValue] {
                    // One thread too many since `configure` lowered the limit: this one ends.
                    state.threads[worker.slot.rawValue] -= 1
                } else {
                    state.idle[worker.slot.rawValue].append(worker)
                    parked = true
                }
                return (next, parked, state.dispatch())
            }
            perform(actions)
            job = next ?? (parked ? park(worker) : nil)
        }
    }

    /// Waits (parked in `idle`) for a job; nil when none came for `idleSeconds`: the thread then
    /// ends. Each hand-over signals the semaphore once, so a stale signal only costs a loop.
    private func park(_ worker: Worker) -> Job? {
        while true {
            let timedOut = worker.wake.wait(timeout: .now() + Self.idleSeconds) == .timedOut
            let outcome = state.withLock { state -> (job: Job?, exit: Bool) in
                if let job = state.assigned.removeValue(forKey: worker.id) { return (job, false) }
                guard timedOut else { return (nil, false) }
                state.idle[worker.slot.rawValue].removeAll { $0.id == worker.id }
                state.threads[worker.slot.rawValue] -= 1
                return (nil, true)
            }
            if let job = outcome.job { return job }
            if outcome.exit { return nil }
        }
    }
}
