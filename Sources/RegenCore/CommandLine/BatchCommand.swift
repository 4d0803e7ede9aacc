import Dispatch

/// `regen batch ID… [--output-dir DIR] [--chunk] [--json]` and `regen batch --file F`: an explicit
/// batch, refused above `batch.max_batch_size` unless `--chunk` asks for chunks.
enum BatchCommand {
    static let usage = """
        usage: regen batch ID... [--output-dir DIR] [--chunk] [--json] [--project DIR]
               regen batch --file REQUEST.json [--chunk] [--json] [--project DIR]
          Renders the given configs at once and writes their outputs. DIR (and a request's
          output_dir and output_path) are relative to the project root and inside the output
          folder. A batch larger than batch.max_batch_size is refused unless --chunk splits it.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let start = DispatchTime.now().uptimeNanoseconds
        let scanner = try ArgumentScanner(arguments, flags: ["--chunk", "--json"],
                                          options: ["--output-dir", "--file", ProjectOptions.option])
        let request: BatchRequest
        if let file = scanner.value("--file") {
            guard scanner.positional.isEmpty else { throw UsageError("give config ids or --file, not both") }
            guard scanner.value("--output-dir") == nil else {
                throw UsageError("--output-dir goes with config ids; a request file has its own output_dir")
            }
            let bytes = try InputFile.read(file, name: file)
            request = try BatchRequest(bytes: bytes, file: file)
        } else {
            guard !scanner.positional.isEmpty else { throw UsageError("the batch is empty: name at least one config id, or --file") }
            request = BatchRequest(ids: scanner.positional, outputDir: scanner.value("--output-dir"))
        }
        let project = try ProjectOptions.load(scanner)
        let (items, missing) = try request.items(in: project)
        let limit = project.settings.batch.maxBatchSize
        let size = items.count + missing.count
        if size > limit, !scanner.flag("--chunk") {
            throw Diagnostic("the batch has \(size) items, more than batch.max_batch_size (\(limit)); "
                             + "pass --chunk to run it in chunks of at most \(limit), or raise the limit in watch.yaml")
        }
        return RunPresenter.run(project, items: items, missing: missing, mode: .write, json: scanner.flag("--json"),
                                command: "batch", started: start, output: &output)
    }
}
