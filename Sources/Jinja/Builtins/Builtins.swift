/// Jinja2's built-in filters, tests and globals. (Placeholder.)
enum Builtins {
    static let filters: [String: FilterFunction] = [
        "upper": { value, _, state in .string(try state.str(value).uppercased()) },
    ]
    static let tests: [String: TestFunction] = [
        "defined": { value, _, _ in !value.isUndefined },
    ]
    static let globals: [String: Value] = [:]
}
