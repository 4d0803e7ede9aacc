import Foundation

/// System calls, each retried on `EINTR`, with `errno` turned into a typed error.
enum System {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var code: Int32
        var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }

    /// Runs `call` until it does not fail with `EINTR`; a result of -1 becomes a `Failure`.
    @discardableResult
    static func retrying<T: BinaryInteger>(_ operation: String, _ call: () -> T) throws(Failure) -> T {
        while true {
            let result = call()
            if result != -1 { return result }
            if errno == EINTR { continue }
            throw Failure(operation: operation, code: errno)
        }
    }

    static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
