import Dispatch
import Glibc
import Synchronization

/// `regen watch [--once] [--json]`: the daemon (docs/daemon.md).
enum WatchCommand {
    static let usage = """
        usage: regen watch [--once] [--json] [--project DIR]
          Catches up on what changed while no daemon ran (what 'regen build' would rebuild), then
          watches templates, configs, data files and watch.yaml and regenerates what each change
          affects. --once catches up and exits. --json logs JSON Lines events. SIGINT or SIGTERM
          stop it (exit 0); SIGHUP reloads watch.yaml and the project.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--once", "--json"], options: [ProjectOptions.option])
        guard scanner.positional.isEmpty else { throw UsageError("watch takes no arguments") }
        let options = Daemon.Options(root: scanner.value(ProjectOptions.option) ?? ".", json: scanner.flag("--json"),
                                     once: scanner.flag("--once"))
        let (stream, events) = AsyncStream<DaemonEvent>.makeStream()
        let signals = options.once ? [] : SignalEvents.install([SIGINT, SIGTERM, SIGHUP]) { signal in
            events.yield(.signal(signal))
        }
        let status = Mutex<Int32>(2)
        let done = DispatchSemaphore(value: 0)
        Task {
            let code = await Daemon.main(options, events: events, stream: stream)
            status.withLock { $0 = code }
            done.signal()
        }
        // The calling thread is the process's main thread, not one of the tasks' threads: it may
        // wait.
        done.wait()
        withExtendedLifetime(signals) {}
        return status.withLock { $0 }
    }
}

/// Signals as events: each handled signal's default action is turned off (`SIG_IGN`, only for
/// these: children inherit ignored signals) and a Dispatch source reports it.
enum SignalEvents {
    static func install(_ signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in handler(number) }
            source.resume()
            return source
        }
    }
}
