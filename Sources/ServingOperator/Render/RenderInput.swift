import KubeModel
import ServingAPI

/// Everything `render(_:)` reads. Rendering looks nothing up itself: the caller gathers the
/// template, configuration, artifacts, plans and object-store secrets first.
public struct RenderInput: Sendable, Hashable {
    public var template: V1Alpha1.ServingTemplate
    public var configuration: V1Alpha1.Configuration
    /// Artifacts by id (`metadata.name`), at least those the configuration binds.
    public var artifacts: [String: V1Alpha1.Artifact]
    /// ResourcePlans by name, at least the one the template picks.
    public var resourcePlans: [String: V1Alpha1.ResourcePlan]
    /// Object-store secrets by name, for `ai://<secret>/<path>` artifact URLs.
    public var objectStoreSecrets: [String: ObjectStoreSecret]
    /// The quiver.dev Deployment that owns every rendered object.
    public var owner: DeploymentOwner
    public var options: RenderOptions

    public init(
        template: V1Alpha1.ServingTemplate, configuration: V1Alpha1.Configuration,
        artifacts: [String: V1Alpha1.Artifact] = [:], resourcePlans: [String: V1Alpha1.ResourcePlan] = [:],
        objectStoreSecrets: [String: ObjectStoreSecret] = [:], owner: DeploymentOwner, options: RenderOptions = RenderOptions()
    ) {
        self.template = template
        self.configuration = configuration
        self.artifacts = artifacts
        self.resourcePlans = resourcePlans
        self.objectStoreSecrets = objectStoreSecrets
        self.owner = owner
        self.options = options
    }
}

/// The quiver.dev/v1alpha1 Deployment the rendered objects belong to. Its name names them all.
public struct DeploymentOwner: Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var uid: String

    public init(name: String, namespace: String, uid: String) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
    }
}

/// Where an `ai://<name>/<path>` URL points: AI Core's object-store secret, reduced to what
/// rendering needs (the credentials stay in a Kubernetes Secret the init container reads).
public struct ObjectStoreSecret: Sendable, Hashable {
    /// `S3` (also any S3-compatible store) or `GCS`.
    public var type: String
    public var bucket: String
    /// The S3 endpoint (`s3.eu-central-1.amazonaws.com`, a MinIO URL); passed to the init container.
    public var endpoint: String?
    /// Prefix inside the bucket that `ai://` paths are relative to.
    public var pathPrefix: String?
    public var region: String?
    /// A Kubernetes Secret in the deployment's namespace whose keys the init container gets as
    /// environment variables (e.g. `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
    public var credentialsSecretName: String?

    public init(type: String = "S3", bucket: String, endpoint: String? = nil, pathPrefix: String? = nil,
                region: String? = nil, credentialsSecretName: String? = nil) {
        self.type = type
        self.bucket = bucket
        self.endpoint = endpoint
        self.pathPrefix = pathPrefix
        self.region = region
        self.credentialsSecretName = credentialsSecretName
    }
}

/// Which objects the operator creates for a rendered template (DESIGN.md §4).
public enum ServingBackend: String, Sendable, Hashable, CaseIterable {
    /// apps/v1 Deployment + Service (+ HPA), translated from the InferenceService's predictor.
    case native
    /// The KServe InferenceService itself.
    case kserve
}

public struct RenderOptions: Sendable, Hashable {
    /// Image of the `quiver storage-init` init container (it runs `quiver storage-init`).
    public var storageInitializerImage: String
    public var backend: ServingBackend
    /// The plan used when the template names none with `quiver.dev/resourcePlan`.
    public var defaultResourcePlan: String

    public static let defaultStorageInitializerImage = "ghcr.io/quiver-dev/quiver:latest"

    public init(storageInitializerImage: String = Self.defaultStorageInitializerImage,
                backend: ServingBackend = .native, defaultResourcePlan: String = "starter") {
        self.storageInitializerImage = storageInitializerImage
        self.backend = backend
        self.defaultResourcePlan = defaultResourcePlan
    }
}
