import KubeModel
import ServingAPI

/// The three templated parts of a ServingTemplate (`spec.template.metadata.annotations`,
/// `…labels`, `spec.template.spec`), parsed with stand-ins: their shape is fixed before any
/// value is known.
struct TemplateDocuments: Sendable {
    static let annotationsField = "spec.template.metadata.annotations"
    static let labelsField = "spec.template.metadata.labels"
    static let specField = "spec.template.spec"

    var annotations: TemplateNode?
    var labels: TemplateNode?
    var spec: TemplateNode
    /// Every placeholder occurrence that survived parsing (not those in YAML comments).
    var occurrences: [(reference: InputReference, path: String)] = []

    init(template: V1Alpha1.ServingTemplate) throws(RenderError) {
        let workload = template.spec.template
        let parts: [JSONValue?] = [workload.metadata?.annotations, workload.metadata?.labels, workload.spec]
        var standIns = StandIns(avoiding: parts.compactMap { $0?.stringValue })

        func document(_ value: JSONValue?, field: String, stringValues: Bool) throws(RenderError) -> TemplateNode? {
            guard let value, !value.isNull else { return nil }
            guard case .string(let text) = value else {
                return try TemplateNode.structured(value, at: field, stringValues: stringValues)
            }
            let yaml = standIns.text(try PlaceholderScanner.segments(of: text, field: field))
            let node = try TemplateYAML(standIns: standIns).parse(yaml, field: field, stringValues: stringValues)
            if stringValues, let node {
                guard case .object = node else { throw .invalidTemplate("\(field) must be a map of strings", field: field) }
            }
            return node
        }

        annotations = try document(workload.metadata?.annotations, field: Self.annotationsField, stringValues: true)
        labels = try document(workload.metadata?.labels, field: Self.labelsField, stringValues: true)
        guard let spec = try document(workload.spec, field: Self.specField, stringValues: false),
              case .object = spec
        else {
            throw .invalidTemplate("\(Self.specField) must be an InferenceService spec (a map with a predictor)", field: Self.specField)
        }
        self.spec = spec
        annotations?.references(at: Self.annotationsField, into: &occurrences)
        labels?.references(at: Self.labelsField, into: &occurrences)
        spec.references(at: Self.specField, into: &occurrences)
    }

    /// The first path each reference occurs at.
    var firstPaths: [InputReference: String] {
        var result: [InputReference: String] = [:]
        for occurrence in occurrences where result[occurrence.reference] == nil {
            result[occurrence.reference] = occurrence.path
        }
        return result
    }

    /// The placeholder a scalar at `path` was filled from, for messages.
    func origin(of path: String) -> InputReference? {
        occurrences.first { $0.path == path }?.reference
    }

    struct Rendered {
        var annotations: [String: String]
        var labels: [String: String]
        var spec: JSONValue
    }

    func substituted(_ values: [InputReference: String]) throws(RenderError) -> Rendered {
        func strings(_ node: TemplateNode?, field: String) throws(RenderError) -> [String: String] {
            guard let node else { return [:] }
            var result: [String: String] = [:]
            for (key, value) in try node.substituted(values, at: field).objectValue ?? [:] {
                result[key] = value.stringValue ?? ""
            }
            return result
        }
        return Rendered(
            annotations: try strings(annotations, field: Self.annotationsField),
            labels: try strings(labels, field: Self.labelsField),
            spec: try spec.substituted(values, at: Self.specField))
    }
}
