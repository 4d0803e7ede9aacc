import Dispatch
import Foundation
import Synchronization

/// A bounded pool of threads for one batch of jobs. Jobs block (file system, external programs),
/// so they run on threads of their own, never on the Swift concurrency pool.
enum WorkerPool {
    /// Deep templates recurse deeply: worker threads get a generous stack.
    static let stackSize = 16 << 20

    /// Runs `job(0..<count)` on at most `workers` threads; the results come back in job order.
    static func run<Result: Sendable>(count: Int, workers: Int, _ job: @escaping @Sendable (Int) -> Result) -> [Result] {
        let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        let work: @Sendable () -> Void = {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let result = job(index)
                results.withLock { $0[index] = result }
            }
        }
        let threads = max(1, min(workers, count))
        let group = DispatchGroup()
        for _ in 1..<threads {
            group.enter()
            let thread = Thread { work(); group.leave() }
            thread.stackSize = stackSize
            thread.start()
        }
        work()
        group.wait()
        return results.withLock { $0.compactMap { $0 } }
    }
}
