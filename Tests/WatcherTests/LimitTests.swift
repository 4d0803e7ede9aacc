import Foundation
import Glibc
import Testing
@testable import Watcher

/// Reads a /proc/sys value.
func readSetting(_ path: String) -> Int? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Writes a /proc/sys value; false when not allowed (not root, read-only /proc/sys).
@discardableResult
func writeSetting(_ path: String, _ value: Int) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    let text = "\(value)\n"
    return text.withCString { Glibc.write(descriptor, $0, strlen($0)) } == text.utf8.count
}

/// What descriptor `fd` of this process refers to now: its /proc link (`anon_inode:inotify`,
/// `pipe:[inode]`) and, for inotify, its watches, each naming the inode of the folder watched;
/// nil once closed.
func openFile(_ fd: Int32) -> String? {
    guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)") else { return nil }
    let info = (try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8)) ?? ""
    return ([link] + info.split(separator: "\n").filter { $0.hasPrefix("inotify wd:") }.map(String.init)).joined(separator: "\n")
}

/// inotify watches held by this user's processes right now, from /proc/*/fdinfo.
func watchesInUse() -> Int {
    var count = 0
    let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for process in processes where process.allSatisfy(\.isNumber) {
        let fdinfo = "/proc/\(process)/fdinfo"
        for descriptor in (try? FileManager.default.contentsOfDirectory(atPath: fdinfo)) ?? [] {
            guard let text = try? String(contentsOfFile: fdinfo + "/" + descriptor, encoding: .utf8),
                  text.contains("inotify wd:") else { continue }
            count += text.components(separatedBy: "inotify wd:").count - 1
        }
    }
    return count
}

extension WatchingTests {
    @Suite struct Limits {
        @Test func aQueueOverflowAsksForARescanAndWatchesFoldersItMissed() async throws {
            let folder = try TemporaryFolder()
            makeFolder(folder.at("templates"))
            let watcher = try DirectoryWatcher(roots: [folder.at("templates")])
            // The reader thread starts with `settledChanges`: until then the kernel queues. More
            // events than fs.inotify.max_queued_events (16384 by default) overflow it. Writes
            // alternate between two files, since the kernel merges identical neighbours.
            let limit = readSetting("/proc/sys/fs/inotify/max_queued_events") ?? 16384
            let a = open(folder.at("templates/a.md"), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            let b = open(folder.at("templates/b.md"), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            for index in 0 ... limit { _ = pwrite(index % 2 == 0 ? a : b, "x", 1, 0) }
            close(a)
            close(b)
            // Lost with the overflow: a new folder's creation. The rescan must find it.
            makeFolder(folder.at("templates/new"))
            let recorder = Recorder(watcher, SettleOptions(settle: .milliseconds(50), maxDelay: .seconds(1)))
            #expect(await recorder.wait { $0.merged[folder.at("templates")] == .rescan })
            #expect(recorder.batches.contains { $0.needsRescan })
            write(folder.at("templates/new/x.md"))
            #expect(await recorder.wait { $0.merged[folder.at("templates/new/x.md")] == .changed })
            #expect(watcher.watchedFolderCount == 2)
        }

        @Test func runningOutOfWatchesNamesTheLimitAndTheFolderAndWatchesTheRest() async throws {
            let path = "/proc/sys/fs/inotify/max_user_watches"
            let original = try #require(readSetting(path))
            let folder = try TemporaryFolder()
            for index in 0 ..< 20 { makeFolder(folder.at("many/f\(index)")) }
            // Daemon tests (EndToEndTests) hold this lock shared while their daemons watch.
            let settingsLock = open(NSTemporaryDirectory() + "regen-inotify-settings.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
            if settingsLock >= 0 { while flock(settingsLock, LOCK_EX) != 0, errno == EINTR {} }
            defer { if settingsLock >= 0 { close(settingsLock) } }
            let limit = watchesInUse() + 3
            guard writeSetting(path, limit) else {
                // Lowering the limit takes root; without it there is nothing to test.
                Issue.record("cannot lower \(path): the test needs root"); return
            }
            // Restored at once (the limit only matters while watches are added), and whatever happens.
            var restored = false
            defer { if !restored { writeSetting(path, original) } }
            let watcher: DirectoryWatcher
            do {
                watcher = try DirectoryWatcher(roots: [folder.path])
            } catch {
                restored = writeSetting(path, original)
                throw error
            }
            restored = writeSetting(path, original)
            #expect(restored)
            #expect(readSetting(path) == original)

            let errors = watcher.errors
            #expect(!errors.isEmpty)
            for error in errors {
                #expect(error.reason == .watchLimitReached(limit: limit))
                #expect(error.description.contains("fs.inotify.max_user_watches (\(limit))"))
                #expect(error.description.contains(error.folder))
                #expect(error.folder.hasPrefix(folder.at("many")))
            }
            #expect(watcher.watchedFolderCount >= 1)
            #expect(watcher.watchedFolderCount + errors.count == 22)
            // The root was watched first: watching goes on for it.
            let recorder = Recorder(watcher, SettleOptions(settle: .milliseconds(20)))
            write(folder.at("top.md"))
            #expect(await recorder.wait { $0.merged[folder.at("top.md")] == .changed })
        }
    }

    @Suite struct Ignoring {
        @Test func ignoredPathsNeverShowUp() async throws {
            let scenario = try Scenario(
                ignore: { root in IgnoreRules(projectRoot: root, excludedFolders: ["output", ".regen"],
                                              patterns: ["*.bak", "drafts/**", "/configs/old/"]) },
                prepare: { root in
                    for folder in ["output/api", ".regen", ".git/objects", "drafts", "configs/old", "templates"] {
                        makeFolder(root + "/" + folder)
                    }
                })
            #expect(scenario.recorder.watcher.watchedFolderCount == 4) // root, drafts, configs, templates
            let root = scenario.root
            for path in ["output/api/a.md", ".regen/state.json", ".git/index", ".git/objects/ab", "drafts/d.md",
                         "configs/old/c.json", "templates/x.bak", "templates/4913", "templates/t.jinja~",
                         "templates/.t.jinja.swp", "templates/.#t.jinja", "templates/#t.jinja#",
                         "templates/t.jinja___jb_tmp___", "templates/t.json.vsctmp", "templates/sedAb12Cd",
                         "templates/x.lock"] {
                write(root + "/" + path)
            }
            makeFolder(root + "/output/new")
            write(root + "/output/new/b.md")
            makeFolder(root + "/drafts/new")
            write(root + "/drafts/new/b.md")
            write(root + "/templates/real.jinja")
            #expect(await scenario.settledChanges() == ["templates/real.jinja": .changed])
        }
    }

    @Suite struct Stopping {
        @Test func stopEndsTheStreamAndClosesTheDescriptor() async throws {
            let folder = try TemporaryFolder()
            let watcher = try DirectoryWatcher(roots: [folder.path])
            // The watcher's own descriptor, followed: other tests run in parallel in this process
            // and open and close descriptors of their own (and the first `Task.sleep` has
            // Dispatch open a timerfd), so a count of /proc/self/fd says nothing.
            let descriptor = watcher.inotify.descriptor
            let watching = try #require(openFile(descriptor))
            #expect(watching.contains("inotify wd:"), "\(watching)")
            let recorder = Recorder(watcher, SettleOptions())
            write(folder.at("a.md"))
            #expect(await recorder.wait { !$0.batches.isEmpty })
            watcher.stop()
            #expect(await recorder.wait { $0.isFinished })
            watcher.stop() // twice is harmless
            // inotify's descriptor is closed by the thread before the stream ends (its number may
            // be another test's file by now); the wake-up pipe's two go with the watcher.
            #expect(openFile(descriptor) != watching)
        }

        @Test func stopBeforeStartingAndASecondStreamAreFinishedStreams() async throws {
            let folder = try TemporaryFolder()
            let watcher = try DirectoryWatcher(roots: [folder.path])
            let first = Recorder(watcher, SettleOptions())
            let second = Recorder(watcher, SettleOptions())
            #expect(await second.wait { $0.isFinished })
            #expect(!first.isFinished)
            let stopped = try DirectoryWatcher(roots: [folder.path])
            stopped.stop()
            #expect(await Recorder(stopped, SettleOptions()).wait { $0.isFinished })
        }
    }
}
