import FoundationEssentials
import Glibc
import Jinja
import Watcher

/// Runs an external program: `input` on its standard input, its standard output collected, the
/// end of its standard error kept, and its whole process group killed when time runs out (the
/// deadline of `stop`) or `stop` is cancelled.
///
/// Blocks the calling thread (a build worker thread, never a Task). The three streams are
/// socket pairs made with `SOCK_CLOEXEC`, so no other child started at the same moment inherits
/// them (its copy would hold our end-of-file back), and the input is written with `MSG_NOSIGNAL`,
/// so a program that does not read it cannot kill us with SIGPIPE.
///
/// The program leads a process group of its own, so that a kill reaches everything it started,
/// and starts with every signal at its default and none blocked, whatever `regen` itself was
/// given (`nohup` makes it ignore SIGHUP, a shell in the background SIGINT).
enum CommandRunner {
    struct Outcome {
        var status: Int32
        var signaled: Bool
        var output: [UInt8]
        var errorTail: String
        var timedOut: Bool
        var outputTooLarge: Bool
    }

    /// How much standard error is kept: the end is what says what went wrong.
    static let errorTailBytes = 2_000
    static let outputLimit = 256 << 20

    static func run(executable: String, arguments: [String], directory: String, environment: [String: String],
                    input: [UInt8], stop: RenderCancellation) throws -> Outcome {
        let stdin = try socketPair(), stdout = try socketPair(), stderr = try socketPair()
        // The parent ends, closed exactly once: by the loop when a stream ends (it sets the
        // variable to -1) or here. Closing a number twice would close whatever descriptor another
        // thread opened under it in between (another item's pipe, a file being written).
        var inputFD = stdin.parent, outputFD = stdout.parent, errorFD = stderr.parent
        defer {
            for fd in [inputFD, outputFD, errorFD] where fd >= 0 { close(fd) }
        }
        let spawned = Result { () throws(SystemError) in
            try spawn(executable, arguments: arguments, directory: directory, environment: environment,
                      streams: [stdin.child, stdout.child, stderr.child])
        }
        for fd in [stdin.child, stdout.child, stderr.child] { close(fd) }
        let pid = try spawned.get()

        var outcome = Outcome(status: 0, signaled: false, output: [], errorTail: "", timedOut: false, outputTooLarge: false)
        var errorBytes: [UInt8] = []
        var written = 0
        if input.isEmpty { shutdown(inputFD, Int32(SHUT_WR)); close(inputFD); inputFD = -1 }
        for fd in [inputFD, outputFD, errorFD] where fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        let deadline = stop.deadline
        var buffer = [UInt8](repeating: 0, count: 65_536)

        while outputFD >= 0 || errorFD >= 0 {
            let now = RenderCancellation.now()
            guard now < deadline, !stop.shouldStop else {
                outcome.timedOut = true
                break
            }
            var fds = [pollfd(fd: inputFD, events: Int16(POLLOUT), revents: 0),
                       pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errorFD, events: Int16(POLLIN), revents: 0)]
            // At most 100 ms, so that a cancellation is seen promptly.
            let waitMilliseconds = Int32(min(100, (deadline - now) / 1_000_000 + 1))
            // Descriptors of -1 are ignored by poll(): finished streams stay in the array.
            let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw SystemError(operation: "poll", code: errno)
            }
            if inputFD >= 0, fds[0].revents != 0 {
                let count = input.withUnsafeBytes { raw in
                    send(inputFD, raw.baseAddress! + written, raw.count - written, Int32(MSG_NOSIGNAL))
                }
                if count > 0 { written += count }
                // Done, or the program closed its input without reading it all: either way, stop.
                if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                    shutdown(inputFD, Int32(SHUT_WR))
                    close(inputFD)
                    inputFD = -1
                }
            }
            if outputFD >= 0, fds[1].revents != 0, !drain(&outputFD, into: &outcome.output, buffer: &buffer) {
                if outcome.output.count > outputLimit {
                    outcome.outputTooLarge = true
                    break
                }
            }
            if errorFD >= 0, fds[2].revents != 0 {
                _ = drain(&errorFD, into: &errorBytes, buffer: &buffer)
                if errorBytes.count > errorTailBytes * 2 { errorBytes.removeFirst(errorBytes.count - errorTailBytes) }
            }
        }
        if outcome.timedOut || outcome.outputTooLarge {
            // The child leads its own process group: end the whole tree. It is not reaped yet, so
            // its number cannot have gone to another process.
            kill(-pid, SIGKILL)
        }
        var status: Int32 = 0
        try SystemCall.retrying("waitpid") { waitpid(pid, &status, 0) }
        // The wait status: the signal in the low 7 bits when killed by one, else the exit code
        // in the next byte (glibc's WTERMSIG and WEXITSTATUS, macros Swift does not import).
        let signal = status & 0x7f
        outcome.signaled = signal != 0
        outcome.status = outcome.signaled ? signal : (status >> 8) & 0xff
        outcome.errorTail = String(decoding: errorBytes.suffix(errorTailBytes), as: UTF8.self)
        return outcome
    }

    /// Reads what is there; closes the descriptor at end of file. Returns false when it closed.
    private static func drain(_ fd: inout Int32, into bytes: inout [UInt8], buffer: inout [UInt8]) -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[0..<count])
                if bytes.count > outputLimit { return false }
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN { return true }
            close(fd)
            fd = -1
            return false
        }
    }

    /// Starts `executable` in `directory` with `streams` as its standard input, output and error,
    /// and only those: the rest of our descriptors are closed in the child (most are close-on-exec
    /// already; this also covers any we inherited without it). Returns its process id.
    private static func spawn(_ executable: String, arguments: [String], directory: String, environment: [String: String],
                              streams: [Int32]) throws(SystemError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        try check("posix_spawn_file_actions_init", posix_spawn_file_actions_init(&actions))
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in streams.enumerated() {
            try check("posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(&actions, stream, Int32(target)))
        }
        if let closeFrom = GNUSpawn.closeFrom {
            try check("posix_spawn_file_actions_addclosefrom_np", closeFrom(&actions, 3))
        }
        guard let changeFolder = GNUSpawn.changeFolder else {
            throw SystemError(operation: "posix_spawn_file_actions_addchdir_np", code: ENOSYS)
        }
        try check("posix_spawn_file_actions_addchdir_np", changeFolder(&actions, directory))

        var attributes = posix_spawnattr_t()
        try check("posix_spawnattr_init", posix_spawnattr_init(&attributes))
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        try check("posix_spawnattr_setsigmask", posix_spawnattr_setsigmask(&attributes, &noSignals))
        try check("posix_spawnattr_setsigdefault", posix_spawnattr_setsigdefault(&attributes, &allSignals))
        // Process group 0: the child's own number.
        try check("posix_spawnattr_setpgroup", posix_spawnattr_setpgroup(&attributes, 0))
        try check("posix_spawnattr_setflags", posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)))

        // The child changes folder before it runs the program: a relative path would be looked
        // up from there, not from here.
        let path = executable.hasPrefix("/") ? executable : FileManager.default.currentDirectoryPath + "/" + executable
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        try check("posix_spawn", posix_spawn(&pid, path, &actions, &attributes, argv, envp))
        return pid
    }

    /// posix_spawn's functions return the error number rather than setting `errno`.
    private static func check(_ operation: String, _ code: Int32) throws(SystemError) {
        if code != 0 { throw SystemError(operation: operation, code: code) }
    }

    /// glibc's posix_spawn extensions, which the Glibc module does not export: `addchdir_np`
    /// (glibc 2.29) and `addclosefrom_np` (2.34).
    private enum GNUSpawn {
        typealias ChangeFolder = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

        static let changeFolder = symbol("posix_spawn_file_actions_addchdir_np", as: ChangeFolder.self)
        static let closeFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)

        private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
        }
    }

    private static func socketPair() throws -> (parent: Int32, child: Int32) {
        var fds: [Int32] = [-1, -1]
        try SystemCall.retrying("socketpair") {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        }
        return (fds[0], fds[1])
    }

    /// The program to run: a path with a slash is relative to `directory`; a bare name is
    /// looked up in `PATH`. Nil when there is no such executable file.
    static func locate(_ program: String, directory: String, path: String?) -> String? {
        if program.contains("/") {
            let candidate = program.hasPrefix("/") ? program : directory + "/" + program
            return isExecutable(candidate) ? candidate : nil
        }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = String(folder) + "/" + program
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutable(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && access(path, X_OK) == 0
    }
}
