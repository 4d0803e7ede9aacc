/// What the watcher never reports: editor and tool temporaries (always), git's internals
/// (always), excluded folders (the output root and the state folder: no feedback loops) and
/// `watch.ignore` globs, matched against paths relative to the project root.
///
/// A folder that is ignored is not watched, so nothing inside it is reported either.
public struct IgnoreRules: Sendable {
    /// Absolute, normalized; `patterns` are matched against paths relative to it.
    public let projectRoot: String?
    /// Absolute, normalized folders whose whole contents are ignored.
    public let excludedFolders: [String]
    public let patterns: [Glob]

    /// `excludedFolders` and `projectRoot` may be relative to the current folder; relative
    /// excluded folders are taken from `projectRoot` when it is given.
    public init(projectRoot: String? = nil, excludedFolders: [String] = [], patterns: [String] = []) {
        let root = projectRoot.map { Path.absolute($0) }
        self.projectRoot = root
        self.excludedFolders = excludedFolders.map { Path.absolute($0, from: root) }
        self.patterns = patterns.map(Glob.init)
    }

    /// Whether an absolute, normalized path is ignored.
    public func ignores(_ path: String, isFolder: Bool) -> Bool {
        let name = Path.lastComponent(of: path)
        if name == ".git" { return true }
        if IgnoreRules.isTemporaryName(String(name)) { return true }
        for folder in excludedFolders where Path.isInside(path, folder) { return true }
        guard !patterns.isEmpty else { return false }
        let relative: String
        if let projectRoot {
            guard Path.isInside(path, projectRoot), path != projectRoot else { return false }
            relative = projectRoot == "/" ? String(path.dropFirst()) : String(path.dropFirst(projectRoot.count + 1))
        } else {
            relative = String(path.drop { $0 == "/" })
        }
        return patterns.contains { $0.matches(relative, isFolder: isFolder) }
    }

    /// Whether a file name is an editor's or a tool's temporary, backup, swap or lock file:
    ///
    /// - vim and neovim: the `4913` probe (and its successors 5036, 5159, …), backups `name~`,
    ///   swap files `.name.swp` … `.name.swa`, `.name.swx`, `.name.swpx`;
    /// - emacs: locks `.#name`, autosaves `#name#` (backups `name~` as vim's);
    /// - JetBrains safe write: `name___jb_tmp___`, `name___jb_old___`;
    /// - VS Code: `name.vsctmp`, its atomic-write temporary (user files it writes in place);
    /// - `sed -i`: `sedXXXXXX` (six letters or digits);
    /// - Kate `name.kate-swp`, GLib/gedit `.goutputstream-XXXXXX`, Foundation's atomic writes
    ///   `.dat.nosyncXXXX`; any `name.lock`.
    public static func isTemporaryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let last = bytes.last, let first = bytes.first else { return false }
        if last == UInt8(ascii: "~") { return true }
        if first == UInt8(ascii: "#") && last == UInt8(ascii: "#") && bytes.count > 1 { return true }
        if name.hasPrefix(".#") || name.hasPrefix(".goutputstream-") || name.hasPrefix(".dat.nosync") { return true }
        if name.hasSuffix("___jb_tmp___") || name.hasSuffix("___jb_old___") { return true }
        if name.hasSuffix(".vsctmp") || name.hasSuffix(".kate-swp") || name.hasSuffix(".lock") { return true }
        if first == UInt8(ascii: "."), isVimSwapSuffix(bytes) { return true }
        if isVimProbe(bytes) || isSedTemporary(bytes) { return true }
        return false
    }

    /// `.sw[a-p]`, `.swx`, `.swpx` after a dotted name.
    private static func isVimSwapSuffix(_ bytes: [UInt8]) -> Bool {
        let name = String(decoding: bytes, as: UTF8.self)
        if name.hasSuffix(".swpx") || name.hasSuffix(".swx") { return bytes.count > 5 }
        guard bytes.count > 5, bytes[bytes.count - 4] == UInt8(ascii: "."),
              bytes[bytes.count - 3] == UInt8(ascii: "s"), bytes[bytes.count - 2] == UInt8(ascii: "w") else { return false }
        return (UInt8(ascii: "a") ... UInt8(ascii: "p")).contains(bytes[bytes.count - 1])
    }

    /// vim writes a probe named 4913, or 4913 + k·123 when that name is taken, to test that it
    /// may create files in the folder.
    private static func isVimProbe(_ bytes: [UInt8]) -> Bool {
        guard (4 ... 6).contains(bytes.count), bytes.allSatisfy({ (0x30 ... 0x39).contains($0) }),
              let number = Int(String(decoding: bytes, as: UTF8.self)) else { return false }
        return number >= 4913 && (number - 4913) % 123 == 0
    }

    /// `sed -i` writes `sedXXXXXX` (mkstemp's six letters and digits) and renames it over the file.
    private static func isSedTemporary(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 9, bytes.starts(with: Array("sed".utf8)) else { return false }
        return bytes[3...].allSatisfy { byte in
            (0x30 ... 0x39).contains(byte) || (0x41 ... 0x5A).contains(byte) || (0x61 ... 0x7A).contains(byte)
        }
    }
}
