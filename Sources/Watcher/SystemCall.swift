import Glibc

/// A system call that failed: what was called, on which path if any, and `errno`.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var code: Int32

    public init(operation: String, path: String? = nil, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        let reason = String(cString: strerror(code))
        guard let path else { return "\(operation): \(reason)" }
        return "\(operation) '\(path)': \(reason)"
    }
}

/// System calls, each retried on `EINTR`, with `errno` turned into a `SystemError`.
public enum SystemCall {
    /// Runs `call` until it does not fail with `EINTR`; a result of -1 becomes a `SystemError`.
    @discardableResult
    public static func retrying<T: BinaryInteger>(_ operation: String, path: String? = nil,
                                           _ call: () -> T) throws(SystemError) -> T {
        while true {
            let result = call()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(operation: operation, path: path, code: code)
        }
    }

    /// Sets `FD_CLOEXEC` and `O_NONBLOCK` on a descriptor.
    static func makeNonBlockingAndCloseOnExec(_ descriptor: Int32) throws(SystemError) {
        try retrying("fcntl") { fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let flags = try retrying("fcntl") { fcntl(descriptor, F_GETFL) }
        try retrying("fcntl") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }
}
