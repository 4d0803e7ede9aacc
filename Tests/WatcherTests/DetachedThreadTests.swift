import Foundation
import Glibc
import Synchronization
import Testing
import Watcher

@Suite struct DetachedThreadTests {
    /// What the thread saw: its name (as `top -H` shows it) and the size of its stack.
    struct Seen: Sendable {
        var name: String
        var stackSize: Int
    }

    func run(name: String, stackSize: Int?) throws -> Seen {
        let seen = Mutex<Seen?>(nil)
        let done = DispatchSemaphore(value: 0)
        try startDetachedThread(name: name, stackSize: stackSize) {
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            seen.withLock { $0 = Seen(name: name.trimmingCharacters(in: .newlines), stackSize: Self.currentStackSize()) }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        return try #require(seen.withLock { $0 })
    }

    @Test func theThreadRunsWithItsNameAndStack() throws {
        let seen = try run(name: "regen-test", stackSize: 16 << 20)
        #expect(seen.name == "regen-test")
        #expect(seen.stackSize >= 16 << 20)
    }

    @Test func aLongNameIsCutToWhatLinuxKeeps() throws {
        #expect(try run(name: "regen-control-connection", stackSize: nil).name == "regen-control-c")
    }

    /// `pthread_getattr_np`, a GNU extension the Glibc module does not export.
    static func currentStackSize() -> Int {
        typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return 0 }
        var attributes = pthread_attr_t()
        guard unsafeBitCast(symbol, to: GetAttributes.self)(pthread_self(), &attributes) == 0 else { return 0 }
        defer { pthread_attr_destroy(&attributes) }
        var size = 0
        pthread_attr_getstacksize(&attributes, &size)
        return size
    }
}
