/// A glob pattern over `/`-separated relative paths, as `watch.ignore` takes them.
///
/// - `*` matches any run of characters inside one segment, `?` one character, `[abc]`, `[a-z]`
///   and `[!abc]` (or `[^abc]`) one character of (or not of) a set.
/// - `**` as a whole segment matches any number of segments, none included: `docs/**/*.md`
///   matches `docs/a.md` and `docs/x/y/a.md`; `drafts/**` matches everything inside `drafts`
///   (not `drafts` itself).
/// - A pattern without `/` matches a name at any depth (`*.bak`, `node_modules`), as in
///   `.gitignore`; a pattern with `/` is matched from the start of the path. A leading `/` only
///   anchors; a trailing `/` restricts the pattern to folders.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private static let anyFolders = Array("**".utf8)
    let segments: [[UInt8]]
    let foldersOnly: Bool
    /// The leading segments without wildcards, with a `/` after each: a path that does not start
    /// with them cannot match, and most paths fail there, without being split.
    let literalPrefix: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        var text = Substring(pattern)
        foldersOnly = text.hasSuffix("/")
        while text.hasSuffix("/") { text = text.dropLast() }
        let anchored = text.contains("/")
        while text.hasPrefix("/") { text = text.dropFirst() }
        var parts = text.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        if !anchored { parts.insert(Glob.anyFolders, at: 0) }
        segments = parts
        var prefix: [UInt8] = []
        // Not the last segment: nothing follows it in a matching path.
        for part in parts.dropLast() {
            guard !part.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) else { break }
            prefix += part + [UInt8(ascii: "/")]
        }
        literalPrefix = prefix
    }

    public var description: String { pattern }

    /// Whether `path` (relative, `/`-separated, without empty segments) matches; `isFolder` says
    /// what the path names.
    public func matches(_ path: String, isFolder: Bool = false) -> Bool {
        if foldersOnly && !isFolder { return false }
        guard path.utf8.starts(with: literalPrefix) else { return false }
        // Bytes split in place: no String or array per segment (a build matches every config).
        let bytes = Array(path.utf8)
        let names = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        return Glob.match(segments[...], names[...])
    }

    private static func match(_ pattern: ArraySlice<[UInt8]>, _ names: ArraySlice<ArraySlice<UInt8>>) -> Bool {
        guard let first = pattern.first else { return names.isEmpty }
        if first == anyFolders {
            let rest = pattern.dropFirst()
            // A final `**` matches what is inside, not the folder itself (as in .gitignore).
            if rest.isEmpty { return !names.isEmpty }
            var index = names.startIndex
            while true {
                if match(rest, names[index...]) { return true }
                if index == names.endIndex { return false }
                index += 1
            }
        }
        guard let name = names.first, matchSegment(first[...], name) else { return false }
        return match(pattern.dropFirst(), names.dropFirst())
    }

    /// One segment against one name: `*`, `?` and bracket sets, iteratively with backtracking to
    /// the last `*` (linear in practice, never exponential).
    private static func matchSegment(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        var star: (p: Int, n: Int)?
        while n < name.endIndex {
            if p < pattern.endIndex {
                switch pattern[p] {
                case UInt8(ascii: "*"):
                    star = (p, n)
                    p += 1
                    continue
                case UInt8(ascii: "?"):
                    p += 1; n += 1
                    continue
                case UInt8(ascii: "["):
                    if let (matched, next) = matchSet(pattern, from: p, name[n]) {
                        if matched { p = next; n += 1; continue }
                    } else if name[n] == UInt8(ascii: "[") {
                        p += 1; n += 1
                        continue
                    }
                case let byte where byte == name[n]:
                    p += 1; n += 1
                    continue
                default:
                    break
                }
            }
            guard let last = star else { return false }
            star = (last.p, last.n + 1)
            p = last.p + 1
            n = last.n + 1
        }
        while p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// A bracket set starting at `start`: whether `byte` is in it and where the set ends; nil
    /// when the bracket is not closed (then `[` is an ordinary character).
    private static func matchSet(_ pattern: ArraySlice<UInt8>, from start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.endIndex && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^")) {
            negated = true
            index += 1
        }
        var found = false
        var first = true
        while index < pattern.endIndex {
            let low = pattern[index]
            if low == UInt8(ascii: "]") && !first { return (found != negated, index + 1) }
            first = false
            if index + 2 < pattern.endIndex && pattern[index + 1] == UInt8(ascii: "-") && pattern[index + 2] != UInt8(ascii: "]") {
                if low <= byte && byte <= pattern[index + 2] { found = true }
                index += 3
            } else {
                if low == byte { found = true }
                index += 1
            }
        }
        return nil
    }
}
