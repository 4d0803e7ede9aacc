import Foundation
import Testing
@testable import RegenCore

/// `regen` links FoundationEssentials only; its stand-ins for Foundation's path and string
/// methods must give what Foundation gives.
@Suite struct FoundationStandInTests {
    // Not "a": Foundation's `deletingLastPathComponent` traps on a one-character name.
    @Test(arguments: ["a/b.json", "/a", "ab", "/", "", "a/b/", "/a/b//", ".json", "a/.hidden", "a.b.c", "x.",
                      "configs/sub/page.YAML", "..", "a/..", "/proc/self/fd/3/daemon.sock", "dé/été.jsön", "/ü/"])
    func pathComponentsAsNSString(_ path: String) {
        #expect(ProjectPath.lastComponent(path) == (path as NSString).lastPathComponent)
        #expect(ProjectPath.folder(of: path) == (path as NSString).deletingLastPathComponent)
        #expect(ProjectPath.pathExtension(path) == (path as NSString).pathExtension)
    }

    @Test func fixedPointFiguresAsStringFormat() {
        for value in [0, 0.004, 0.005, 0.125, 1.5, 2.675, 99.95, 1234.5678, -0.5] {
            #expect(String(cFormat: "%.2f s", value) == String(format: "%.2f s", value))
            #expect(String(cFormat: "%.1f MB", value) == String(format: "%.1f MB", value))
            #expect(String(cFormat: "%.0f ms", value * 1000) == String(format: "%.0f ms", value * 1000))
        }
        #expect(String(cFormat: " (items %.2f s, speedup %.1f×)", 3.14159, 2.25) == " (items 3.14 s, speedup 2.2×)")
        #expect(String(cFormat: "%02d:%02d:%02d", Int32(7), Int32(5), Int32(30)) == "07:05:30")
        let long = String(repeating: "x", count: 100)
        #expect(String(cFormat: long + "%.1f", 1.0) == long + "1.0")
    }

    @Test(arguments: ["", "  ", " a b ", "\n\tboom: bad input\r\n", "\u{00A0}x\u{2003}", "x\u{0085}", "é\n"])
    func trimmingAsTrimmingCharacters(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
