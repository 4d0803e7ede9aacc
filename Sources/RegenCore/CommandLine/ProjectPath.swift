import FoundationEssentials

/// Paths as the user gave them, related to folders without resolving links.
enum ProjectPath {
    /// `path` relative to `folder` (both as the shell sees them), or nil when it lies outside.
    static func relative(_ path: String, to folder: String) -> String? {
        let file = absolute(path)
        let base = absolute(folder)
        if base == "/" { return String(file.dropFirst()) }
        guard file.hasPrefix(base + "/") else { return nil }
        return String(file.dropFirst(base.count + 1))
    }

    /// An absolute, normalized path (`.` and `..` folded) from the current folder.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The last component: `b` for `a/b` and `a/b/`, `/` for `/`.
    static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path.utf8[...])
        guard !trimmed.elementsEqual("/".utf8), let slash = trimmed.lastIndex(of: UInt8(ascii: "/")) else {
            return String(decoding: trimmed, as: UTF8.self)
        }
        return String(decoding: trimmed[trimmed.index(after: slash)...], as: UTF8.self)
    }

    /// The path without its last component: `a` for `a/b`, `/` for `/a`, empty for `a`.
    static func folder(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path.utf8[...])
        guard let slash = trimmed.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        let folder = withoutTrailingSlashes(trimmed[..<slash])
        return folder.isEmpty ? "/" : String(decoding: folder, as: UTF8.self)
    }

    /// The extension of the last component, without its dot; empty when there is none. A
    /// leading dot starts a hidden name, not an extension.
    static func pathExtension(_ path: String) -> String {
        let name = lastComponent(path).utf8
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        return String(decoding: name[name.index(after: dot)...], as: UTF8.self)
    }

    /// `path` without slashes at its end, except a lone `/`. On the UTF-8 bytes: this runs for
    /// every config file of a build.
    private static func withoutTrailingSlashes(_ path: Substring.UTF8View) -> Substring.UTF8View {
        var trimmed = path
        while trimmed.count > 1, trimmed.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// `folder/name`, without a leading `./`.
    static func join(_ folder: String, _ name: String) -> String {
        folder == "." || folder.isEmpty ? name : (folder.hasSuffix("/") ? folder + name : folder + "/" + name)
    }
}
