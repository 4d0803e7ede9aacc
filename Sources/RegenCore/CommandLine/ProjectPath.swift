import Foundation

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

    /// `folder/name`, without a leading `./`.
    static func join(_ folder: String, _ name: String) -> String {
        folder == "." || folder.isEmpty ? name : (folder.hasSuffix("/") ? folder + name : folder + "/" + name)
    }
}
