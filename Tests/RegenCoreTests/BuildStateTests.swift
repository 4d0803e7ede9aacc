import Foundation
import Testing
@testable import RegenCore

@Suite struct BuildStateTests {
    /// Reference values of XXH64 with seed 0 (from the xxHash project and python-xxhash).
    @Test(arguments: [("", 0xEF46_DB37_51D8_E999 as UInt64), ("a", 0xD24E_C4F1_A98C_6E5B),
                      ("abc", 0x44BC_2CF5_AD77_0999),
                      ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1)])
    func xxHash64MatchesTheReference(text: String, expected: UInt64) {
        #expect(Digest(text).value == expected)
    }

    @Test func theDigestOfLongInputsTakesEveryByteIntoAccount() {
        var bytes = [UInt8](repeating: 7, count: 1000)
        let before = Digest(bytes)
        for position in [0, 31, 32, 500, 996, 999] {
            bytes[position] = 8
            #expect(Digest(bytes) != before)
            bytes[position] = 7
        }
    }

    static func sample() -> BuildState {
        var state = BuildState()
        let template = state.add("templates/a.jinja", FileEntry(stamp: FileStamp(size: 3, modified: 1, changed: 2, inode: 4, device: 5),
                                                                digest: Digest(9), racy: true))
        let gone = state.add("data/gone.json", FileEntry(stamp: nil, digest: .absent, racy: false))
        let config = state.add("configs/a.json", nil)
        state.records["a#-"] = BuildState.Record(configID: "a", configFile: config, targetCount: 2, settings: Digest(1),
                                                 output: state.add("output/a.md", nil), outputDigest: Digest(2),
                                                 inputs: [BuildState.Input(file: template, digest: Digest(9)),
                                                          BuildState.Input(file: gone, digest: .absent)])
        state.records["a#0"] = BuildState.Record(configID: "a", configFile: config, targetCount: 2, settings: Digest(1),
                                                 output: state.add("output/é.md", nil), outputDigest: Digest(3), inputs: [])
        return state
    }

    @Test func theStateReadsBackAsItWasWritten() throws {
        let folder = try TemporaryFolder()
        try Self.sample().save(stateFolder: folder.path + "/.regen")
        let (state, warning) = BuildState.load(stateFolder: folder.path + "/.regen")
        #expect(warning == nil)
        // Files are numbered afresh when saved: the same records name the same paths.
        #expect(state.byPath == Self.sample().byPath)
        #expect(state.byPath.records.count == 2)
        #expect(state.byPath.files.count == 2)
        #expect(state.paths.count == 5)
        // Written aside then renamed: no temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/.regen") == ["build-state"])
    }

    @Test func savingKeepsOnlyTheFilesThatRecordsNameOrReadBelowAFolder() throws {
        let folder = try TemporaryFolder()
        var state = Self.sample()
        let entry = FileEntry(stamp: nil, digest: Digest(4), racy: false)
        _ = state.add("templates/forgotten.jinja", entry)
        _ = state.add("templates/dynamic/a.jinja", entry)
        _ = state.add("templates/dynamic-not/b.jinja", entry)
        let dynamic = state.add("templates/dynamic/**", entry)
        state.records["b#-"] = BuildState.Record(configID: "b", configFile: state.add("configs/b.json", entry), targetCount: 1,
                                                 settings: Digest(1), output: state.add("output/b.md", entry), outputDigest: Digest(2),
                                                 inputs: [BuildState.Input(file: dynamic, digest: Digest(5))])
        try state.save(stateFolder: folder.path + "/.regen")
        let (read, _) = BuildState.load(stateFolder: folder.path + "/.regen")
        #expect(read.byPath.records == state.byPath.records)
        #expect(Set(read.paths) == ["templates/a.jinja", "data/gone.json", "configs/a.json", "output/a.md", "output/é.md",
                                    "templates/dynamic/**", "templates/dynamic/a.jinja", "configs/b.json", "output/b.md"])
        #expect(Set(read.byPath.files.keys) == ["templates/a.jinja", "data/gone.json", "templates/dynamic/**",
                                                "templates/dynamic/a.jinja", "configs/b.json", "output/b.md"])
    }

    @Test func noStateFolderIsAnEmptyStateWithoutAWarning() throws {
        let folder = try TemporaryFolder()
        let (state, warning) = BuildState.load(stateFolder: folder.path + "/.regen")
        #expect(state == BuildState())
        #expect(warning == nil)
    }

    /// Every way a state file can be damaged gives an empty state and a warning, never a crash.
    @Test func aDamagedStateFileIsIgnoredWithAWarning() throws {
        let good = Self.sample().encoded()
        var cases: [(String, [UInt8])] = [("empty", []), ("garbage", Array("hello, world".utf8))]
        for length in [4, 8, 20, 31, 32, 40, good.count / 2, good.count - 1] {
            cases.append(("truncated to \(length)", Array(good.prefix(length))))
        }
        var otherVersion = good
        otherVersion[8] = 99
        cases.append(("other version", otherVersion))
        for position in stride(from: BuildState.headerSize, to: good.count, by: 7) {
            var flipped = good
            flipped[position] ^= 0x5A
            cases.append(("byte \(position) flipped", flipped))
        }
        cases.append(("extra bytes", good + [1, 2, 3]))
        let folder = try TemporaryFolder()
        for (name, bytes) in cases {
            try folder.write(".regen/build-state", Data(bytes))
            let (state, warning) = BuildState.load(stateFolder: folder.path + "/.regen")
            #expect(state == BuildState(), "\(name)")
            #expect(warning?.contains("rebuilding everything") == true, "\(name): \(warning ?? "no warning")")
        }
        otherVersion = good
        otherVersion[8] = 1
        try folder.write(".regen/build-state", Data(otherVersion))
        #expect(BuildState.load(stateFolder: folder.path + "/.regen").warning?.contains("another version of Regen") == true)
    }

    /// A random payload decoded with a valid header and checksum: bounds checks, not the checksum,
    /// must stop it.
    @Test func randomPayloadsBehindAValidHeaderNeverCrash() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let payload = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var bytes = BuildState.magic
            withUnsafeBytes(of: BuildState.version.littleEndian) { bytes += $0 }
            bytes += [0, 0, 0, 0]
            withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: Digest(payload).value.littleEndian) { bytes += $0 }
            _ = try? BuildState.decode(bytes + payload)
        }
    }

    @Test func anUnchangedStampIsTrustedAndAChangedOneIsHashedAgain() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.txt", "one")
        // Old enough that its stamp can be trusted.
        let old = Date(timeIntervalSinceNow: -100)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.path + "/a.txt")
        var first = FileTable(root: folder.path, state: BuildState())
        let digest = first.digest(of: "a.txt")
        #expect(digest == Digest("one"))
        #expect(first.hashed == 1)
        #expect(first.lastSeen(first.id("a.txt"))?.racy == false)

        var second = FileTable(root: folder.path, state: BuildState(records: [:], files: first))
        #expect(second.digest(of: "a.txt") == digest)
        #expect(second.hashed == 0)

        // Same size, mtime put back: the status-change time still tells.
        try folder.write("a.txt", "two")
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.path + "/a.txt")
        var third = FileTable(root: folder.path, state: BuildState(records: [:], files: first))
        #expect(third.digest(of: "a.txt") == Digest("two"))
        #expect(third.hashed == 1)
        #expect(third.digest(of: "missing.txt") == .absent)
    }

    @Test func aFileModifiedJustBeforeItWasHashedIsHashedAgainNextTime() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.txt", "one")
        var first = FileTable(root: folder.path, state: BuildState())
        _ = first.digest(of: "a.txt")
        #expect(first.lastSeen(first.id("a.txt"))?.racy == true)
        var second = FileTable(root: folder.path, state: BuildState(records: [:], files: first))
        _ = second.digest(of: "a.txt")
        #expect(second.hashed == 1)
    }
}

/// A build state with its files named by path instead of by number, to compare states whose
/// files were numbered differently (a saved state is numbered afresh).
struct StateByPath: Equatable {
    struct Record: Equatable {
        var configID, configFile: String
        var targetCount: Int
        var settings: Digest
        var output: String
        var outputDigest: Digest
        var inputs: [String]
        var digests: [Digest]
    }

    var records: [String: Record]
    var files: [String: FileEntry]
}

extension BuildState {
    var byPath: StateByPath {
        StateByPath(records: records.mapValues { record in
                        StateByPath.Record(configID: record.configID, configFile: paths[record.configFile.position],
                                           targetCount: record.targetCount, settings: record.settings,
                                           output: paths[record.output.position], outputDigest: record.outputDigest,
                                           inputs: record.inputs.map { paths[$0.file.position] }, digests: record.inputs.map(\.digest))
                    },
                    files: Dictionary(zip(paths, entries).compactMap { path, entry in entry.map { (path, $0) } },
                                      uniquingKeysWith: { first, _ in first }))
    }
}

/// A small, seeded random number generator (SplitMix64), so that random tests repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
