import Dispatch
import Documents
import FoundationEssentials
import Glibc
import Synchronization
import Watcher

/// The daemon's control socket: a Unix domain stream socket in the state folder
/// (`.regen/daemon.sock`). Each connection carries one request line and gets one response line,
/// both a JSON object (docs/daemon.md). Blocking calls (`poll`, `accept`, `read`) run on threads
/// of their own, never in a Task.
enum ControlSocket {
    static let fileName = "daemon.sock"
    /// Longest request or response line.
    static let lineLimit = 4 << 20

    /// `sun_path` holds 108 bytes. A longer path is reached through the folder's descriptor
    /// (`/proc/self/fd/N/daemon.sock`), which `bind` and `connect` follow like any path.
    static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var folderDescriptor: Int32 = -1
        var usable = path
        if path.utf8.count >= 100 {
            let folder = ProjectPath.folder(of: path)
            folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if folderDescriptor >= 0 { usable = "/proc/self/fd/\(folderDescriptor)/" + ProjectPath.lastComponent(path) }
        }
        defer { if folderDescriptor >= 0 { close(folderDescriptor) } }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in usable.utf8.prefix(capacity - 1).enumerated() { buffer[index] = byte }
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    static func makeSocket() throws(SystemError) -> Int32 {
        try SystemCall.retrying("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    }

    /// Sends all of `text`; `MSG_NOSIGNAL`, so a peer that went away is an error, not a SIGPIPE.
    static func send(_ text: String, to descriptor: Int32) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    /// Reads up to the first newline (or the end); nil on an error, a timeout or an overlong line.
    static func readLine(from descriptor: Int32) -> [UInt8]? {
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return line.isEmpty ? nil : line }
            if let newline = buffer[0..<count].firstIndex(of: UInt8(ascii: "\n")) {
                line += buffer[0..<newline]
                return line
            }
            line += buffer[0..<count]
            if line.count > lineLimit { return nil }
        }
    }

    static func setReceiveTimeout(_ descriptor: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}

/// One answer to one request, handed from the daemon's loop to the connection's thread.
final class ControlReply: Sendable {
    private let slot = Mutex<Document?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// The first answer counts; later ones are dropped.
    func send(_ response: Document) {
        let first = slot.withLock { slot -> Bool in
            guard slot == nil else { return false }
            slot = response
            return true
        }
        if first { done.signal() }
    }

    func wait() -> Document {
        done.wait()
        return slot.withLock { $0 } ?? ControlProtocol.failure("no answer")
    }
}

/// The listening side, in the daemon: a thread that `poll`s the socket and a wake-up pipe,
/// accepts, and gives each connection a thread of its own that reads the request, hands it to
/// `handle` (which waits for the daemon's answer) and writes the response.
final class ControlServer: Sendable {
    let path: String
    private let listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `path`. A socket file left by a daemon that died is replaced: the caller holds the
    /// daemon lock, so no live daemon owns it.
    init(path: String) throws(SystemError) {
        self.path = path
        unlink(path)
        let descriptor = try ControlSocket.makeSocket()
        let bound = ControlSocket.withAddress(path) { bind(descriptor, $0, $1) }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            let failure = SystemError(operation: "bind \(path)", code: errno)
            close(descriptor)
            throw failure
        }
        chmod(path, 0o600)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let failure = SystemError(operation: "pipe", code: errno)
            close(descriptor)
            unlink(path)
            throw failure
        }
        for end in ends + [descriptor] {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        listener = descriptor
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    /// Starts the accept thread. `handle` runs on each connection's thread and may block.
    /// When the thread cannot start, the socket is closed and removed (as `stop()` would).
    func start(_ handle: @escaping @Sendable (Document) -> Document) throws(SystemError) {
        do {
            try startDetachedThread(name: "regen-control") { [self] in
                acceptLoop(handle)
                finished.signal()
            }
        } catch {
            stopped.store(true, ordering: .relaxed)
            closeAll()
            finished.signal()
            throw error
        }
    }

    /// Stops accepting, closes the socket and removes its file. Connections already accepted get
    /// their answers.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        finished.wait()
    }

    private func closeAll() {
        close(listener)
        unlink(path)
        close(wakeRead)
        close(wakeWrite)
    }

    private func acceptLoop(_ handle: @escaping @Sendable (Document) -> Document) {
        defer { closeAll() }
        var descriptors = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while !stopped.load(ordering: .relaxed) {
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 { return }
            guard descriptors[0].revents != 0 else { continue }
            let connection = acceptCloseOnExec(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            if connection < 0 {
                if [EINTR, EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO].contains(errno) { continue }
                if errno == EMFILE || errno == ENFILE { usleep(10_000); continue }
                return
            }
            do {
                try startDetachedThread(name: "regen-control-connection") { Self.serve(connection, handle) }
            } catch {
                // The client sees the connection close without an answer.
                close(connection)
            }
        }
    }

    private static func serve(_ connection: Int32, _ handle: @Sendable (Document) -> Document) {
        defer { close(connection) }
        ControlSocket.setReceiveTimeout(connection, seconds: 10)
        let response: Document
        if let line = ControlSocket.readLine(from: connection) {
            do {
                response = handle(try JSONReader.read(line, file: "request"))
            } catch {
                response = ControlProtocol.failure("the request is not JSON: \(error)")
            }
        } else {
            response = ControlProtocol.failure("no request line")
        }
        _ = ControlSocket.send(response.jsonText + "\n", to: connection)
    }
}

/// The asking side (`regen notify`, `regen status`).
enum ControlClient {
    enum Failure: Error, CustomStringConvertible {
        /// No socket, or nobody listening on it (a daemon that died).
        case noDaemon
        case broken(String)

        var description: String {
            switch self {
            case .noDaemon: return "no daemon is running"
            case .broken(let reason): return "the daemon did not answer: \(reason)"
            }
        }
    }

    /// Sends one request and waits for its response (for `timeout` seconds, or without limit).
    static func request(_ request: Document, socket path: String, timeout: Int? = 10) throws(Failure) -> Document {
        let descriptor: Int32
        do {
            descriptor = try ControlSocket.makeSocket()
        } catch {
            throw .broken("\(error)")
        }
        defer { close(descriptor) }
        var connected: Int32 = -1
        repeat {
            connected = ControlSocket.withAddress(path) { connect(descriptor, $0, $1) }
        } while connected != 0 && errno == EINTR
        if connected != 0 {
            let code = errno
            if code == ENOENT || code == ECONNREFUSED || code == ENOTDIR { throw .noDaemon }
            throw .broken("connect \(path): \(String(cString: strerror(code)))")
        }
        if let timeout { ControlSocket.setReceiveTimeout(descriptor, seconds: timeout) }
        guard ControlSocket.send(request.jsonText + "\n", to: descriptor) else {
            throw .broken(String(cString: strerror(errno)))
        }
        guard let line = ControlSocket.readLine(from: descriptor) else {
            throw .broken(errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : "the connection closed")
        }
        do {
            return try JSONReader.read(line, file: "response")
        } catch {
            throw .broken("\(error)")
        }
    }
}

/// The request and response shapes (docs/daemon.md).
enum ControlProtocol {
    static func failure(_ message: String) -> Document {
        .record([("ok", .bool(false, Mark(line: 0, column: 0))), ("error", .text(message))])
    }

    static func notify(paths: [String], wait: Bool) -> Document {
        .record([("command", .text("notify")), ("paths", .list(paths.map { .text($0) })),
                 ("wait", .bool(wait, Mark(line: 0, column: 0)))])
    }

    static let status: Document = .record([("command", .text("status"))])
}

/// The daemon's lock (`.regen/daemon.lock`, holding its pid): one daemon per project, and a way
/// to tell a live daemon's socket from one left by a daemon that died.
final class DaemonLock: Sendable {
    static let fileName = "daemon.lock"
    private let descriptor: Int32
    let path: String

    enum Failure: Error, CustomStringConvertible {
        case held(pid: String)
        case system(String)
        var description: String {
            switch self {
            case .held(let pid): return "a daemon is already running for this project (pid \(pid))"
            case .system(let reason): return reason
            }
        }
    }

    init(stateFolder: String) throws(Failure) {
        do {
            try System.makeFolders(stateFolder)
        } catch {
            throw .system("cannot create the state folder \(stateFolder): \(error)")
        }
        path = stateFolder + "/" + Self.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let pid = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingWhitespace() ?? "?"
            close(descriptor)
            throw .held(pid: pid)
        }
        ftruncate(descriptor, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = descriptor
    }

    /// Releases the lock (the file stays: removing it could race with a daemon starting).
    func release() {
        ftruncate(descriptor, 0)
        close(descriptor)
    }
}

/// `accept4`, which the Glibc module does not export: the accepted descriptor is close-on-exec
/// from the start, so no program the daemon starts meanwhile inherits a client's connection.
@_silgen_name("accept4")
private func acceptCloseOnExec(_ descriptor: Int32, _ address: UnsafeMutablePointer<sockaddr>?,
                               _ length: UnsafeMutablePointer<socklen_t>?, _ flags: Int32) -> Int32
