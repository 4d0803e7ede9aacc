/// Which tier a config's items run in: the config's own `priority`, else the first `priorities`
/// rule of `watch.yaml` whose pattern matches the config's file, else medium.
extension ProjectSettings {
    func tier(of config: ContentConfig) -> Priority {
        if let own = config.priority { return own }
        return priorities.first { GlobPattern.matches($0.match, config.file) }?.tier ?? .medium
    }
}

/// Glob patterns over project-relative paths, as `.gitignore` and watchexec read them: `*` and `?`
/// within one path segment, `[abc]` classes, and `**` for any number of segments (`configs/**`
/// matches everything below `configs`, `**/draft-*.json` a draft at any depth).
enum GlobPattern {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        // Split as scalars: splitting a String by Characters costs grapheme breaking, and every
        // config of a build is matched against every rule.
        let patternParts = pattern.unicodeScalars.split(separator: "/", omittingEmptySubsequences: true)
        let pathParts = path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: true)
        return match(patternParts[...], pathParts[...])
    }

    private typealias Segment = Substring.UnicodeScalarView

    private static func match(_ pattern: ArraySlice<Segment>, _ path: ArraySlice<Segment>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first.elementsEqual("**".unicodeScalars) {
            let rest = pattern.dropFirst()
            // `**` at the end matches one or more segments (a folder's contents), else zero or more.
            if rest.isEmpty { return !path.isEmpty }
            var remaining = path
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = path.first else { return false }
        // Most segments are plain names, compared as they are, without the arrays that the
        // wildcard matcher needs.
        if first.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            guard segmentMatches(Array(first), Array(segment)) else { return false }
        } else {
            guard first.elementsEqual(segment) else { return false }
        }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// One segment: `*`, `?`, `[a-z]`, `[!x]`, and literal characters.
    private static func segmentMatches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count {
                switch pattern[p] {
                case "*":
                    starP = p
                    starT = t
                    p += 1
                    continue
                case "?":
                    p += 1
                    t += 1
                    continue
                case "[":
                    if let (matched, end) = classMatch(pattern, from: p, text[t]) {
                        if matched {
                            p = end
                            t += 1
                            continue
                        }
                    } else if text[t] == "[" {
                        p += 1
                        t += 1
                        continue
                    }
                default:
                    if pattern[p] == text[t] {
                        p += 1
                        t += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Whether `character` is in the class starting at `pattern[start]` (`[`), and the index after
    /// its `]`; nil when the class is not closed (the `[` is then a literal).
    private static func classMatch(_ pattern: [Unicode.Scalar], from start: Int, _ character: Unicode.Scalar) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.count, pattern[index] == "!" || pattern[index] == "^" {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count {
            let c = pattern[index]
            if c == "]", !first { return (matched != negated, index + 1) }
            first = false
            if index + 2 < pattern.count, pattern[index + 1] == "-", pattern[index + 2] != "]" {
                if c <= character, character <= pattern[index + 2] { matched = true }
                index += 3
            } else {
                if c == character { matched = true }
                index += 1
            }
        }
        return nil
    }
}
