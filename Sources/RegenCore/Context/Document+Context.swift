import Documents
import Jinja

extension Document {
    /// `overlay` merged over this document: mappings merge key by key, recursively (a variant
    /// that sets `team.name` keeps the config's other `team` keys); anything else replaces.
    func merged(with overlay: Document) -> Document {
        guard case .object(var members, let mark) = self, case .object(let extra, _) = overlay else { return overlay }
        for member in extra {
            if let index = members.firstIndex(where: { $0.key.sameKey(as: member.key) }) {
                members[index].value = members[index].value.merged(with: member.value)
            } else {
                members.append(member)
            }
        }
        return .object(members, mark)
    }

    /// Whether two mapping keys are the same key (scalars compared by value).
    func sameKey(as other: Document) -> Bool {
        switch (self, other) {
        case (.string(let a, _), .string(let b, _)): return a == b
        case (.int(let a, _), .int(let b, _)): return a == b
        case (.bool(let a, _), .bool(let b, _)): return a == b
        case (.float(let a, _), .float(let b, _)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// The value at a dotted path (`spec.version`, `items.0.name`), nil when any step is missing.
    func lookup(_ path: String) -> Document? {
        var current = self
        for step in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .object:
                guard let next = current[String(step)] else { return nil }
                current = next
            case .array(let items, _):
                guard let index = Int(step), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The top-level members of a context mapping as template variables. Built afresh for each
    /// render: templates may mutate lists and dicts (`append`), and renders must not see each
    /// other's changes.
    var templateContext: [String: Value] {
        guard case .object(let members, _) = self else { return [:] }
        var context: [String: Value] = [:]
        for member in members {
            if let key = member.key.stringValue { context[key] = Value(member.value) }
        }
        return context
    }

    /// How the value prints in a template: Python's `str()`, as `{{ value }}` prints it.
    var printed: String { Value(self).pythonStr }
}
