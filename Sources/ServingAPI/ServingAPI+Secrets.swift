/// Names shared by the operator and the control plane for the Secrets they both touch.
public enum ServingSecrets {
    /// The per-deployment API key the gateway accepts: Secret `<deployment>-api-key`, key `apiKey`,
    /// created by the operator when the deployment first runs, owned by it.
    public static func apiKeySecretName(deployment: String) -> String { "\(deployment)-api-key" }
    public static let apiKeyDataKey = "apiKey"

    /// An AI Core object-store secret `<name>`: Secret `object-store-<name>`, labelled
    /// `quiver.dev/object-store-secret: "true"`, its name in the annotation
    /// `quiver.dev/object-store-name`, its settings in annotations `quiver.dev/object-store-<field>`,
    /// its data the credentials.
    public static func objectStoreSecretName(_ name: String) -> String { "object-store-\(name)" }
    public static let objectStoreLabel = "quiver.dev/object-store-secret"
    public static let objectStoreNameAnnotation = "quiver.dev/object-store-name"
    public static let objectStoreFields = ["type", "bucket", "endpoint", "region", "pathPrefix", "verifyssl", "usehttps"]
    public static func objectStoreAnnotation(_ field: String) -> String { "quiver.dev/object-store-\(field)" }
}
