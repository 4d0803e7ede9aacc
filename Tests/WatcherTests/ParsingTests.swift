import Testing
@testable import Watcher

@Suite struct InotifyEventParsingTests {
    /// One record as the kernel lays it out: header, then the name padded with NULs.
    func record(watch: Int32, mask: UInt32, cookie: UInt32 = 0, name: String, padTo: Int? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T>(_ value: T) { withUnsafeBytes(of: value) { bytes += $0 } }
        var nameBytes = Array(name.utf8)
        if !nameBytes.isEmpty { nameBytes.append(0) }
        let length = padTo ?? (nameBytes.isEmpty ? 0 : (nameBytes.count + 15) / 16 * 16)
        nameBytes += [UInt8](repeating: 0, count: length - nameBytes.count)
        append(watch); append(mask); append(cookie); append(UInt32(length))
        return bytes + nameBytes
    }

    @Test func recordsOfEveryNameLengthFollowOneAnother() {
        let names = ["", "a", "fifteen-chars-x", "sixteen-chars-xx", "é-ünicode.jinja", String(repeating: "n", count: 255)]
        var bytes: [UInt8] = []
        for (index, name) in names.enumerated() {
            bytes += record(watch: Int32(index + 1), mask: 0x100, cookie: UInt32(index), name: name)
        }
        let (events, consumed) = bytes.withUnsafeBytes { InotifyEvent.parse($0) }
        #expect(consumed == bytes.count)
        #expect(events.map(\.name) == names)
        #expect(events.map(\.watch) == [1, 2, 3, 4, 5, 6])
        #expect(events.map(\.cookie) == [0, 1, 2, 3, 4, 5])
    }

    @Test func aTruncatedTailIsLeftUnparsedNotReadPastTheEnd() {
        let whole = record(watch: 1, mask: 0x2, name: "first") + record(watch: 2, mask: 0x2, name: "second")
        for cut in 0 ..< whole.count {
            let bytes = Array(whole[..<cut])
            let (events, consumed) = bytes.withUnsafeBytes { InotifyEvent.parse($0) }
            #expect(consumed <= cut)
            #expect(events.count == (cut >= 32 + 32 ? 2 : cut >= 32 ? 1 : 0))
        }
    }

    @Test func aLengthThatPointsPastTheBufferStopsParsing() {
        var bytes = record(watch: 1, mask: 0x2, name: "ok")
        bytes += record(watch: 2, mask: 0x2, name: "x", padTo: 16)
        bytes[bytes.count - 16 - 4] = 200 // len now claims 200 bytes of name
        let (events, consumed) = bytes.withUnsafeBytes { InotifyEvent.parse($0) }
        #expect(events.map(\.name) == ["ok"])
        #expect(consumed == 32)
    }
}
