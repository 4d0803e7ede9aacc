/// How raw changes are grouped into settled batches.
public struct SettleOptions: Sendable, Equatable {
    /// Quiet period after the last event before a batch is made (`watch.settle_ms`).
    public var settle: Duration
    /// Upper bound on that wait during an endless stream of events (`watch.max_delay_ms`).
    public var maxDelay: Duration
    /// The project's `.git` folder: while `index.lock` exists in it (a checkout, a merge), the
    /// batch waits, up to `lockWaitLimit` after its first event.
    public var gitDirectory: String?
    public var lockWaitLimit: Duration
    /// How often the lock is looked at while it exists.
    public var lockRecheck: Duration

    public init(settle: Duration = .milliseconds(20), maxDelay: Duration = .milliseconds(250),
                gitDirectory: String? = nil, lockWaitLimit: Duration = .seconds(10),
                lockRecheck: Duration = .milliseconds(10)) {
        self.settle = settle
        self.maxDelay = max(maxDelay, settle)
        self.gitDirectory = gitDirectory.map { Path.absolute($0) }
        self.lockWaitLimit = lockWaitLimit
        self.lockRecheck = lockRecheck
    }
}

/// Gathers changed paths until they settle: a state machine that says when to make a batch;
/// the caller owns the clock and the waiting.
struct Settler {
    typealias Instant = ContinuousClock.Instant

    enum Action: Equatable {
        /// Nothing is pending: wait for events.
        case idle
        /// Come back at this instant (or earlier, with more events).
        case wait(until: Instant)
        /// Make the batch now (`take()`).
        case emit
    }

    let options: SettleOptions
    private(set) var paths: Set<String> = []
    private(set) var rescans: Set<String> = []
    private(set) var errors: [WatchError] = []
    private var first: Instant?
    private var last: Instant?

    init(options: SettleOptions) {
        self.options = options
    }

    var isEmpty: Bool { first == nil }

    mutating func add(_ changes: RawChanges, at time: Instant) {
        guard !changes.isEmpty else { return }
        paths.formUnion(changes.paths)
        rescans.formUnion(changes.rescans)
        errors += changes.errors
        if first == nil { first = time }
        last = max(last ?? time, time)
    }

    /// What to do at `now`. `lockExists` is asked only once the batch is otherwise due.
    func decide(now: Instant, lockExists: () -> Bool) -> Action {
        guard let first, let last else { return .idle }
        let due = min(last + options.settle, first + options.maxDelay)
        if now < due { return .wait(until: due) }
        if options.gitDirectory != nil {
            let giveUp = first + options.lockWaitLimit
            if now < giveUp && lockExists() { return .wait(until: min(now + options.lockRecheck, giveUp)) }
        }
        return .emit
    }

    /// The gathered changes; the settler is empty afterwards.
    mutating func take() -> RawChanges {
        defer { self = Settler(options: options) }
        return RawChanges(paths: Array(paths), rescans: Array(rescans), errors: errors)
    }
}

/// Changes as the event translator finds them, before settling: paths whose state is to be
/// looked at, folders to rescan, errors.
struct RawChanges {
    var paths: [String] = []
    var rescans: [String] = []
    var errors: [WatchError] = []

    var isEmpty: Bool { paths.isEmpty && rescans.isEmpty && errors.isEmpty }
}
