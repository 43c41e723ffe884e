/// `apiextensions.k8s.io/v1` CustomResourceDefinition (cluster-scoped).
public struct CustomResourceDefinition: KubernetesResource, Hashable {
    public static let apiVersion = "apiextensions.k8s.io/v1"
    public static let kind = "CustomResourceDefinition"
    public static let resource = "customresourcedefinitions"
    public static let isNamespaced = false

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var spec: CustomResourceDefinitionSpec
    public var status: CustomResourceDefinitionStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: CustomResourceDefinitionSpec,
                status: CustomResourceDefinitionStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// The `Established` condition is True: the API server serves the resource.
    public var isEstablished: Bool {
        status?.conditions?.contains { $0.type == "Established" && $0.status == "True" } ?? false
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceDefinitionSpec.
public struct CustomResourceDefinitionSpec: Codable, Sendable, Hashable {
    public var group: String
    public var names: CustomResourceDefinitionNames
    /// `Namespaced` or `Cluster`.
    public var scope: String
    public var versions: [CustomResourceDefinitionVersion]
    public var conversion: CustomResourceConversion?
    public var preserveUnknownFields: Bool?

    public init(group: String, names: CustomResourceDefinitionNames, scope: String,
                versions: [CustomResourceDefinitionVersion], conversion: CustomResourceConversion? = nil,
                preserveUnknownFields: Bool? = nil) {
        self.group = group
        self.names = names
        self.scope = scope
        self.versions = versions
        self.conversion = conversion
        self.preserveUnknownFields = preserveUnknownFields
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceDefinitionNames. In `status.acceptedNames` of a new CRD,
/// `plural` and `kind` are empty strings until the names are accepted.
public struct CustomResourceDefinitionNames: Codable, Sendable, Hashable {
    public var plural: String
    public var singular: String?
    public var shortNames: [String]?
    public var kind: String
    public var listKind: String?
    public var categories: [String]?

    public init(plural: String, singular: String? = nil, shortNames: [String]? = nil, kind: String,
                listKind: String? = nil, categories: [String]? = nil) {
        self.plural = plural
        self.singular = singular
        self.shortNames = shortNames
        self.kind = kind
        self.listKind = listKind
        self.categories = categories
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceDefinitionVersion.
public struct CustomResourceDefinitionVersion: Codable, Sendable, Hashable {
    public var name: String
    public var served: Bool
    public var storage: Bool
    public var deprecated: Bool?
    public var deprecationWarning: String?
    public var schema: CustomResourceValidation?
    public var subresources: CustomResourceSubresources?
    public var additionalPrinterColumns: [CustomResourceColumnDefinition]?
    public var selectableFields: [SelectableField]?

    public init(
        name: String, served: Bool, storage: Bool, deprecated: Bool? = nil, deprecationWarning: String? = nil,
        schema: CustomResourceValidation? = nil, subresources: CustomResourceSubresources? = nil,
        additionalPrinterColumns: [CustomResourceColumnDefinition]? = nil, selectableFields: [SelectableField]? = nil
    ) {
        self.name = name
        self.served = served
        self.storage = storage
        self.deprecated = deprecated
        self.deprecationWarning = deprecationWarning
        self.schema = schema
        self.subresources = subresources
        self.additionalPrinterColumns = additionalPrinterColumns
        self.selectableFields = selectableFields
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceValidation. The OpenAPI v3 schema stays a ``JSONValue``
/// (it is recursive and carries `x-kubernetes-*` extensions).
public struct CustomResourceValidation: Codable, Sendable, Hashable {
    public var openAPIV3Schema: JSONValue?

    public init(openAPIV3Schema: JSONValue? = nil) { self.openAPIV3Schema = openAPIV3Schema }
}

/// `apiextensions.k8s.io/v1` CustomResourceSubresources: `status` and `scale`.
public struct CustomResourceSubresources: Codable, Sendable, Hashable {
    public var status: CustomResourceSubresourceStatus?
    public var scale: CustomResourceSubresourceScale?

    public init(status: CustomResourceSubresourceStatus? = nil, scale: CustomResourceSubresourceScale? = nil) {
        self.status = status
        self.scale = scale
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceSubresourceStatus: always the empty object `{}`.
public struct CustomResourceSubresourceStatus: Codable, Sendable, Hashable {
    public init() {}
}

/// `apiextensions.k8s.io/v1` CustomResourceSubresourceScale: JSON paths of the replica fields.
public struct CustomResourceSubresourceScale: Codable, Sendable, Hashable {
    public var specReplicasPath: String
    public var statusReplicasPath: String
    public var labelSelectorPath: String?

    public init(specReplicasPath: String, statusReplicasPath: String, labelSelectorPath: String? = nil) {
        self.specReplicasPath = specReplicasPath
        self.statusReplicasPath = statusReplicasPath
        self.labelSelectorPath = labelSelectorPath
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceColumnDefinition: a printer column for `kubectl get`.
public struct CustomResourceColumnDefinition: Codable, Sendable, Hashable {
    public var name: String
    /// `integer`, `number`, `string`, `boolean` or `date`.
    public var type: String
    public var format: String?
    public var description: String?
    public var priority: Int32?
    public var jsonPath: String

    public init(name: String, type: String, jsonPath: String, format: String? = nil, description: String? = nil,
                priority: Int32? = nil) {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
        self.format = format
        self.description = description
        self.priority = priority
    }
}

/// `apiextensions.k8s.io/v1` SelectableField: a field usable in field selectors.
public struct SelectableField: Codable, Sendable, Hashable {
    public var jsonPath: String

    public init(jsonPath: String) { self.jsonPath = jsonPath }
}

/// `apiextensions.k8s.io/v1` CustomResourceConversion: `strategy` is `None` or `Webhook`.
public struct CustomResourceConversion: Codable, Sendable, Hashable {
    public var strategy: String
    public var webhook: WebhookConversion?

    public init(strategy: String, webhook: WebhookConversion? = nil) {
        self.strategy = strategy
        self.webhook = webhook
    }
}

/// `apiextensions.k8s.io/v1` WebhookConversion.
public struct WebhookConversion: Codable, Sendable, Hashable {
    public var clientConfig: WebhookClientConfig?
    public var conversionReviewVersions: [String]

    public init(clientConfig: WebhookClientConfig? = nil, conversionReviewVersions: [String]) {
        self.clientConfig = clientConfig
        self.conversionReviewVersions = conversionReviewVersions
    }
}

/// `apiextensions.k8s.io/v1` WebhookClientConfig: a `url` or an in-cluster `service`.
public struct WebhookClientConfig: Codable, Sendable, Hashable {
    public var url: String?
    public var service: ServiceReference?
    /// PEM bundle, base64 in JSON; kept as that text.
    public var caBundle: String?

    public init(url: String? = nil, service: ServiceReference? = nil, caBundle: String? = nil) {
        self.url = url
        self.service = service
        self.caBundle = caBundle
    }
}

/// `apiextensions.k8s.io/v1` ServiceReference.
public struct ServiceReference: Codable, Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var path: String?
    public var port: Int32?

    public init(namespace: String, name: String, path: String? = nil, port: Int32? = nil) {
        self.namespace = namespace
        self.name = name
        self.path = path
        self.port = port
    }
}

/// `apiextensions.k8s.io/v1` CustomResourceDefinitionStatus. A just-created CRD has
/// `conditions: null`, which re-encodes as null (see ``ExplicitNull``). Conditions (`NamesAccepted`,
/// `Established`, …) use the ``Condition`` shape.
public struct CustomResourceDefinitionStatus: Codable, Sendable, Hashable {
    @ExplicitNull public var conditions: [Condition]?
    public var acceptedNames: CustomResourceDefinitionNames?
    public var storedVersions: [String]?

    public init(conditions: [Condition]? = nil, acceptedNames: CustomResourceDefinitionNames? = nil,
                storedVersions: [String]? = nil) {
        self.conditions = conditions
        self.acceptedNames = acceptedNames
        self.storedVersions = storedVersions
    }
}
