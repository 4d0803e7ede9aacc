/// Jinja2 3.1.6's built-in filters, tests and globals, merged by every `Environment`.
enum Builtins {
    static let filters: [String: FilterFunction] = Filters.all
    static let tests: [String: TestFunction] = Tests.all
    static let globals: [String: Value] = Globals.all
}

/// The built-in filters, one table per area (`Filters+Strings.swift`, `Filters+Sequences.swift`,
/// `Filters+Numbers.swift`, `Filters+Text.swift`).
enum Filters {
    static let all: [String: FilterFunction] = {
        var all: [String: FilterFunction] = [:]
        for table in [strings, sequences, numbers, text] {
            all.merge(table) { first, _ in first }
        }
        return all
    }()
}
