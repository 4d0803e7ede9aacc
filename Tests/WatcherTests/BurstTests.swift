import Foundation
import Glibc
import Testing
@testable import Watcher

extension WatchingTests {
    @Suite struct Bursts {
        @Test func fiveHundredFilesWrittenInOneBurstEndInOneOrAFewBatches() async throws {
            let scenario = try Scenario(roots: ["templates"], options: SettleOptions(settle: .milliseconds(100), maxDelay: .seconds(3)),
                                        prepare: { root in makeFolder(root + "/templates") })
            let paths = (0 ..< 500).map { scenario.root + "/templates/t\($0).jinja" }
            for path in paths { write(path) }
            let all = await scenario.recorder.wait { recorder in
                let merged = recorder.merged
                return paths.allSatisfy { merged[$0] == .changed }
            }
            #expect(all)
            #expect(scenario.recorder.merged.count == 500)
            #expect(scenario.recorder.batches.count <= 3, "500 quick writes split into \(scenario.recorder.batches.count) batches")
        }

        @Test func aGitCheckoutOfFiveHundredFilesIsOneBatch() async throws {
            let folder = try TemporaryFolder()
            let git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
            makeFolder(folder.at("templates"))
            for index in 0 ..< 500 { write(folder.at("templates/t\(index).jinja"), "main \(index)\n") }
            try #require(try await run(git + ["init", "-q"], in: folder.path) == 0)
            try #require(try await run(git + ["add", "."], in: folder.path) == 0)
            try #require(try await run(git + ["commit", "-qm", "main"], in: folder.path) == 0)
            try #require(try await run(git + ["checkout", "-qb", "other"], in: folder.path) == 0)
            for index in 0 ..< 500 { write(folder.at("templates/t\(index).jinja"), "other \(index)\n") }
            try #require(try await run(git + ["commit", "-qam", "other"], in: folder.path) == 0)
            try #require(try await run(git + ["checkout", "-q", "main"], in: folder.path) == 0)

            let watcher = try DirectoryWatcher(roots: [folder.path], ignore: IgnoreRules(projectRoot: folder.path))
            // settle_ms 20 as by default: the index lock, not the quiet period, keeps the batch whole
            let recorder = Recorder(watcher, SettleOptions(settle: .milliseconds(20), maxDelay: .milliseconds(250),
                                                           gitDirectory: folder.at(".git")))
            try #require(try await run(git + ["checkout", "-q", "other"], in: folder.path) == 0)
            let paths = (0 ..< 500).map { folder.at("templates/t\($0).jinja") }
            let all = await recorder.wait { recorder in
                let merged = recorder.merged
                return paths.allSatisfy { merged[$0] == .changed }
            }
            #expect(all)
            #expect(recorder.batches.count == 1)
            #expect(recorder.merged.count == 500, "nothing from .git: \(recorder.merged.keys.filter { $0.contains(".git") }.prefix(3))")
        }

        @Test func aSlowEndlessStreamStillGivesBatchesByTheMaximumDelay() async throws {
            let scenario = try Scenario(options: SettleOptions(settle: .milliseconds(100), maxDelay: .milliseconds(300)))
            let file = scenario.root + "/busy.log.md"
            let end = ContinuousClock.now + .seconds(2)
            var writes = 0
            while ContinuousClock.now < end {
                write(file, "line \(writes)\n")
                writes += 1
                try await Task.sleep(for: .milliseconds(20))
            }
            // Writes every 20 ms never leave 100 ms of quiet (unless the machine stalls, which
            // only makes batches come sooner): batches came while the stream went on.
            let duringTheStream = scenario.recorder.batches.count
            #expect(duringTheStream >= 2, "only \(duringTheStream) batches in 2 s of writes every 20 ms")
            #expect(await scenario.recorder.wait { $0.merged[file] == .changed })
        }

        @Test func aBatchWaitsForTheQuietPeriod() async throws {
            let scenario = try Scenario(options: SettleOptions(settle: .milliseconds(200), maxDelay: .seconds(2)))
            let written = ContinuousClock.now
            write(scenario.root + "/one.md")
            #expect(await scenario.recorder.wait { !$0.batches.isEmpty })
            let arrival = try #require(scenario.recorder.timedBatches.first).at
            #expect(written.duration(to: arrival) >= .milliseconds(200))
        }

        @Test func whileGitHoldsItsIndexLockTheBatchWaits() async throws {
            let folder = try TemporaryFolder()
            makeFolder(folder.at(".git"))
            write(folder.at(".git/index.lock"), "")
            let watcher = try DirectoryWatcher(roots: [folder.path])
            let recorder = Recorder(watcher, SettleOptions(settle: .milliseconds(20), maxDelay: .milliseconds(50),
                                                           gitDirectory: folder.at(".git")))
            write(folder.at("a.md"))
            try await Task.sleep(for: .milliseconds(400))
            write(folder.at("b.md"))
            let released = ContinuousClock.now
            remove(folder.at(".git/index.lock"))
            #expect(await recorder.wait { $0.batches.count >= 1 })
            let first = try #require(recorder.timedBatches.first)
            #expect(first.at >= released, "a batch came while the lock was held")
            #expect(first.batch.changes == [folder.at("a.md"): .changed, folder.at("b.md"): .changed])
        }

        @Test func aStaleIndexLockDelaysNoLongerThanTheLimit() async throws {
            let folder = try TemporaryFolder()
            makeFolder(folder.at(".git"))
            write(folder.at(".git/index.lock"), "")
            let watcher = try DirectoryWatcher(roots: [folder.path])
            let recorder = Recorder(watcher, SettleOptions(settle: .milliseconds(20), maxDelay: .milliseconds(50),
                                                           gitDirectory: folder.at(".git"), lockWaitLimit: .milliseconds(300)))
            let written = ContinuousClock.now
            write(folder.at("a.md"))
            #expect(await recorder.wait { $0.merged[folder.at("a.md")] == .changed })
            let first = try #require(recorder.timedBatches.first)
            #expect(written.duration(to: first.at) >= .milliseconds(300))
        }
    }
}
