import Foundation
import Glibc
import Synchronization
import Testing
@testable import Watcher

/// A temporary folder, removed when the test ends. Its path is absolute and normalized.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/regen-watcher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = Path.normalize(base)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func at(_ relative: String) -> String { path + "/" + relative }
}

/// Writes `text` as most programs do: open with `O_TRUNC`, write, close.
func write(_ path: String, _ text: String = "content \(UUID().uuidString)\n",
           sourceLocation: SourceLocation = #_sourceLocation) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    #expect(descriptor >= 0, "open \(path): \(String(cString: strerror(errno)))", sourceLocation: sourceLocation)
    guard descriptor >= 0 else { return }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

func makeFolder(_ path: String) {
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

func move(_ from: String, _ to: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(rename(from, to) == 0, "rename \(from) \(to): \(String(cString: strerror(errno)))",
            sourceLocation: sourceLocation)
}

func remove(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(unlink(path) == 0, "unlink \(path): \(String(cString: strerror(errno)))", sourceLocation: sourceLocation)
}

/// Runs a program to its end without blocking the calling task.
@discardableResult
func run(_ arguments: [String], in folder: String) async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    return try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { @Sendable process in continuation.resume(returning: process.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
}

/// Collects the batches of a watcher as they come, with their arrival instants. Dropping the
/// recorder drops the watcher, which stops it.
final class Recorder: Sendable {
    struct Arrival: Sendable {
        var batch: ChangeBatch
        var at: ContinuousClock.Instant
    }

    /// What the collecting task holds: not the recorder, so that the watcher can go.
    final class Log: Sendable {
        let arrivals = Mutex<[Arrival]>([])
        let finished = Atomic<Bool>(false)
    }

    let watcher: DirectoryWatcher
    private let log = Log()

    init(_ watcher: DirectoryWatcher, _ options: SettleOptions) {
        self.watcher = watcher
        let stream = watcher.settledChanges(options)
        Task { [log] in
            for await batch in stream {
                let arrival = Arrival(batch: batch, at: .now)
                log.arrivals.withLock { $0.append(arrival) }
            }
            log.finished.store(true, ordering: .releasing)
        }
    }

    var batches: [ChangeBatch] { log.arrivals.withLock { $0.map(\.batch) } }
    var timedBatches: [Arrival] { log.arrivals.withLock { $0 } }
    var isFinished: Bool { log.finished.load(ordering: .acquiring) }

    /// Every path's latest kind over all batches so far.
    var merged: [String: ChangeBatch.Kind] {
        var result: [String: ChangeBatch.Kind] = [:]
        for batch in batches { result.merge(batch.changes) { $1 } }
        return result
    }

    /// Waits (generously: the machine may be loaded) until `condition` holds; false on timeout.
    @discardableResult
    func wait(timeout: Duration = .seconds(20), until condition: (Recorder) -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(self)
    }

    /// Writes `sentinel` and waits for its batch: every event queued before it has then been
    /// read and settled, so `merged` is final for what came earlier.
    func settle(through sentinel: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        write(sentinel)
        let seen = await wait { $0.merged[sentinel] == .changed }
        #expect(seen, "the sentinel \(sentinel) was never reported", sourceLocation: sourceLocation)
    }

    /// `merged` relative to `root`, without the sentinel.
    func changes(under root: String, except sentinel: String? = nil) -> [String: ChangeBatch.Kind] {
        var result: [String: ChangeBatch.Kind] = [:]
        for (path, kind) in merged where path != sentinel {
            result[path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path] = kind
        }
        return result
    }
}

/// A watched temporary project: roots and options as given.
struct Scenario {
    let folder: TemporaryFolder
    let recorder: Recorder
    var root: String { folder.path }
    var sentinel: String { folder.path + "/zz-sentinel" }

    init(roots: [String] = [""], extraFolders: [String] = [], ignore: (String) -> IgnoreRules = { _ in IgnoreRules() },
         options: SettleOptions = SettleOptions(settle: .milliseconds(150), maxDelay: .seconds(2)),
         prepare: (String) throws -> Void = { _ in }) throws {
        let folder = try TemporaryFolder()
        try prepare(folder.path)
        let watcher = try DirectoryWatcher(roots: roots.map { folder.path + "/" + $0 },
                                           extraFolders: extraFolders.map { folder.path + "/" + $0 },
                                           ignore: ignore(folder.path))
        self.folder = folder
        recorder = Recorder(watcher, options)
    }

    /// After `settle(through:)`: what changed, relative to the root, sentinel left out.
    func settledChanges() async -> [String: ChangeBatch.Kind] {
        await recorder.settle(through: sentinel)
        return recorder.changes(under: root, except: sentinel)
    }

    /// How many batches mentioned `relative`.
    func batchCount(mentioning relative: String) -> Int {
        recorder.batches.filter { $0.changes[root + "/" + relative] != nil }.count
    }
}
