import Dispatch
import Jinja
import Synchronization

/// One item as the scheduler placed it: its position in the run, its tier and its chunk.
struct ScheduledItem: Sendable {
    var index: Int
    var item: BuildItem
    var tier: Priority
    var chunk: Int
}

/// Hears about items as they start and finish, on the executor's threads (so it must be quick and
/// thread-safe): the progress bar and the JSON Lines events.
protocol RunObserver: Sendable {
    func started(_ item: ScheduledItem)
    /// Every item finishes exactly once; one that never started (its batch timed out first)
    /// finishes without starting.
    func finished(_ item: ScheduledItem, _ result: ItemResult)
}

/// The time one item may take: until its own deadline (`item_timeout_s` after it started) or its
/// chunk's (`batch_timeout_s` after the chunk's first item started), whichever comes first.
struct ItemBudget: Sendable {
    let cancellation: RenderCancellation
    let itemTimeout: Double
    let batchTimeout: Double
    let itemDeadline: UInt64
    let batchDeadline: UInt64

    /// A budget that never runs out (previews, tests).
    static let unlimited = ItemBudget(cancellation: RenderCancellation(), itemTimeout: .infinity,
                                      batchTimeout: .infinity, itemDeadline: .max, batchDeadline: .max)

    var isExpired: Bool { cancellation.shouldStop }

    /// What an item that ran out of time reports: `timed out after 30 s`, or, when the batch's
    /// limit came first, that the batch stopped it.
    func expiry(_ item: BuildItem) -> Diagnostic {
        let program = item.config.command?.first.map { "Command '\($0)'" }
        let message: String
        if batchDeadline < itemDeadline {
            let limit = "the batch timed out after \(Self.seconds(batchTimeout)) s"
            message = program.map { "\($0) was killed: \(limit)" } ?? "stopped: \(limit)"
        } else {
            let limit = "timed out after \(Self.seconds(itemTimeout)) s"
            message = program.map { "\($0) \(limit) and was killed" } ?? limit
        }
        return Diagnostic(file: item.config.file, message)
    }

    /// `30`, `0.5`: seconds as the user wrote them in watch.yaml.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && value < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Turns a run's items into jobs for the executor: in tier order, in chunks of at most
/// `batch.max_batch_size` (each chunk with its own `batch_timeout_s`, counted from its first
/// item's start), all submitted at once, so that a free slot takes the next item whichever chunk
/// it is in. Waits for every item, enforcing the chunks' deadlines, and returns the results in
/// the order of `items`.
enum Scheduler {
    /// After a deadline, how long a running item may take to notice before it is reported as
    /// timed out and abandoned (its late result, and its output, are dropped).
    static let abandonGraceSeconds = 2.0

    /// The items in the order they will start (tier by tier, stable), cut into chunks.
    static func plan(_ items: [BuildItem], settings: ProjectSettings) -> [ScheduledItem] {
        let tiers = items.map { settings.tier(of: $0.config) }
        let order = items.indices.sorted { (tierRank(tiers[$0]), $0) < (tierRank(tiers[$1]), $1) }
        let size = max(1, settings.batch.maxBatchSize)
        return order.enumerated().map { position, index in
            ScheduledItem(index: index, item: items[index], tier: tiers[index], chunk: position / size)
        }
    }

    static func tierRank(_ tier: Priority) -> Int {
        switch tier {
        case .high: return 0
        case .medium: return 1
        case .low: return 2
        }
    }

    static func run(_ items: [BuildItem], settings: ProjectSettings, executor: Executor, observer: (any RunObserver)?,
                    work: @escaping @Sendable (BuildItem, ItemBudget) -> ItemResult) -> [ItemResult] {
        guard !items.isEmpty else { return [] }
        let planned = plan(items, settings: settings)
        let chunkCount = (planned.map(\.chunk).max() ?? 0) + 1
        let run = RunState(count: items.count, chunks: chunkCount, settings: settings)
        let groups = (0..<chunkCount).map { _ in executor.makeGroup() }
        run.groups = groups
        let jobs = planned.map { scheduled in
            Executor.Job(tier: scheduled.tier, slot: SlotClass(scheduled.item.config.generator),
                         group: groups[scheduled.chunk]) {
                run.execute(scheduled, observer: observer, work: work)
            }
        }
        run.planned = planned
        executor.submit(jobs)
        run.wait(executor: executor, observer: observer)
        return run.results()
    }
}

/// The shared state of one run: results, which items started, the chunks' clocks.
private final class RunState: Sendable {
    struct Progress {
        var results: [ItemResult?]
        var started: [Bool]
        /// Running items: when each must be abandoned if it has not stopped by then, and its budget.
        var abandonAt: [Int: (at: UInt64, budget: ItemBudget)] = [:]
        /// No entry of `abandonAt` is due before this: the waiting thread wakes at every chunk's
        /// start, and scanning every running item each time cost a core's worth of time in a
        /// 2,000-item run. Lowered on insert, recomputed only when reached.
        var earliestAbandon = UInt64.max
        var remaining: Int
        var chunkStart: [UInt64?]
        var chunkExpired: [Bool]
    }

    let progress: Mutex<Progress>
    let changed = DispatchSemaphore(value: 0)
    let itemTimeout: Double
    let batchTimeout: Double
    // Set once, before any job is submitted, and only read afterwards.
    nonisolated(unsafe) var planned: [ScheduledItem] = []
    nonisolated(unsafe) var groups: [Int] = []

    init(count: Int, chunks: Int, settings: ProjectSettings) {
        progress = Mutex(Progress(results: Array(repeating: nil, count: count), started: Array(repeating: false, count: count),
                                  remaining: count, chunkStart: Array(repeating: nil, count: chunks),
                                  chunkExpired: Array(repeating: false, count: chunks)))
        itemTimeout = settings.batch.itemTimeoutSeconds
        batchTimeout = settings.batch.batchTimeoutSeconds
    }

    /// How often the waiting thread looks for chunks that started, at the latest.
    static let rescanNanoseconds: UInt64 = 1_000_000_000

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds.isFinite && seconds < 1e9 ? UInt64(seconds * 1e9) : UInt64.max / 2
    }

    /// One item, on an executor thread.
    func execute(_ scheduled: ScheduledItem, observer: (any RunObserver)?,
                 work: @Sendable (BuildItem, ItemBudget) -> ItemResult) {
        let now = RenderCancellation.now()
        let batchNanoseconds = Self.nanoseconds(batchTimeout)
        let admission = progress.withLock { state -> (budget: ItemBudget?, firstOfChunk: Bool, lateResult: ItemResult?) in
            guard state.results[scheduled.index] == nil else { return (nil, false, nil) }
            let first = state.chunkStart[scheduled.chunk] == nil
            let chunkStart = state.chunkStart[scheduled.chunk] ?? now
            state.chunkStart[scheduled.chunk] = chunkStart
            let batchDeadline = chunkStart &+ batchNanoseconds
            if now >= batchDeadline || state.chunkExpired[scheduled.chunk] {
                return (nil, first, notStarted(scheduled))
            }
            let itemDeadline = now &+ Self.nanoseconds(itemTimeout)
            let budget = ItemBudget(cancellation: RenderCancellation(deadline: min(itemDeadline, batchDeadline)),
                                    itemTimeout: itemTimeout, batchTimeout: batchTimeout,
                                    itemDeadline: itemDeadline, batchDeadline: batchDeadline)
            state.started[scheduled.index] = true
            let abandonAt = min(itemDeadline, batchDeadline) &+ Self.nanoseconds(Scheduler.abandonGraceSeconds)
            state.abandonAt[scheduled.index] = (abandonAt, budget)
            state.earliestAbandon = min(state.earliestAbandon, abandonAt)
            return (budget, first, nil)
        }
        // The waiting thread looks for chunks that started every `rescanNanoseconds` anyway: it is
        // woken only when this chunk's deadline could come sooner (a wake for each of the 200
        // chunks of a 2,000-item run took a core's time slices away from the renders).
        if admission.firstOfChunk, Self.nanoseconds(batchTimeout) < Self.rescanNanoseconds { changed.signal() }
        if let late = admission.lateResult {
            record(scheduled, late, observer: observer)
            return
        }
        guard let budget = admission.budget else { return }
        observer?.started(scheduled)
        var result = work(scheduled.item, budget)
        if result.failure != nil, budget.isExpired {
            result.status = .failed(budget.expiry(scheduled.item))
        }
        record(scheduled, result, observer: observer)
    }

    func notStarted(_ scheduled: ScheduledItem) -> ItemResult {
        let message = "not started: the batch timed out after \(ItemBudget.seconds(batchTimeout)) s"
        return ItemResult(item: scheduled.item, status: .failed(Diagnostic(file: scheduled.item.config.file, message)), seconds: 0)
    }

    /// Keeps the first result of an item (a late one from an abandoned item is dropped).
    func record(_ scheduled: ScheduledItem, _ result: ItemResult, observer: (any RunObserver)?) {
        let kept = progress.withLock { state -> Bool in
            guard state.results[scheduled.index] == nil else { return false }
            state.results[scheduled.index] = result
            state.abandonAt[scheduled.index] = nil
            return true
        }
        guard kept else { return }
        observer?.finished(scheduled, result)
        // Counted only once the observer has heard: counted before, the waiting thread could end
        // the run (and the reporter print its summary) while this thread was still on its way to
        // the observer, whose events then came after the summary or never.
        let last = progress.withLock { state -> Bool in
            state.remaining -= 1
            return state.remaining == 0
        }
        if last { changed.signal() }
    }

    /// Waits until every item has a result, withdrawing the queued items of chunks whose time is
    /// up and abandoning items that overran their deadline by the grace period.
    func wait(executor: Executor, observer: (any RunObserver)?) {
        let batchNanoseconds = Self.nanoseconds(batchTimeout)
        while true {
            let now = RenderCancellation.now()
            let (done, expiredChunks, abandoned, next) = progress.withLock { state -> (Bool, [Int], [(Int, ItemBudget)], UInt64) in
                guard state.remaining > 0 else { return (true, [], [], 0) }
                var expired: [Int] = []
                var next = UInt64.max
                for chunk in state.chunkStart.indices where !state.chunkExpired[chunk] {
                    guard let start = state.chunkStart[chunk] else { continue }
                    let deadline = start &+ batchNanoseconds
                    if now >= deadline {
                        state.chunkExpired[chunk] = true
                        expired.append(chunk)
                    } else {
                        next = min(next, deadline)
                    }
                }
                var abandoned: [(Int, ItemBudget)] = []
                if now >= state.earliestAbandon {
                    state.earliestAbandon = .max
                    for (index, entry) in state.abandonAt {
                        if now >= entry.at {
                            abandoned.append((index, entry.budget))
                        } else {
                            state.earliestAbandon = min(state.earliestAbandon, entry.at)
                        }
                    }
                }
                return (false, expired, abandoned, min(next, state.earliestAbandon))
            }
            if done { return }
            for chunk in expiredChunks {
                _ = executor.withdraw(group: groups[chunk])
                for scheduled in planned where scheduled.chunk == chunk {
                    let waiting = progress.withLock { !$0.started[scheduled.index] && $0.results[scheduled.index] == nil }
                    if waiting { record(scheduled, notStarted(scheduled), observer: observer) }
                }
            }
            for (index, budget) in abandoned {
                guard let scheduled = planned.first(where: { $0.index == index }) else { continue }
                // It stops at its next check, or its write is refused: its output never appears.
                budget.cancellation.cancel()
                var diagnostic = budget.expiry(scheduled.item)
                diagnostic.message += " (it did not stop; its output is not written)"
                record(scheduled, ItemResult(item: scheduled.item, status: .failed(diagnostic), seconds: 0), observer: observer)
            }
            if !expiredChunks.isEmpty || !abandoned.isEmpty { continue }
            // Wake at the next deadline, or soon enough to see chunks that started since.
            let wait = min(next, now &+ Self.rescanNanoseconds) - now
            _ = changed.wait(timeout: .now() + .nanoseconds(Int(wait)))
        }
    }

    func results() -> [ItemResult] {
        progress.withLock { state in state.results.compactMap { $0 } }
    }
}
