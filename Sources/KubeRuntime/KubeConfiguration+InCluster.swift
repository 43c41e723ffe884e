import Foundation

extension KubeConfiguration {
    /// The configuration of a pod talking to its own cluster, as client-go's `rest.InClusterConfig`:
    /// `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` (an IPv6 host is bracketed), the
    /// service-account token (re-read as it rotates), `ca.crt`, and `namespace` as the default namespace.
    ///
    /// The environment is passed in: libraries never read it themselves.
    public static func inCluster(
        environment: [String: String],
        serviceAccountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    ) throws -> KubeConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubeConfigurationError.notInCluster(
                "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        guard let portNumber = Int(port), (1...65535).contains(portNumber) else {
            throw KubeConfigurationError.invalidServer("KUBERNETES_SERVICE_PORT \"\(port)\" is not a port number")
        }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let tokenPath = resolve("token", against: serviceAccountDirectory)
        let token = try readFile(tokenPath)
        guard !String(decoding: token, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw KubeConfigurationError.fileUnreadable("the service-account token \(tokenPath) is empty")
        }
        var configuration = KubeConfiguration(server: "https://\(hostPart):\(portNumber)")
        configuration.credentials.bearerTokenFile = tokenPath
        configuration.certificateAuthority = try readFile(resolve("ca.crt", against: serviceAccountDirectory))
        let namespacePath = resolve("namespace", against: serviceAccountDirectory)
        if let data = FileManager.default.contents(atPath: namespacePath) {
            let namespace = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !namespace.isEmpty { configuration.namespace = namespace }
        }
        return configuration
    }
}
