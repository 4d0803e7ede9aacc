import Glibc

/// Runs `body` on a new detached thread named `name` (as `top -H` and debuggers show it), with
/// `stackSize` bytes of stack, or the system's default when nil. Foundation's `Thread` does the
/// same, but linking Foundation costs every start of the process milliseconds.
///
/// Throws when the system cannot make another thread (`EAGAIN`): out of threads or memory.
public func startDetachedThread(name: String, stackSize: Int? = nil,
                                _ body: @escaping @Sendable () -> Void) throws(SystemError) {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
    let start = ThreadStart(name: name, body: body)
    let context = Unmanaged.passRetained(start).toOpaque()
    var thread = pthread_t()
    let code = pthread_create(&thread, &attributes, { context in
        guard let context else { return nil }
        let start = Unmanaged<ThreadStart>.fromOpaque(context).takeRetainedValue()
        start.nameCurrentThread()
        start.body()
        return nil
    }, context)
    if code != 0 {
        Unmanaged<ThreadStart>.fromOpaque(context).release()
        throw SystemError(operation: "pthread_create", code: code)
    }
}

/// What a new thread needs, handed over through `pthread_create`'s context pointer.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    /// `pthread_setname_np`, a GNU extension the Glibc module does not export.
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    private static let setName: SetName? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: SetName.self)
    }()

    /// Linux keeps 15 bytes of a thread's name and refuses a longer one outright: cut to fit.
    func nameCurrentThread() {
        guard let setName = Self.setName else { return }
        _ = setName(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }
}
