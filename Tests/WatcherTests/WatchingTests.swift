import Foundation
import Glibc
import Testing
@testable import Watcher

/// Everything that runs the real kernel's inotify, one test at a time: two tests change
/// system-wide inotify limits for a moment, and the machine is small.
@Suite(.serialized) struct WatchingTests {}

extension WatchingTests {
    @Suite struct EditorSaves {
        /// Every save pattern ends as one change of the real file, and nothing else is reported.
        func expectOneChange(of file: String, in scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) async {
            let changes = await scenario.settledChanges()
            #expect(changes == [file: .changed], sourceLocation: sourceLocation)
            // A save done in one burst of system calls is one batch (300 ms of quiet leaves room
            // for a loaded machine).
            #expect(scenario.batchCount(mentioning: file) == 1, sourceLocation: sourceLocation)
        }

        func scenario() throws -> Scenario {
            try Scenario(options: SettleOptions(settle: .milliseconds(300), maxDelay: .seconds(3)),
                         prepare: { root in write(root + "/page.md.jinja", "old\n") })
        }

        @Test func writingInPlace() async throws {
            let scenario = try scenario()
            write(scenario.root + "/page.md.jinja", "new\n")
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test(arguments: ["vim", "neovim"])
        func vimAndNeovimWriteAProbeRenameToABackupAndWriteANewFile(_ editor: String) async throws {
            let scenario = try scenario()
            let file = scenario.root + "/page.md.jinja"
            let swap = scenario.root + "/.page.md.jinja.swp"
            if editor == "vim" { write(swap, "swap 1") } // neovim keeps its swap files elsewhere
            // The probe that tells whether the folder is writable: 4913, created and removed.
            write(scenario.root + "/4913", "")
            remove(scenario.root + "/4913")
            // backupcopy=auto: the original becomes the backup, the new text a new file.
            move(file, file + "~")
            write(file, "new\n")
            remove(file + "~")
            if editor == "vim" { write(swap, "swap 2"); remove(swap) }
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func emacsLocksAutosavesAndRenamesToABackup() async throws {
            let scenario = try scenario()
            let file = scenario.root + "/page.md.jinja"
            symlink("user@host.4242:1700000000", scenario.root + "/.#page.md.jinja")
            write(scenario.root + "/#page.md.jinja#", "autosave")
            move(file, file + "~") // the first save makes the backup by renaming
            write(file, "new\n")
            remove(scenario.root + "/#page.md.jinja#")
            remove(scenario.root + "/.#page.md.jinja")
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func jetBrainsSafeWrite() async throws {
            let scenario = try scenario()
            let file = scenario.root + "/page.md.jinja"
            write(file + "___jb_tmp___", "new\n")
            move(file, file + "___jb_old___")
            move(file + "___jb_tmp___", file)
            remove(file + "___jb_old___")
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func vsCodeTruncatesAndWritesInPlace() async throws {
            // VS Code writes user files in place (open, truncate, write); it does not save
            // them atomically (microsoft/vscode#98063).
            let scenario = try scenario()
            let descriptor = open(scenario.root + "/page.md.jinja", O_RDWR | O_CLOEXEC)
            try #require(descriptor >= 0)
            ftruncate(descriptor, 0)
            _ = "first half ".withCString { Glibc.write(descriptor, $0, strlen($0)) }
            _ = "second half\n".withCString { Glibc.write(descriptor, $0, strlen($0)) }
            close(descriptor)
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func vsCodeAtomicWriteThroughAVsctmpFile() async throws {
            // Its own settings and state files go through `name.vsctmp` and a rename.
            let scenario = try scenario()
            let file = scenario.root + "/page.md.jinja"
            write(file + ".vsctmp", "new\n")
            move(file + ".vsctmp", file)
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func sedInPlaceWithTheRealSed() async throws {
            let scenario = try scenario()
            let status = try await run(["sed", "-i", "s/old/new/", "page.md.jinja"], in: scenario.root)
            try #require(status == 0)
            #expect(FileManager.default.contents(atPath: scenario.root + "/page.md.jinja") == Data("new\n".utf8))
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func deletedAndCreatedAgainIsOneChange() async throws {
            let scenario = try scenario()
            remove(scenario.root + "/page.md.jinja")
            write(scenario.root + "/page.md.jinja", "new\n")
            await expectOneChange(of: "page.md.jinja", in: scenario)
        }

        @Test func createdAndDeletedAgainIsADeletion() async throws {
            let scenario = try scenario()
            write(scenario.root + "/scratch.md", "x")
            remove(scenario.root + "/scratch.md")
            #expect(await scenario.settledChanges() == ["scratch.md": .deleted])
        }
    }
}
