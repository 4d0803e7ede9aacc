import Glibc

/// The entries of the folder at `path` and whether each is a folder (symbolic links are not:
/// they are listed, never followed into), without `.` and `..`; empty when it cannot be read.
/// `readdir`, with a `lstat` only when the file system does not say the entry's type.
public func folderEntries(_ path: String) -> [(name: String, isFolder: Bool)] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var entries: [(String, Bool)] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                String(cString: $0)
            }
        }
        if name == "." || name == ".." { continue }
        var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
        if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
            var info = stat()
            isFolder = lstat(Path.join(path, name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
        entries.append((name, isFolder))
    }
    return entries
}
