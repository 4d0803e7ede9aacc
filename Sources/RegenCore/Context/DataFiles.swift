import Documents
import Synchronization

/// Replaces `{"source": "file", "path": P}` context values with the parsed files. One per build:
/// a data file that several configs read is read and parsed once.
final class DataFiles: Sendable {
    let project: Project
    private let cache = Mutex<[String: Result<Document, Diagnostic>]>([:])

    init(project: Project) {
        self.project = project
    }

    /// `context` with every file reference replaced; errors name the config's place.
    func resolve(_ context: Document, in source: SourceFile) throws(Diagnostic) -> Document {
        switch context {
        case .object(let members, let mark):
            if let reference = try FileReference(context, source: source) {
                return try document(for: reference, in: source)
            }
            var resolved = members
            for index in resolved.indices {
                resolved[index].value = try resolve(resolved[index].value, in: source)
            }
            return .object(resolved, mark)
        case .array(let items, let mark):
            var resolved = items
            for index in resolved.indices { resolved[index] = try resolve(resolved[index], in: source) }
            return .array(resolved, mark)
        default:
            return context
        }
    }

    private func document(for reference: FileReference, in source: SourceFile) throws(Diagnostic) -> Document {
        if let cached = cache.withLock({ $0[reference.path] }) { return try cached.get() }
        let path = project.path(reference.path)
        // Checked on every read, not when the config loads: a link can change between builds.
        guard let resolved = InputFile.resolved(path) else {
            throw source.error(at: reference.mark, "Data file not found: \(reference.path)")
        }
        guard InputFile.isInside(resolved, project.resolvedRoot) else {
            throw source.error(at: reference.mark, "the data file \(reference.path) is a link that leads outside the project")
        }
        let result = Result { () throws(Diagnostic) in
            try DataFile.parse(InputFile.read(path, name: reference.path), path: path, displayPath: reference.path)
        }
        cache.withLock { $0[reference.path] = result }
        return try result.get()
    }
}
