import Foundation
import Testing

@testable import KubeRuntime

@Suite struct KubeConfigurationTests {
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://dev.example:6443/
            certificate-authority-data: \(Data("CA-PEM".utf8).base64EncodedString())
        - name: lab-cluster
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority: certs/ca.crt
        - name: insecure-cluster
          cluster:
            server: http://127.0.0.1:8080
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context: {cluster: dev-cluster, user: token-user, namespace: team-a}
        - name: lab
          context: {cluster: lab-cluster, user: cert-user}
        - name: files
          context: {cluster: lab-cluster, user: file-user}
        - name: insecure
          context: {cluster: insecure-cluster, user: token-file-user}
        - name: eks
          context: {cluster: dev-cluster, user: exec-user}
        - name: gke
          context: {cluster: dev-cluster, user: gcp-user}
        - name: broken
          context: {cluster: nowhere, user: token-user}
        users:
        - name: token-user
          user: {token: abc123}
        - name: cert-user
          user:
            client-certificate-data: \(Data("CERT-PEM".utf8).base64EncodedString())
            client-key-data: \(Data("KEY-PEM".utf8).base64EncodedString())
        - name: file-user
          user: {client-certificate: certs/client.crt, client-key: /abs/client.key}
        - name: token-file-user
          user: {tokenFile: token}
        - name: exec-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: aws
              args: [eks, get-token]
        - name: gcp-user
          user:
            auth-provider: {name: gcp}
        """

    @Test func currentContextWithTokenAndCAData() throws {
        let c = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, baseDirectory: "/nonexistent")
        #expect(c.server == "https://dev.example:6443")
        #expect(c.certificateAuthority == Array("CA-PEM".utf8))
        #expect(c.credentials.bearerToken == "abc123")
        #expect(c.namespace == "team-a")
        #expect(!c.insecureSkipTLSVerify)
    }

    @Test func namedContextWithClientCertificateDataAndCAFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/certs", withIntermediateDirectories: true)
        try writeFile(dir + "/certs/ca.crt", "CA-FROM-FILE")
        let c = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, context: "lab", baseDirectory: dir)
        #expect(c.server == "https://10.0.0.1:6443")
        #expect(c.certificateAuthority == Array("CA-FROM-FILE".utf8))
        #expect(c.credentials.clientCertificate == .init(certificatePEM: Array("CERT-PEM".utf8), privateKeyPEM: Array("KEY-PEM".utf8)))
        #expect(c.credentials.bearerToken == nil)
        #expect(c.namespace == "default")
    }

    @Test func relativePathsResolveAgainstTheKubeconfigDirectory() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/certs", withIntermediateDirectories: true)
        try writeFile(dir + "/certs/ca.crt", "CA")
        try writeFile(dir + "/certs/client.crt", "CLIENT-CERT")
        // The key path is absolute and missing: a clear error naming it.
        let error = #expect(throws: KubeConfigurationError.fileUnreadable) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, context: "files", baseDirectory: dir)
        }
        #expect(error?.message.contains("/abs/client.key") == true)

        try writeFile(dir + "/token", "file-token\n")
        try writeFile(dir + "/config", Self.kubeconfig)
        let c = try KubeConfiguration.fromKubeconfigFile(path: dir + "/config", context: "insecure")
        #expect(c.credentials.bearerTokenFile == dir + "/token")
        #expect(c.insecureSkipTLSVerify)
        #expect(c.server == "http://127.0.0.1:8080")
    }

    @Test func missingContextClusterAndExecPluginsAreClearErrors() {
        let missing = #expect(throws: KubeConfigurationError.contextNotFound) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, context: "prod", baseDirectory: "/")
        }
        #expect(missing?.message == #"context "prod" not found in the kubeconfig"#)
        #expect(throws: KubeConfigurationError.clusterNotFound) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, context: "broken", baseDirectory: "/")
        }
        let exec = #expect(throws: KubeConfigurationError.unsupportedAuthPlugin) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, context: "eks", baseDirectory: "/")
        }
        #expect(exec?.message == "exec credential plugins are not supported (user exec-user)")
        #expect(throws: KubeConfigurationError.unsupportedAuthPlugin) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: Self.kubeconfig, context: "gke", baseDirectory: "/")
        }
        #expect(throws: KubeConfigurationError.noCurrentContext) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: "apiVersion: v1\nkind: Config\n", baseDirectory: "/")
        }
        #expect(throws: KubeConfigurationError.invalidKubeconfig) {
            _ = try KubeConfiguration.fromKubeconfig(yaml: "clusters: 12\n", baseDirectory: "/")
        }
    }

    @Test func inClusterFromEnvironmentAndServiceAccountFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/token", "sa-token\n")
        try writeFile(dir + "/ca.crt", "CLUSTER-CA")
        try writeFile(dir + "/namespace", "quiver-system\n")
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let c = try KubeConfiguration.inCluster(environment: env, serviceAccountDirectory: dir)
        #expect(c.server == "https://10.96.0.1:443")
        #expect(c.credentials.bearerTokenFile == dir + "/token")
        #expect(c.certificateAuthority == Array("CLUSTER-CA".utf8))
        #expect(c.namespace == "quiver-system")

        let v6 = try KubeConfiguration.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"], serviceAccountDirectory: dir)
        #expect(v6.server == "https://[fd00::1]:6443")

        let error = #expect(throws: KubeConfigurationError.notInCluster) {
            _ = try KubeConfiguration.inCluster(environment: [:], serviceAccountDirectory: dir)
        }
        #expect(error?.message.contains("KUBERNETES_SERVICE_HOST") == true)
        #expect(throws: KubeConfigurationError.fileUnreadable) {
            _ = try KubeConfiguration.inCluster(environment: env, serviceAccountDirectory: dir + "/missing")
        }
    }

    @Test func tokenFileCacheReReadsAfterTheIntervalOrInvalidation() {
        let t0 = ContinuousClock.now
        var cache = TokenFileCache(path: "/token", refreshInterval: .seconds(60))
        #expect(cache.needsRead(now: t0))
        do { let v = cache.record(token: "one", at: t0); #expect(v) }
        #expect(!cache.needsRead(now: t0.advanced(by: .seconds(59))))
        #expect(cache.needsRead(now: t0.advanced(by: .seconds(60))))
        do { let v = cache.record(token: "one", at: t0.advanced(by: .seconds(60))); #expect(!v) }
        cache.invalidate()
        #expect(cache.needsRead(now: t0.advanced(by: .seconds(61))))
        do { let v = cache.record(token: "two", at: t0.advanced(by: .seconds(61))); #expect(v) }
        #expect(cache.token == "two")
    }

    @Test func credentialProviderFollowsARotatedTokenFile() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/token", "first\n")
        let provider = CredentialProvider(credentials: .init(bearerTokenFile: dir + "/token"), refreshInterval: .milliseconds(100))
        #expect(try await provider.authorization() == "Bearer first")
        try writeFile(dir + "/token", "second\n")
        #expect(try await provider.authorization() == "Bearer first")  // cached within the interval
        try await Task.sleep(for: .milliseconds(120))
        #expect(try await provider.authorization() == "Bearer second")
        try writeFile(dir + "/token", "third\n")
        #expect(await provider.refreshAfterUnauthorized())
        #expect(try await provider.authorization() == "Bearer third")
        #expect(await !provider.refreshAfterUnauthorized())
    }

    @Test func tlsMaterialIsValidated() {
        var c = KubeConfiguration(server: "https://example:6443", certificateAuthority: Array("not a certificate".utf8))
        #expect(throws: KubeConfigurationError.invalidTLSMaterial) { _ = try KubeClient.makeTLSConfiguration(c) }
        c.insecureSkipTLSVerify = true
        #expect((try? KubeClient.makeTLSConfiguration(c)) != nil)
        #expect((try? KubeClient.makeTLSConfiguration(KubeConfiguration(server: "http://x"))) ?? nil == nil)
    }
}
