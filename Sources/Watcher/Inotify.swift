import Glibc
import Synchronization

/// An inotify instance: owns the descriptor (non-blocking, close-on-exec).
final class Inotify: Sendable {
    let descriptor: Int32
    private let closed = Atomic<Bool>(false)

    init() throws(SystemError) {
        descriptor = try SystemCall.retrying("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    /// Watches `path`; an already-watched folder gives its existing watch descriptor.
    func addWatch(_ path: String, mask: InotifyMask) throws(SystemError) -> Int32 {
        try SystemCall.retrying("inotify_add_watch", path: path) {
            inotify_add_watch(descriptor, path, mask.rawValue)
        }
    }

    /// Stops a watch. `EINVAL` (the kernel dropped it already, with the folder) is not an error.
    func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// Reads queued records into `buffer`; 0 when the queue is empty (`EAGAIN`).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        do {
            return try SystemCall.retrying("read inotify") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
        } catch where error.code == EAGAIN {
            return 0
        }
    }

    /// Closes the descriptor once; later calls do nothing.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Glibc.close(descriptor)
    }

    deinit { close() }
}
