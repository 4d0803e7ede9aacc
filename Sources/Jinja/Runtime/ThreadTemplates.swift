import Glibc

/// The templates one thread has parsed, or borrowed, for one environment. A thread keeps one
/// such cache, for the environment it rendered with last; switching environments or an
/// `invalidate` starts a new one. Only its own thread touches it.
final class ThreadTemplates {
    let environment: Int
    let generation: Int
    /// Parsed by this thread.
    var templates: [String: Template] = [:]
    /// Parsed by another thread, and how many times this one has rendered them.
    var borrowed: [String: (template: Template, renders: Int)] = [:]

    private init(environment: Int, generation: Int) {
        self.environment = environment
        self.generation = generation
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        // The thread's cache is released when the thread ends.
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<ThreadTemplates>.fromOpaque(pointer).release() }
        }
        return key
    }()

    /// This thread's cache for `environment` at `generation`, made anew when it has none.
    static func cache(for environment: Int, generation: Int) -> ThreadTemplates {
        if let stored = pthread_getspecific(key) {
            let cache = Unmanaged<ThreadTemplates>.fromOpaque(stored).takeUnretainedValue()
            if cache.environment == environment && cache.generation == generation { return cache }
            Unmanaged<ThreadTemplates>.fromOpaque(stored).release()
        }
        let cache = ThreadTemplates(environment: environment, generation: generation)
        pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }
}
