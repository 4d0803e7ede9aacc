import Foundation
import Glibc
import Synchronization
import Testing

/// A `regen watch --json` running as a real process on a sandbox, its JSON Lines events read as
/// they come (on a thread of their own: reading the pipe blocks).
final class WatchDaemon: Sendable {
    let process: Process
    let sandbox: Sandbox
    private final class Collected: Sendable {
        let lines = Mutex<[String]>([])
        let errors = Mutex<String>("")
    }
    private let collected = Collected()
    private let readersDone = DispatchGroup()
    private let inotifyLock: InotifySettingsLock

    /// Starts the daemon and waits for its `started` event (and, by default, the end of its
    /// catch-up run).
    init(_ sandbox: Sandbox, arguments: [String] = [], waitForCatchUp: Bool = true,
         sourceLocation: SourceLocation = #_sourceLocation) throws {
        self.sandbox = sandbox
        // Shared with other daemon tests; WatcherTests take it exclusively while they lower
        // fs.inotify limits, which would make this daemon's watches fail.
        inotifyLock = InotifySettingsLock(exclusive: false)
        let executable = try #require(RegenProcess.executable, "build regen first (swift build)", sourceLocation: sourceLocation)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["watch", "--json"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.path)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe(), errorPipe = Pipe()
        process.standardOutput = output
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = self.collected
        read(output.fileHandleForReading) { text in
            collected.lines.withLock { $0 += text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        }
        read(errorPipe.fileHandleForReading) { text in collected.errors.withLock { $0 += text } }
        try #require(wait(for: "started", timeout: 60), "the daemon did not start: \(stderr)", sourceLocation: sourceLocation)
        if waitForCatchUp {
            try #require(wait(timeout: 120) { $0.contains { $0["event"] as? String == "run" && $0["reason"] as? String == "catch-up" } },
                         "no catch-up run: \(log)", sourceLocation: sourceLocation)
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Lines are split as they arrive; a line cut between two reads is joined first.
    private func read(_ handle: FileHandle, _ deliver: @escaping @Sendable (String) -> Void) {
        readersDone.enter()
        let done = readersDone
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                if let newline = pending.lastIndex(of: UInt8(ascii: "\n")) {
                    deliver(String(decoding: pending[...newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { deliver(String(decoding: pending, as: UTF8.self)) }
            done.leave()
        }
        thread.start()
    }

    var log: String { collected.lines.withLock { $0.joined(separator: "\n") } }
    var stderr: String { collected.errors.withLock { $0 } }

    var events: [[String: Any]] {
        collected.lines.withLock { $0 }.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    func events(_ name: String) -> [[String: Any]] { events.filter { $0["event"] as? String == name } }

    /// Polls (every 10 ms) until `condition` holds for the events so far; false after `timeout`.
    func wait(timeout: Double = 30, _ condition: ([[String: Any]]) -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition(events) { return true }
            usleep(10_000)
        }
        return condition(events)
    }

    func wait(for event: String, timeout: Double = 30) -> Bool {
        wait(timeout: timeout) { $0.contains { $0["event"] as? String == event } }
    }

    /// The run events after the first `skip` of them.
    func runs(after skip: Int = 0) -> [[String: Any]] { Array(events("run").dropFirst(skip)) }

    /// Waits for a run, after the first `skip` runs, that wrote `output`.
    @discardableResult
    func waitForWrite(_ output: String, after skip: Int, timeout: Double = 30) -> [String: Any]? {
        var found: [String: Any]?
        _ = wait(timeout: timeout) { _ in
            found = runs(after: skip).first { ($0["written"] as? [String])?.contains(output) == true }
            return found != nil
        }
        return found
    }

    /// Waits until `file` (relative to the sandbox) holds `text`.
    func waitForContent(_ file: String, _ text: String, timeout: Double = 30) -> Bool {
        wait(timeout: timeout) { _ in sandbox.read(file) == text }
    }

    /// Sends a signal and waits for the process to end; its exit status, nil when it did not end
    /// within `timeout`.
    func stop(_ signal: Int32 = SIGTERM, timeout: Double = 20) -> Int32? {
        kill(process.processIdentifier, signal)
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < end { usleep(10_000) }
        guard !process.isRunning else { return nil }
        readersDone.wait()
        return process.terminationStatus
    }

    var pid: Int32 { process.processIdentifier }
}

/// A lock shared by the tests that start inotify watchers in bulk (shared) and those that lower
/// `fs.inotify` limits for a moment (exclusive): `flock` on one file, which conflicts within a
/// process as well as across processes (each holder opens the file on its own).
final class InotifySettingsLock: Sendable {
    static let path = NSTemporaryDirectory() + "regen-inotify-settings.lock"
    private let descriptor: Int32

    init(exclusive: Bool) {
        descriptor = open(Self.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if descriptor >= 0 {
            while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0, errno == EINTR {}
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }
}

extension Sandbox {
    func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path + "/" + relative) }

    func move(_ relative: String, to destination: String) throws {
        let target = destination.hasPrefix("/") ? destination : path + "/" + destination
        try FileManager.default.moveItem(atPath: path + "/" + relative, toPath: target)
    }

    func modificationTime(_ relative: String) -> timespec? {
        var status = stat()
        guard stat(path + "/" + relative, &status) == 0 else { return nil }
        return status.st_mtim
    }

    /// Runs a program in the sandbox to its end.
    @discardableResult
    func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Every file below `folder`, relative to it, with its text.
    func tree(_ folder: String) -> [String: String] {
        var files: [String: String] = [:]
        let base = path + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [:] }
        while let name = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular { files[name] = read(folder + "/" + name) }
        }
        return files
    }
}
