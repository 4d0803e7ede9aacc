import Documents
import Jinja

/// `jinja2`: the config's template rendered by the engine with the project's settings.
enum JinjaGenerator {
    static func render(_ config: ContentConfig, context: Document, in session: RenderSession,
                       cancellation: RenderCancellation? = nil) throws(Diagnostic) -> String {
        guard let name = config.template else {
            throw config.source.error(at: config.idMark, "the jinja2 generator needs a 'template'")
        }
        do {
            let template = try session.environment.template(named: name)
            return try session.environment.render(template, context: context.templateContext, cancellation: cancellation)
        } catch {
            throw session.diagnostic(for: error, config: config)
        }
    }
}
