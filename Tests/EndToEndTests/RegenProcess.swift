import Foundation
import Testing

/// The built `regen` executable, run in a folder the way a user runs it.
enum RegenProcess {
    struct Result {
        var status: Int32
        /// True when regen died of a signal (a crash, a trap).
        var crashed: Bool
        var output: String
        var errors: String
        var all: String { output + errors }
    }

    /// The repository's root, from this file's place in it.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `regen` next to the test bundle (the products folder), else in `.build/debug`.
    static let executable: String? = {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["REGEN_BINARY"] { candidates.append(explicit) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(runner.appendingPathComponent("regen").path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("regen").path)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("regen").path)
        candidates.append(repositoryRoot + "/.build/debug/regen")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func run(_ arguments: [String], in folder: String, timeout: TimeInterval = 120,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let executable = try #require(executable, "build regen first (swift build)", sourceLocation: sourceLocation)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        // Files rather than pipes: nothing to drain while waiting, however much regen prints.
        let outputPath = NSTemporaryDirectory() + "regen-out-\(UUID().uuidString)"
        let errorPath = NSTemporaryDirectory() + "regen-err-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { @Sendable _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            done.wait()
            Issue.record("regen \(arguments) did not finish in \(timeout) s", sourceLocation: sourceLocation)
        }
        try output.close()
        try errors.close()
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return Result(status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
                      output: read(outputPath), errors: read(errorPath))
    }
}

/// A temporary folder for one test, removed afterwards.
final class Sandbox: @unchecked Sendable {
    // @unchecked: `path` is immutable; the class exists only so that deinit removes the folder.
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "regen-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String) throws { try write(relative, Data(text.utf8)) }

    func write(_ relative: String, _ data: Data) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }

    func link(_ relative: String, to destination: String) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: destination)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + relative) }

    /// Copies folders or files of the repository into the sandbox.
    func copyFromRepository(_ names: [String]) throws {
        for name in names {
            try FileManager.default.copyItem(atPath: RegenProcess.repositoryRoot + "/" + name, toPath: path + "/" + name)
        }
    }
}
