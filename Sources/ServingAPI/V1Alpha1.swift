import KubeModel

/// Quiver's custom resources, group `quiver.dev`, version `v1alpha1`: ServingTemplate,
/// Configuration, Deployment, Artifact and ResourcePlan (DESIGN.md §3).
public enum V1Alpha1 {
    public static let group = "quiver.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "quiver.dev/v1alpha1"
}

/// A `{key, value}` pair, as AI Core's parameter bindings and artifact labels are written.
public struct KeyValue: Codable, Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
