import Crypto
import Foundation
import SwiftASN1
import X509

/// The serving certificate of EmbeddedKube: a private CA (its certificate goes into the
/// kubeconfig as certificate-authority-data) and a server certificate for 127.0.0.1 and
/// localhost signed by it. kubectl sends bearer tokens only over TLS, so the server speaks HTTPS.
public struct TLSMaterial: Sendable, Hashable {
    public var caCertificatePEM: String
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(caCertificatePEM: String, certificatePEM: String, privateKeyPEM: String) {
        self.caCertificatePEM = caCertificatePEM
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// A new CA and server certificate, valid for ten years.
    public static func generate(hosts: [String] = ["127.0.0.1", "localhost"]) throws -> TLSMaterial {
        let now = Date()
        let caKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let caName = try DistinguishedName { CommonName("quiver-apiserver-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 10 * 365 * 86400, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            },
            issuerPrivateKey: caKey)
        let serverKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let serverName = try DistinguishedName { CommonName("quiver-apiserver") }
        var names: [GeneralName] = []
        for host in hosts {
            if let address = IPv4Address(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address))))
            } else {
                names.append(.dnsName(host))
            }
        }
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: serverKey.publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 10 * 365 * 86400, issuer: caName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: caKey)
        return TLSMaterial(
            caCertificatePEM: try ca.serializeAsPEM().pemString,
            certificatePEM: try server.serializeAsPEM().pemString,
            privateKeyPEM: try serverKey.serializeAsPEM().pemString)
    }

    /// Loads the material kept in `directory`, or generates and keeps it there.
    public static func loadOrGenerate(directory: String) throws -> TLSMaterial {
        let ca = (directory as NSString).appendingPathComponent("ca.crt")
        let cert = (directory as NSString).appendingPathComponent("tls.crt")
        let key = (directory as NSString).appendingPathComponent("tls.key")
        if let c = try? String(contentsOfFile: ca, encoding: .utf8), let s = try? String(contentsOfFile: cert, encoding: .utf8),
           let k = try? String(contentsOfFile: key, encoding: .utf8) {
            return TLSMaterial(caCertificatePEM: c, certificatePEM: s, privateKeyPEM: k)
        }
        let material = try generate()
        try material.caCertificatePEM.write(toFile: ca, atomically: true, encoding: .utf8)
        try material.certificatePEM.write(toFile: cert, atomically: true, encoding: .utf8)
        try material.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return material
    }
}

/// Four bytes of a dotted IPv4 address.
private func IPv4Address(_ text: String) -> [UInt8]? {
    let parts = text.split(separator: ".")
    guard parts.count == 4 else { return nil }
    var out: [UInt8] = []
    for p in parts {
        guard let v = UInt8(p) else { return nil }
        out.append(v)
    }
    return out
}
