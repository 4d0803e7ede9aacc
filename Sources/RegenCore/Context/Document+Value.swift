import Documents
import Jinja

extension Value {
    /// A parsed data file as a template value: mappings keep their order, ints stay ints.
    public init(_ document: Document) {
        switch document {
        case .null: self = .none
        case .bool(let b, _): self = .bool(b)
        case .int(let i, _): self = .int(i)
        case .float(let d, _): self = .float(d)
        case .string(let s, _): self = .string(s)
        case .array(let items, _): self = .list(ListStorage(items.map(Value.init)))
        case .object(let members, _):
            var dict = OrderedDict()
            for member in members {
                // Keys are scalars, which always hash.
                try? dict.set(Value(member.key), Value(member.value))
            }
            self = .dict(DictStorage(dict))
        }
    }
}
