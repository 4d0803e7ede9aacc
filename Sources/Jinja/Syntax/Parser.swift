/// Turns template source into a `Template`. (Placeholder until the parser lands.)
enum Parser {
    /// `filters` and `tests` are the names the environment knows: Jinja2 refuses an unknown filter
    /// or test when it compiles the template, not when the line runs.
    static func parse(_ source: TemplateSource, options: SyntaxOptions,
                      filters: Set<String>, tests: Set<String>) throws -> Template {
        throw TemplateError(.syntax, "parser not implemented", templateName: source.name)
    }
}
