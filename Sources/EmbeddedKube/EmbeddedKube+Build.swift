import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import KubeModel
import Logging
import NIOCore
import ServiceLifecycle

/// Builds EmbeddedKube's HTTP application: opens (or creates) the store, and once listening
/// writes an admin kubeconfig to `DIR/kubeconfig` that kubectl uses as is. `main` and the tests
/// both call this.
public func buildEmbeddedKube(
    configuration: EmbeddedKubeConfiguration,
    logger: Logger = Logger(label: "quiver-apiserver"),
    onServerRunning: @escaping @Sendable (_ port: Int, _ server: EmbeddedKube) async -> Void = { _, _ in }
) async throws -> some ApplicationProtocol {
    var persistence: Persistence?
    var loaded = Persistence.Loaded(objects: [:], resourceVersion: 1)
    var adminToken = configuration.adminToken
    if let directory = configuration.dataDirectory {
        let (p, l) = try await Persistence.open(directory: directory, logger: logger)
        persistence = p
        loaded = l
        if adminToken == nil {
            let tokenPath = (directory as NSString).appendingPathComponent("admin-token")
            if let existing = try? String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !existing.isEmpty {
                adminToken = existing
            } else {
                let token = (0..<2).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }.joined()
                try token.write(toFile: tokenPath, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenPath)
                adminToken = token
            }
        }
    }
    let token = adminToken ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let store = ObjectStore(
        persistence: persistence, loaded: loaded.objects, resourceVersion: loaded.resourceVersion,
        historyLimit: configuration.watchHistoryLimit)
    var tls: TLSMaterial?
    if configuration.useTLS {
        if let material = configuration.tlsMaterial {
            tls = material
        } else if let directory = configuration.dataDirectory {
            tls = try TLSMaterial.loadOrGenerate(directory: directory)
        } else {
            tls = try TLSMaterial.generate()
        }
    }
    let server = EmbeddedKube(configuration: configuration, store: store, adminToken: token, tls: tls, logger: logger)
    var serverBuilder: HTTPServerBuilder = .http1()
    if let tls {
        let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(tls.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)))
        serverBuilder = try .tls(.http1(), tlsConfiguration: tlsConfiguration)
    }
    let servingTLS = tls
    var services: [any ServiceLifecycle.Service] = [ControllerService(server: server)]
    if let persistence { services.append(PersistenceService(persistence: persistence)) }
    return Application(
        responder: EmbeddedKubeResponder(server: server),
        server: serverBuilder,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "quiver-apiserver"),
        services: services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            if let directory = configuration.dataDirectory {
                do {
                    try writeKubeconfig(directory: directory, host: configuration.host, port: port, token: token, tls: servingTLS)
                } catch {
                    logger.error("could not write the kubeconfig", metadata: ["error": "\(error)"])
                }
            }
            logger.info("EmbeddedKube listening", metadata: ["address": "\(servingTLS == nil ? "http" : "https")://\(configuration.host):\(port)"])
            await onServerRunning(port, server)
        },
        logger: logger
    )
}

/// An admin kubeconfig for the server with a bearer token (and the CA, over HTTPS).
public func kubeconfigYAML(host: String, port: Int, token: String, tls: TLSMaterial?) -> String {
    let cluster = tls.map { "server: https://\(host):\(port)\n    certificate-authority-data: \(Data($0.caCertificatePEM.utf8).base64EncodedString())" }
        ?? "server: http://\(host):\(port)"
    return """
    apiVersion: v1
    kind: Config
    clusters:
    - name: quiver
      cluster:
        \(cluster)
    users:
    - name: quiver-admin
      user:
        token: \(token)
    contexts:
    - name: quiver
      context:
        cluster: quiver
        user: quiver-admin
        namespace: default
    current-context: quiver

    """
}

func writeKubeconfig(directory: String, host: String, port: Int, token: String, tls: TLSMaterial?) throws {
    let path = (directory as NSString).appendingPathComponent("kubeconfig")
    try kubeconfigYAML(host: host, port: port, token: token, tls: tls).write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
}

/// Runs the in-process controllers (CRD establishment, garbage collection, namespace deletion)
/// and makes sure the `default` namespace and the bootstrap RBAC policy exist.
struct ControllerService: ServiceLifecycle.Service {
    let server: EmbeddedKube

    func run() async throws {
        await server.ensureDefaultNamespaces()
        await server.ensureBootstrapPolicy()
        // Like kube-apiserver, which compacts etcd every 5 minutes: bootstrap writes are compacted
        // at once, and later history after 5 minutes.
        server.store.compact(olderThan: .zero)
        let compactor = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                server.store.compact(olderThan: .seconds(300))
            }
        }
        defer { compactor.cancel() }
        await withTaskCancellationOrGracefulShutdownHandler {
            await server.runControllers(server.controllerWork)
        } onCancelOrGracefulShutdown: {
            server.controllerQueue.finish()
        }
    }
}

/// Commits writes to SQLite; on shutdown, finishes what is pending and closes the database.
struct PersistenceService: ServiceLifecycle.Service {
    let persistence: Persistence

    func run() async throws {
        // Commit what is pending, then close: the HTTP server has stopped taking requests by now.
        await withTaskCancellationOrGracefulShutdownHandler {
            await persistence.run()
        } onCancelOrGracefulShutdown: {
            persistence.finish()
        }
        await persistence.close()
    }
}

/// The HTTP edge: authentication, body limits, and translation to and from `APIRequest`/`APIResponse`.
struct EmbeddedKubeResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let server: EmbeddedKube

    func respond(to request: Request, context: Context) async throws -> Response {
        // The raw query, form-decoded as Go's url.ParseQuery does ('+' is a space).
        var query: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            query[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        var user = UserInfo.anonymous
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  let known = server.authenticate(token: String(parts[1]).trimmingCharacters(in: .whitespaces))
            else {
                return Self.response(.error(.unauthorized))
            }
            user = known
        }
        let impersonation = EmbeddedKube.Impersonation(
            user: request.headers[HTTPField.Name("Impersonate-User")!],
            groups: request.headers[values: HTTPField.Name("Impersonate-Group")!],
            uid: request.headers[HTTPField.Name("Impersonate-Uid")!])
        do {
            user = try server.impersonate(user, impersonation)
        } catch let error as APIServerError {
            return Self.response(.error(error))
        }
        var body: [UInt8] = []
        if request.method != .get && request.method != .head {
            do {
                let buffer = try await request.body.collect(upTo: server.configuration.maxRequestBodyBytes)
                body = Array(buffer.readableBytesView)
            } catch {
                return Self.response(.error(.requestEntityTooLarge(limit: server.configuration.maxRequestBodyBytes)), close: true)
            }
        }
        let apiRequest = APIRequest(
            method: request.method.rawValue, path: path, query: query,
            accept: request.headers[.accept] ?? "", contentType: request.headers[.contentType] ?? "",
            userAgent: request.headers[.userAgent] ?? "", user: user, body: body)
        return Self.response(await server.handle(apiRequest))
    }

    static func response(_ r: APIResponse, close: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = r.contentType
        for (name, value) in r.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        if close { headers[.connection] = "close" }
        let status = HTTPResponse.Status(code: r.status)
        switch r.body {
        case .bytes(let bytes):
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let stream):
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: stream.lines.map { ByteBuffer(bytes: $0) }))
        }
    }
}

extension EmbeddedKube {
    /// `default`, `kube-system` and `kube-public` exist on every cluster.
    func ensureDefaultNamespaces() async {
        guard let d = registry.lookup(group: "", version: "v1", plural: "namespaces") else { return }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] where store.get(d.storageKey, key: name) == nil {
            let request = APIRequest(
                method: "POST", path: "/api/v1/namespaces", query: [:], accept: "application/json",
                contentType: "application/json", userAgent: "quiver-apiserver", user: UserInfo(name: "system:apiserver", uid: "", groups: ["system:masters"]),
                body: (["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]] as JSONValue).serialized())
            _ = await handle(request)
        }
    }
}
