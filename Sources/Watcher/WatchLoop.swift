import Glibc
import Synchronization

/// The reader thread's work: `poll` on the inotify descriptor and the wake-up pipe, drain the
/// queue until `EAGAIN`, translate, settle, and hand each settled batch to the stream.
///
/// `@unchecked Sendable`: built by `DirectoryWatcher.init` on the caller's thread, then handed
/// to the one reader thread, which alone touches it from then on (`DirectoryWatcher` gives it
/// away exactly once, under its lock).
final class WatchLoop: @unchecked Sendable {
    private let inotify: Inotify
    private let wakePipe: WakePipe
    private let control: WatchControl
    private var translator: EventTranslator
    private let clock = ContinuousClock()
    /// Room for many records at once (each at most 16 + NAME_MAX + 1 bytes).
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)

    init(inotify: Inotify, wakePipe: WakePipe, control: WatchControl, tree: WatchTree) {
        self.inotify = inotify
        self.wakePipe = wakePipe
        self.control = control
        self.translator = EventTranslator(tree: tree)
        control.watchedFolders.store(tree.folders.count, ordering: .relaxed)
    }

    deinit { buffer.deallocate() }

    /// Runs until `stop()`; closes the inotify descriptor and finishes the stream on the way out.
    func run(options: SettleOptions, continuation: AsyncStream<ChangeBatch>.Continuation) {
        defer {
            // Closed first: whoever sees the stream end can count on the descriptor being gone
            // (finished first, it stayed open for as long as this thread was not scheduled).
            inotify.close()
            continuation.finish()
        }
        var settler = Settler(options: options)
        let lockPath = options.gitDirectory.map { Path.join($0, "index.lock") }
        var wakeAt: ContinuousClock.Instant?
        while !control.isStopped {
            var descriptors = [pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakePipe.readEnd, events: Int16(POLLIN), revents: 0)]
            let deadline = [wakeAt, translator.pendingMoveDeadline].compactMap { $0 }.min()
            let timeout = deadline.map { milliseconds(until: $0) } ?? -1
            do {
                try SystemCall.retrying("poll") { poll(&descriptors, 2, timeout) }
            } catch {
                control.record(WatchError(folder: "", reason: .system(error)))
                return
            }
            if descriptors[1].revents != 0 { wakePipe.drain() }
            if control.isStopped { return }
            var changes = RawChanges()
            if descriptors[0].revents != 0 {
                guard drain(into: &changes) else { return }
            }
            let now = clock.now
            translator.expireMoves(now: now, into: &changes)
            record(changes, in: &settler, at: now)

            switch settler.decide(now: now, lockExists: { lockPath.map(Path.exists) ?? false }) {
            case .idle:
                wakeAt = nil
            case .wait(let until):
                wakeAt = until
            case .emit:
                // Whatever the kernel queued before this instant belongs in the batch; a folder
                // rename half read waits for its pair first.
                var late = RawChanges()
                guard drain(into: &late) else { return }
                record(late, in: &settler, at: now)
                if translator.pendingMoveDeadline != nil {
                    wakeAt = translator.pendingMoveDeadline
                    continue
                }
                continuation.yield(makeBatch(settler.take()))
                wakeAt = nil
            }
        }
    }

    private func record(_ changes: RawChanges, in settler: inout Settler, at time: ContinuousClock.Instant) {
        guard !changes.isEmpty else { return }
        for error in changes.errors { control.record(error) }
        control.watchedFolders.store(translator.tree.folders.count, ordering: .relaxed)
        settler.add(changes, at: time)
    }

    /// Reads and translates until the queue is empty; false when reading failed for good.
    private func drain(into changes: inout RawChanges) -> Bool {
        while true {
            let count: Int
            do {
                count = try inotify.read(into: buffer)
            } catch {
                control.record(WatchError(folder: "", reason: .system(error)))
                return false
            }
            if count <= 0 { return true }
            let now = clock.now
            let events = InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: buffer[..<count])).events
            for event in events { translator.handle(event, at: now, into: &changes) }
        }
    }

    /// Each path's state now decides its kind: a file deleted and created again in one batch
    /// is one change, a file created and deleted again is a deletion.
    private func makeBatch(_ raw: RawChanges) -> ChangeBatch {
        var batch = ChangeBatch(errors: raw.errors)
        for path in raw.paths { batch.changes[path] = Path.isPresentFile(path) ? .changed : .deleted }
        for folder in raw.rescans { batch.changes[folder] = .rescan }
        return batch
    }

    private func milliseconds(until instant: ContinuousClock.Instant) -> Int32 {
        let remaining = clock.now.duration(to: instant)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: total)
    }
}

/// What the watcher and its reader thread share: the stop flag, the errors so far and the
/// number of watched folders.
final class WatchControl: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let errors = Mutex<[WatchError]>([])
    let watchedFolders = Atomic<Int>(0)
    let wakePipe: WakePipe

    init(wakePipe: WakePipe) {
        self.wakePipe = wakePipe
    }

    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Sets the flag, then wakes the thread out of `poll`.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakePipe.wake()
    }

    func record(_ error: WatchError) {
        errors.withLock { $0.append(error) }
    }

    var allErrors: [WatchError] { errors.withLock { $0 } }
}
