import Documents
import Foundation
import Testing
@testable import RegenCore

@Suite struct CommandGeneratorTests {
    func project(_ command: String, enabled: Bool = true, timeout: Double = 30,
                 context: String = "{\"title\": \"Hi\", \"n\": [1, 2.5, null, true]}") throws -> (Project, TemporaryFolder) {
        let folder = try TemporaryFolder()
        try folder.write("configs/cmd.json", "{\"generator\": \"command\", \"command\": \(command), \"context\": \(context)}")
        var settings = ProjectSettings()
        settings.commandGenerator.enabled = enabled
        settings.batch.itemTimeoutSeconds = timeout
        return (try loadProject(folder, settings: settings), folder)
    }

    @Test func theContextGoesInAsJSONInFileOrderAndTheOutputIsTheContent() throws {
        let (project, kept) = try project("[\"cat\"]", context: "{\"z\": 1, \"a\": {\"y\": \"é\\n\", \"b\": 2.0}}")
        defer { withExtendedLifetime(kept) {} }
        #expect(try render(project, "cmd").get() == "{\"z\": 1, \"a\": {\"y\": \"é\\n\", \"b\": 2.0}}\n")
    }

    @Test func programsWithASlashAreRelativeToTheProject() throws {
        let (project, folder) = try project("[\"scripts/gen.sh\", \"world\"]")
        try folder.write("scripts/gen.sh", "#!/bin/sh\necho \"hello $1 from $REGEN_CONFIG_ID\"\n")
        chmod(folder.path + "/scripts/gen.sh", 0o755)
        #expect(try render(project, "cmd").get() == "hello world from cmd\n")
    }

    @Test func aFailingProgramFailsTheItemWithTheEndOfItsStandardError() throws {
        let script = "[\"sh\", \"-c\", \"cat >/dev/null; i=0; while [ $i -lt 500 ]; do echo noise $i >&2; i=$((i+1)); done; echo 'boom: bad input' >&2; exit 3\"]"
        let (project, kept) = try project(script)
        defer { withExtendedLifetime(kept) {} }
        let error = try #require(render(project, "cmd").failure)
        #expect(error.message.hasPrefix("Command 'sh' failed with exit status 3: "))
        #expect(error.message.hasSuffix("boom: bad input"))
        #expect(error.message.count < 2_200, "only the end of standard error is kept")
    }

    @Test func aProgramThatIgnoresItsInputDoesNotHurtRegen() throws {
        let big = String(repeating: "x", count: 1 << 20)
        let (project, kept) = try project("[\"true\"]", context: "{\"big\": \"\(big)\"}")
        defer { withExtendedLifetime(kept) {} }
        #expect(try render(project, "cmd").get() == "")
    }

    @Test func aTimeoutKillsTheWholeProcessGroup() throws {
        let folder = try TemporaryFolder()
        defer { withExtendedLifetime(folder) {} }
        let marker = folder.path + "/grandchild-survived"
        // The grandchild would write the marker after 6 s unless its group is killed (6 s leaves
        // room for a loaded machine; the kill is due after 0.5 s).
        let script = "[\"sh\", \"-c\", \"(sleep 6; touch \(marker)) & sleep 30\"]"
        let (project, kept) = try project(script, timeout: 0.5)
        defer { withExtendedLifetime(kept) {} }
        let start = Date()
        let error = try #require(render(project, "cmd").failure)
        #expect(error.message == "Command 'sh' timed out after 0.5 s and was killed")
        #expect(Date().timeIntervalSince(start) < 6)
        Thread.sleep(forTimeInterval: max(0, 6.5 - Date().timeIntervalSince(start)))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func commandsRunOnlyWhenTheProjectOptsIn() throws {
        let (project, kept) = try project("[\"cat\"]", enabled: false)
        defer { withExtendedLifetime(kept) {} }
        #expect(render(project, "cmd").failure?.message
                == "Command generator is disabled: set generators.command.enabled: true in watch.yaml to run 'cat'")
    }

    @Test func theProgramStartsWithDefaultSignalsInAProcessGroupOfItsOwn() throws {
        // Whatever regen ignores (`nohup` makes it ignore SIGHUP), a program it runs must not.
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        let (project, kept) = try project("[\"cat\", \"/proc/self/status\", \"/proc/self/stat\"]")
        defer { withExtendedLifetime(kept) {} }
        let output = try render(project, "cmd").get()
        func mask(_ field: String) -> UInt64? {
            output.split(separator: "\n").first { $0.hasPrefix(field + ":") }.flatMap { UInt64($0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) }
        }
        // Signals 1 to 31; 32 and 33 are glibc's own, which posix_spawn cannot reset.
        #expect(try #require(mask("SigIgn")) & 0x7fff_ffff == 0, "no signal ignored")
        #expect(try #require(mask("SigBlk")) == 0, "no signal blocked")
        // /proc/self/stat: pid (comm) state ppid pgrp …
        let stat = try #require(output.split(separator: "\n").last?.split(separator: " "))
        #expect(stat.count > 4 && stat[4] == stat[0], "the process group is the program's own")
    }

    @Test func theProgramInheritsNoDescriptorButItsThreeStreams() throws {
        let descriptor = open("/dev/null", O_RDONLY)
        defer { close(descriptor) }
        let (project, kept) = try project("[\"sh\", \"-c\", \"cat >/dev/null; [ -e /proc/self/fd/\(descriptor) ] && echo open || echo closed\"]")
        defer { withExtendedLifetime(kept) {} }
        #expect(try render(project, "cmd").get() == "closed\n")
    }

    @Test func anUnknownProgramIsNamed() throws {
        let (project, kept) = try project("[\"no-such-program-regen\"]")
        defer { withExtendedLifetime(kept) {} }
        #expect(render(project, "cmd").failure?.message == "Command not found: no-such-program-regen")
    }
}
