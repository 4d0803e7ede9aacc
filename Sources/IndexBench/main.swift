import Foundation
import RegenCore

// Times the dependency index in process, for bench/index.py: loading a project, building its
// index, and finding the dependents of one file. Prints one JSON object, with the peak resident
// memory of the process (VmHWM).
//
// usage: index-bench PROJECT LEAF ROUNDS

let arguments = CommandLine.arguments
guard arguments.count == 4, let rounds = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: index-bench PROJECT LEAF ROUNDS\n".utf8))
    exit(2)
}

/// Peak resident set size in MB, from /proc/self/status.
func peakMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
    return kilobytes / 1024
}

do {
    let figures = try IndexBenchmark.run(root: arguments[1], leaf: arguments[2], rounds: rounds)
    print("""
        {"configs": \(figures.configs), "templates": \(figures.templates), "load_s": \(figures.loadSeconds), \
        "index_s": \(figures.indexSeconds), "dependents": \(figures.dependents), \
        "dependents_us": \(figures.dependentsMicroseconds), "peak_mb": \(peakMegabytes())}
        """)
} catch {
    FileHandle.standardError.write(Data("index-bench: \(error)\n".utf8))
    exit(1)
}
