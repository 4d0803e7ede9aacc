import Glibc

/// A pipe that wakes the reader thread out of `poll`. Glibc exports neither `pipe2` nor `eventfd`,
/// so it is made with `pipe` and `fcntl`; both ends are non-blocking and close-on-exec.
final class WakePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    init() throws(SystemError) {
        var ends: [Int32] = [-1, -1]
        try SystemCall.retrying("pipe") { pipe(&ends) }
        readEnd = ends[0]
        writeEnd = ends[1]
        do {
            try SystemCall.makeNonBlockingAndCloseOnExec(readEnd)
            try SystemCall.makeNonBlockingAndCloseOnExec(writeEnd)
        } catch {
            Glibc.close(readEnd)
            Glibc.close(writeEnd)
            throw error
        }
    }

    /// Makes the read end readable. A full pipe (`EAGAIN`) already holds a wake-up: nothing lost.
    func wake() {
        var byte: UInt8 = 1
        _ = try? SystemCall.retrying("write") { write(writeEnd, &byte, 1) }
    }

    /// Reads every pending wake-up byte.
    func drain() {
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while true {
            let count = (try? SystemCall.retrying("read") {
                withUnsafeMutableBytes(of: &bytes) { read(readEnd, $0.baseAddress, $0.count) }
            }) ?? 0
            if count <= 0 { return }
        }
    }

    /// Closed only when nothing can write to it any more: closing it earlier could make `wake`
    /// write into whatever file reused the descriptor number.
    deinit {
        Glibc.close(readEnd)
        Glibc.close(writeEnd)
    }
}
