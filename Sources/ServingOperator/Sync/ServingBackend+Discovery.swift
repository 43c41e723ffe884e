import KubeModel
import KubeRuntime

/// `--serving-backend`: a backend, or `auto` (KServe when its InferenceService kind is served).
public enum ServingBackendChoice: String, Sendable, Hashable, CaseIterable {
    case auto
    case native
    case kserve
}

extension ServingBackend {
    /// The backend `choice` means on the cluster `client` talks to. `auto` picks KServe when
    /// `inferenceservices.serving.kserve.io` is served, else native; `kserve` without that kind
    /// is an error that says how to install it.
    public static func resolve(_ choice: ServingBackendChoice, client: KubeClient, namespace: String?) async throws -> ServingBackend {
        if choice == .native { return .native }
        let served: Bool
        do {
            _ = try await client.list(OperatorResources.inferenceServices, namespace: namespace, options: ListOptions(limit: 1))
            served = true
        } catch let error as KubeAPIError where error.isNotFound {
            served = false
        }
        switch (choice, served) {
        case (_, true): return .kserve
        case (.kserve, false):
            throw ServingBackendError(
                "--serving-backend kserve: the cluster does not serve inferenceservices.serving.kserve.io/v1beta1; install KServe or use --serving-backend native")
        default: return .native
        }
    }
}

public struct ServingBackendError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
