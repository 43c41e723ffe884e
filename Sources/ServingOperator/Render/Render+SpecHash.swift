import Crypto
import KubeModel

/// The `quiver.dev/spec-hash`: hex SHA-256 of the canonical JSON (sorted keys) of the rendered
/// InferenceService before the hash is added, the ResourcePlan and the options that shape the
/// native objects. Equal hashes mean equal rendered objects, so Sync can skip rewriting them.
enum SpecHash {
    static func compute(inferenceService: JSONValue, plan: JSONValue, options: RenderOptions) -> String {
        let document: JSONValue = [
            "inferenceService": inferenceService,
            "resourcePlan": plan,
            "options": [
                "backend": .string(options.backend.rawValue),
                "storageInitializerImage": .string(options.storageInitializerImage),
            ],
        ]
        let digest = SHA256.hash(data: document.serialized())
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
