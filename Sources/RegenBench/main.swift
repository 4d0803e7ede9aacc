import Documents
import Foundation
import Jinja
import RegenCore

// Times parsing and steady-state rendering of a template corpus, for bench/templates.py, which
// runs Jinja2 on the same corpus in the same run. Prints one JSON object; writes each case's
// output to OUTDIR so that the script can check both engines agree byte for byte.
//
// usage: regen-bench CORPUS CONTEXTS.json OUTDIR PARSE_ROUNDS RENDER_ROUNDS

let arguments = CommandLine.arguments
// usage: regen-bench executor ITEMS SLOTS: the executor's own cost per item (bench/batch.py).
if arguments.count == 4, arguments[1] == "executor", let items = Int(arguments[2]), let slots = Int(arguments[3]) {
    let figures = ExecutorProbe.measure(items: items, slots: slots)
    print("{\"executor_us\": \(figures.executorMicroseconds), \"scheduler_us\": \(figures.schedulerMicroseconds), "
          + "\"loop_us\": \(figures.loopMicroseconds)}")
    exit(0)
}
guard arguments.count == 6, let parseRounds = Int(arguments[4]), let renderRounds = Int(arguments[5]) else {
    FileHandle.standardError.write("usage: regen-bench CORPUS CONTEXTS.json OUTDIR PARSE_ROUNDS RENDER_ROUNDS\n".data(using: .utf8)!)
    exit(2)
}
let corpus = arguments[1]
let outputFolder = arguments[3]

/// CPU time of this thread: on a shared machine it is far steadier than the wall clock, and the
/// benchmark is single-threaded on both sides (Python uses `time.thread_time`).
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

do {
    let document = try JSONReader.read(Data(contentsOf: URL(fileURLWithPath: arguments[2])), file: arguments[2])
    guard case .array(let items, _) = document else { throw UsageError("contexts must be a list") }
    let cases: [(template: String, context: [String: Value])] = try items.map { item in
        guard let template = item["template"]?.stringValue, case .dict(let dict)? = item["context"].map(Value.init) else {
            throw UsageError("each case needs a template and a context")
        }
        var context: [String: Value] = [:]
        for (key, value) in dict.snapshot.pairs { context[key.pythonStr] = value }
        return (template, context)
    }

    // Parsing: every template of the corpus, read once, parsed PARSE_ROUNDS times from source.
    let loader = FileSystemLoader(root: corpus)
    let names = try FileManager.default.subpathsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".jinja") }.sorted()
    let sources = try names.map { try loader.load($0) }
    let parser = Environment()
    var start = now()
    for _ in 0..<parseRounds {
        for source in sources { _ = try parser.template(fromString: source.text, name: source.name) }
    }
    let parseSeconds = (now() - start) / Double(parseRounds * sources.count)

    // Rendering: templates cached (as a long-running process has them), one warm-up pass.
    let environment = Environment(loader: loader)
    for (index, item) in cases.enumerated() {
        let text = try environment.render(item.template, context: item.context)
        try text.write(toFile: "\(outputFolder)/\(index).out", atomically: false, encoding: .utf8)
    }
    var perCase: [Double] = []
    for item in cases {
        start = now()
        for _ in 0..<renderRounds { _ = try environment.render(item.template, context: item.context) }
        perCase.append((now() - start) / Double(renderRounds) * 1e6)
    }
    let renderMicroseconds = perCase.reduce(0, +) / Double(cases.count)
    let list = perCase.map { String($0) }.joined(separator: ", ")
    print("{\"parse_us\": \(parseSeconds * 1e6), \"render_us\": \(renderMicroseconds), \"case_us\": [\(list)], \"templates\": \(sources.count), \"cases\": \(cases.count)}")
} catch {
    FileHandle.standardError.write("regen-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
