import ServingAPI
import Synchronization

extension TemplateDocuments {
    /// Parsed templates by their templated part, so reconciling many Deployments of one template
    /// parses its YAML once. Parsing is a pure function of that part, so a hit gives what a fresh
    /// parse would (errors included). Bounded: emptied when it reaches `limit` entries.
    private static let cache = Mutex<[V1Alpha1.WorkloadTemplate: Result<TemplateDocuments, RenderError>]>([:])
    private static let limit = 256

    static func parsed(_ template: V1Alpha1.ServingTemplate) throws(RenderError) -> TemplateDocuments {
        let key = template.spec.template
        if let hit = cache.withLock({ $0[key] }) { return try hit.get() }
        let result: Result<TemplateDocuments, RenderError>
        do {
            result = .success(try TemplateDocuments(template: template))
        } catch {
            result = .failure(error)
        }
        cache.withLock {
            if $0.count >= limit { $0.removeAll(keepingCapacity: true) }
            $0[key] = result
        }
        return try result.get()
    }
}
