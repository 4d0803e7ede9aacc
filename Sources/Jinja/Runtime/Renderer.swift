/// Renders a parsed template. (Placeholder until the renderer lands.)
final class Renderer {
    let state: RenderState

    init(state: RenderState) {
        self.state = state
        state.renderer = self
    }

    func render(_ template: Template, context: [String: Value]) throws -> String {
        throw TemplateError(.runtime, "renderer not implemented")
    }
}
