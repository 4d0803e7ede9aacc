import Foundation
import Glibc
import Testing
@testable import Watcher

extension WatchingTests {
    @Suite struct Folders {
        @Test func mkdirDashPAndAnImmediateFileAreSeen() async throws {
            let scenario = try Scenario()
            let status = try await run(["sh", "-c", "mkdir -p a/b/c && touch a/b/c/x.jinja && echo hi > a/b/top.md"],
                                       in: scenario.root)
            try #require(status == 0)
            #expect(await scenario.settledChanges() == ["a/b/c/x.jinja": .changed, "a/b/top.md": .changed])
            // and the new folders are watched from now on
            write(scenario.root + "/a/b/c/y.jinja")
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/a/b/c/y.jinja"] == .changed })
            #expect(scenario.recorder.watcher.watchedFolderCount == 4)
        }

        @Test func aFolderOfFilesMovedInIsReportedAndWatched() async throws {
            let outside = try TemporaryFolder()
            makeFolder(outside.at("pack/sub/deeper"))
            for name in ["one.md", "sub/two.md", "sub/deeper/three.md"] { write(outside.at("pack/" + name)) }
            let scenario = try Scenario()
            move(outside.at("pack"), scenario.root + "/pack")
            #expect(await scenario.settledChanges() == ["pack/one.md": .changed, "pack/sub/two.md": .changed,
                                                        "pack/sub/deeper/three.md": .changed])
            write(scenario.root + "/pack/sub/deeper/four.md")
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/pack/sub/deeper/four.md"] == .changed })
        }

        @Test func aFolderMovedOutIsReportedDeletedAndNoLongerWatched() async throws {
            let outside = try TemporaryFolder()
            let scenario = try Scenario(prepare: { root in
                makeFolder(root + "/pack/sub")
                write(root + "/pack/one.md")
                write(root + "/pack/sub/two.md")
            })
            let before = scenario.recorder.watcher.watchedFolderCount
            move(scenario.root + "/pack", outside.at("gone"))
            #expect(await scenario.settledChanges() == ["pack/one.md": .deleted, "pack/sub/two.md": .deleted])
            #expect(scenario.recorder.watcher.watchedFolderCount == before - 2)
            // Writing there now is outside the tree: never reported, under either name.
            write(outside.at("gone/sub/three.md"))
            await scenario.recorder.settle(through: scenario.root + "/second-sentinel")
            #expect(!scenario.recorder.merged.keys.contains { $0.hasPrefix(outside.path) || $0.contains("three.md") })
        }

        @Test func aFolderRenamedInsideTheTreeIsDeletedThereAndChangedHere() async throws {
            let scenario = try Scenario(prepare: { root in
                makeFolder(root + "/a/s")
                write(root + "/a/f.md")
                write(root + "/a/s/g.md")
            })
            move(scenario.root + "/a", scenario.root + "/b")
            #expect(await scenario.settledChanges() == ["a/f.md": .deleted, "a/s/g.md": .deleted,
                                                        "b/f.md": .changed, "b/s/g.md": .changed])
            // the watches moved with the folder: new files are reported under the new name
            write(scenario.root + "/b/s/h.md")
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/b/s/h.md"] == .changed })
            #expect(scenario.recorder.merged[scenario.root + "/a/s/h.md"] == nil)
            #expect(scenario.recorder.watcher.watchedFolderCount == 3)
        }

        @Test func aFolderDeletedWithItsFilesDropsItsWatches() async throws {
            let scenario = try Scenario(prepare: { root in
                makeFolder(root + "/a/s")
                write(root + "/a/f.md")
                write(root + "/a/s/g.md")
            })
            #expect(scenario.recorder.watcher.watchedFolderCount == 3)
            let status = try await run(["rm", "-rf", "a"], in: scenario.root)
            try #require(status == 0)
            #expect(await scenario.settledChanges() == ["a/f.md": .deleted, "a/s/g.md": .deleted])
            #expect(scenario.recorder.watcher.watchedFolderCount == 1)
            // a folder of that name made again is watched again
            makeFolder(scenario.root + "/a/s")
            write(scenario.root + "/a/s/new.md")
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/a/s/new.md"] == .changed })
        }

        @Test func extraFoldersAreWatchedAloneAndARecreatedRootIsWatchedAgain() async throws {
            let scenario = try Scenario(roots: ["templates"], extraFolders: [""], prepare: { root in
                makeFolder(root + "/templates/sub")
                makeFolder(root + "/elsewhere")
            })
            write(scenario.root + "/watch.yaml")
            write(scenario.root + "/elsewhere/not-watched.md")
            write(scenario.root + "/templates/sub/t.jinja")
            #expect(await scenario.settledChanges() == ["watch.yaml": .changed, "templates/sub/t.jinja": .changed])
            // `rm -rf templates && git checkout templates`: the root comes back and is watched.
            let status = try await run(["sh", "-c", "rm -rf templates && mkdir -p templates/sub && echo x > templates/sub/u.jinja"],
                                       in: scenario.root)
            try #require(status == 0)
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/templates/sub/u.jinja"] == .changed })
            write(scenario.root + "/templates/sub/v.jinja")
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/templates/sub/v.jinja"] == .changed })
        }

        @Test func aMissingRootIsAnErrorAndTheRestIsWatched() async throws {
            let scenario = try Scenario(roots: ["missing", "present"], prepare: { root in makeFolder(root + "/present") })
            #expect(scenario.recorder.watcher.errors == [WatchError(folder: scenario.root + "/missing", reason: .notAFolder)])
            write(scenario.root + "/present/a.md")
            #expect(await scenario.recorder.wait { $0.merged[scenario.root + "/present/a.md"] == .changed })
        }
    }
}
