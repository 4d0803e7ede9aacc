import Glibc

/// How much stack the current thread has left. Nested macro calls, includes and recursive loops
/// recurse in the renderer; the depth limit alone cannot protect a thread with a small stack (a
/// Dispatch or Swift concurrency worker has far less than the main thread), so the renderer also
/// stops when the stack runs low, with an error instead of a crash.
enum StackGuard {
    /// Stack kept free for the work between two checks (expression evaluation, filters).
    static let reserve = 96 * 1024

    /// Per thread: the lowest address of its stack, looked up once (for the main thread the
    /// lookup reads /proc/self/maps, far too slow for every call).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    static var remaining: Int {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        let low = lowestAddress
        return low == 0 ? Int.max : Int(bitPattern: here &- low)
    }

    /// `pthread_getattr_np`, a GNU extension the Glibc module does not export.
    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
    private static let getThreadAttributes: GetAttributes? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: GetAttributes.self)
    }()

    private static var lowestAddress: UInt {
        if let stored = pthread_getspecific(key) {
            return stored.load(as: UInt.self)
        }
        var attributes = pthread_attr_t()
        var low: UInt = 0
        if let getAttributes = getThreadAttributes, getAttributes(pthread_self(), &attributes) == 0 {
            var address: UnsafeMutableRawPointer?
            var size = 0
            if pthread_attr_getstack(&attributes, &address, &size) == 0 {
                low = UInt(bitPattern: address)
            }
            pthread_attr_destroy(&attributes)
        }
        if let storage = malloc(MemoryLayout<UInt>.size) {
            storage.storeBytes(of: low, as: UInt.self)
            pthread_setspecific(key, storage)
        }
        return low
    }
}
