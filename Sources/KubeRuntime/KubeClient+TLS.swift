import NIOSSL

extension KubeClient {
    /// The TLS settings of an `https` server: custom CA trust roots (else the system's), a client
    /// certificate and key, or no verification at all. `nil` for plain `http`.
    static func makeTLSConfiguration(_ configuration: KubeConfiguration) throws -> TLSConfiguration? {
        guard configuration.server.lowercased().hasPrefix("https:") else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = configuration.certificateAuthority {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMBytes(ca)
            } catch {
                throw KubeConfigurationError.invalidTLSMaterial("the certificate authority is not valid PEM: \(error)")
            }
            guard !certificates.isEmpty else {
                throw KubeConfigurationError.invalidTLSMaterial("the certificate authority holds no certificate")
            }
            tls.trustRoots = .certificates(certificates)
        }
        if let client = configuration.credentials.clientCertificate {
            do {
                let chain = try NIOSSLCertificate.fromPEMBytes(client.certificatePEM)
                guard !chain.isEmpty else {
                    throw KubeConfigurationError.invalidTLSMaterial("the client certificate holds no certificate")
                }
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: client.privateKeyPEM, format: .pem))
            } catch let error as KubeConfigurationError {
                throw error
            } catch {
                throw KubeConfigurationError.invalidTLSMaterial("the client certificate or key is not valid PEM: \(error)")
            }
        }
        return tls
    }
}
