/// Paths written in configuration files, which must stay inside the folder they are relative to.
enum RelativePath {
    /// `path` with `.` segments and repeated slashes folded away, or nil when it is empty,
    /// absolute, contains a `..` segment or a NUL byte: such a path could leave its folder, and a
    /// path that only seems to (`a/../b`) is refused too rather than reasoned about.
    static func normalized(_ path: String) -> String? {
        guard !path.hasPrefix("/"), !path.contains("\0") else { return nil }
        var pieces: [Substring] = []
        for piece in path.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == ".." { return nil }
            if piece != "." { pieces.append(piece) }
        }
        return pieces.isEmpty ? nil : pieces.joined(separator: "/")
    }

    /// Why `path` was refused, for messages.
    static func problem(with path: String) -> String {
        if path.hasPrefix("/") { return "is an absolute path" }
        if path.split(separator: "/").contains("..") { return "leaves its folder ('..')" }
        return "is not a usable path"
    }
}
