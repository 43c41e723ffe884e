import KubeModel

/// The model download: when the serving container has a `STORAGE_URI` environment variable (or the
/// predictor a `storageUri`), the pod gets an init container running
/// `quiver storage-init --uri <uri> --dest /mnt/models`, an emptyDir volume `quiver-models` mounted
/// at `/mnt/models` in the init container (read-write) and in the serving container (read-only).
/// `STORAGE_URI` stays in the serving container's environment, as KServe leaves it.
enum StorageInitializer {
    static let containerName = "storage-initializer"
    static let volumeName = "quiver-models"
    static let mountPath = "/mnt/models"

    /// The URI to fetch: the serving container's `STORAGE_URI`, else the predictor's `storageUri`.
    static func storageURI(predictor: JSONValue) -> String? {
        if let env = predictor["containers"]?.arrayValue?.first?["env"]?.arrayValue {
            for variable in env where variable["name"]?.stringValue == "STORAGE_URI" {
                if let value = variable["value"]?.stringValue, !value.isEmpty { return value }
            }
        }
        if let uri = predictor["storageUri"]?.stringValue, !uri.isEmpty { return uri }
        return nil
    }

    /// Adds the init container, volume and mounts to `podSpec`, whose first container serves.
    static func add(uri: String, to podSpec: inout JSONValue, plan: (cpu: String, memory: String),
                    image: String, objectStore: ObjectStoreSecret?) throws(RenderError) {
        var volumes = podSpec["volumes"]?.arrayValue ?? []
        if volumes.contains(where: { $0["name"]?.stringValue == volumeName }) {
            throw .unsupportedPredictor("spec.template.spec.predictor.volumes already has a volume named \(volumeName), which quiver uses for the model", field: "spec.template.spec.predictor.volumes")
        }
        guard var containers = podSpec["containers"]?.arrayValue, var serving = containers.first else {
            throw .unsupportedPredictor("spec.template.spec.predictor has no containers", field: "spec.template.spec.predictor.containers")
        }
        var mounts = serving["volumeMounts"]?.arrayValue ?? []
        if mounts.contains(where: { $0["mountPath"]?.stringValue == mountPath }) {
            throw .unsupportedPredictor("spec.template.spec.predictor.containers[0] already mounts \(mountPath), where quiver puts the model", field: "spec.template.spec.predictor.containers[0].volumeMounts")
        }
        mounts.append(["name": .string(volumeName), "mountPath": .string(mountPath), "readOnly": true])
        serving["volumeMounts"] = .array(mounts)
        containers[0] = serving
        podSpec["containers"] = .array(containers)
        volumes.append(["name": .string(volumeName), "emptyDir": .emptyObject])
        podSpec["volumes"] = .array(volumes)

        var initContainer: JSONValue = [
            "name": .string(containerName),
            "image": .string(image),
            "command": ["quiver", "storage-init"],
            "args": ["--uri", .string(uri), "--dest", .string(mountPath)],
            "resources": [
                "requests": ["cpu": .string(plan.cpu), "memory": .string(plan.memory)],
                "limits": ["cpu": .string(plan.cpu), "memory": .string(plan.memory)],
            ],
            "volumeMounts": [["name": .string(volumeName), "mountPath": .string(mountPath)]],
        ]
        if let objectStore {
            var env: [JSONValue] = []
            if let endpoint = objectStore.endpoint, !endpoint.isEmpty {
                env.append(["name": "AWS_ENDPOINT_URL", "value": .string(endpoint)])
            }
            if let region = objectStore.region, !region.isEmpty {
                env.append(["name": "AWS_REGION", "value": .string(region)])
            }
            if !env.isEmpty { initContainer["env"] = .array(env) }
            if let secret = objectStore.credentialsSecretName, !secret.isEmpty {
                initContainer["envFrom"] = [["secretRef": ["name": .string(secret)]]]
            }
        }
        var initContainers = podSpec["initContainers"]?.arrayValue ?? []
        if initContainers.contains(where: { $0["name"]?.stringValue == containerName }) {
            throw .unsupportedPredictor("spec.template.spec.predictor.initContainers already has a container named \(containerName)", field: "spec.template.spec.predictor.initContainers")
        }
        initContainers.insert(initContainer, at: 0)
        podSpec["initContainers"] = .array(initContainers)
    }
}
