import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Stops a render from outside it: at a deadline, or when another thread calls `cancel()`. The
/// renderer consults it at its checks (each loop iteration and each nested call, include or
/// template), so a render stops at its next check, not in the middle of a filter.
public final class RenderCancellation: Sendable {
    /// `CLOCK_MONOTONIC` nanoseconds (as `DispatchTime.uptimeNanoseconds`); `UInt64.max` for none.
    public let deadline: UInt64
    private let cancelled = Atomic<Bool>(false)

    public init(deadline: UInt64 = .max) {
        self.deadline = deadline
    }

    /// Makes the render stop at its next check.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Whether the render must stop now.
    public var shouldStop: Bool {
        if cancelled.load(ordering: .relaxed) { return true }
        return deadline != .max && Self.now() >= deadline
    }

    /// The monotonic clock in nanoseconds, the clock of `deadline`.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
