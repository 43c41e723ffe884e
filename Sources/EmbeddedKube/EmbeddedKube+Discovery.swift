import Foundation
import KubeModel

/// `/api`, `/apis`, `/apis/{group}`, `/api/v1`, `/apis/{group}/{version}`, in both the legacy form
/// and the aggregated `apidiscovery.k8s.io/v2` form kubectl 1.32 asks for.
extension EmbeddedKube {
    static let aggregatedMediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// Whether the Accept header asks for aggregated discovery we can give (v2). Throws 406 when it
    /// asks only for a form we don't serve (v2beta1 alone, as v1.36 does).
    func wantsAggregated(_ accept: String) throws -> Bool {
        let options = accept.split(separator: ",").map { $0.replacingOccurrences(of: " ", with: "") }
        var sawOther = false
        for option in options {
            if option.contains("as=APIGroupDiscoveryList") {
                if option.contains("v=v2;") || option.hasSuffix("v=v2") { return true }
            } else {
                sawOther = true
            }
        }
        if !sawOther && !options.isEmpty && !accept.isEmpty {
            throw APIServerError.notAcceptable(
                "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
        return false
    }

    func discoveryAPI(_ request: APIRequest) throws -> APIResponse {
        if try wantsAggregated(request.accept) {
            return aggregated(groups: [""])
        }
        return .json([
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ])
    }

    func discoveryAPIs(_ request: APIRequest) throws -> APIResponse {
        let groups = orderedGroups()
        if try wantsAggregated(request.accept) {
            return aggregated(groups: groups)
        }
        return .json([
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(groups.map { groupDocument($0) }),
        ])
    }

    func discoveryGroup(_ group: String, request: APIRequest) throws -> APIResponse {
        guard registry.groupExists(group), !group.isEmpty else { throw APIServerError.pathNotFound() }
        var doc = groupDocument(group)
        doc["kind"] = "APIGroup"
        doc["apiVersion"] = "v1"
        return .json(doc)
    }

    func discoveryGroupVersion(group: String, version: String, request: APIRequest) throws -> APIResponse {
        let descriptors = registry.all.filter { $0.group == group && $0.version == version }
        guard !descriptors.isEmpty else { throw APIServerError.pathNotFound() }
        var resources: [JSONValue] = []
        for d in descriptors.sorted(by: { $0.plural < $1.plural }) {
            var r: JSONValue = [
                "name": .string(d.plural), "singularName": .string(d.singular), "namespaced": .bool(d.namespaced),
                "kind": .string(d.kind), "verbs": .array(d.verbs.map { .string($0) }),
            ]
            if !d.shortNames.isEmpty { r["shortNames"] = .array(d.shortNames.map { .string($0) }) }
            if !d.categories.isEmpty { r["categories"] = .array(d.categories.map { .string($0) }) }
            resources.append(r)
            if d.hasStatus {
                resources.append([
                    "name": .string(d.plural + "/status"), "singularName": "", "namespaced": .bool(d.namespaced),
                    "kind": .string(d.kind), "verbs": ["get", "patch", "update"],
                ])
            }
            if d.scale != nil {
                resources.append([
                    "name": .string(d.plural + "/scale"), "singularName": "", "namespaced": .bool(d.namespaced),
                    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"],
                ])
            }
        }
        return .json([
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources),
        ])
    }

    var serverAddress: String { "\(configuration.host):\(configuration.port)" }

    private func orderedGroups() -> [String] {
        var groups: [String] = []
        for d in registry.all where !d.group.isEmpty && !groups.contains(d.group) { groups.append(d.group) }
        return groups
    }

    private func groupDocument(_ group: String) -> JSONValue {
        let versions = registry.versions(of: group)
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return [
            "name": .string(group), "versions": .array(entries),
            "preferredVersion": entries.first ?? .null,
        ]
    }

    private func aggregated(groups: [String]) -> APIResponse {
        var items: [JSONValue] = []
        for group in groups {
            var versions: [JSONValue] = []
            for version in registry.versions(of: group) {
                let descriptors = registry.all.filter { $0.group == group && $0.version == version }.sorted { $0.plural < $1.plural }
                let resources: [JSONValue] = descriptors.map { d in
                    let kindRef: JSONValue = d.isCustom
                        ? ["group": .string(d.group), "version": .string(d.version), "kind": .string(d.kind)]
                        : ["group": "", "version": "", "kind": .string(d.kind)]
                    var r: JSONValue = [
                        "resource": .string(d.plural), "responseKind": kindRef,
                        "scope": d.namespaced ? "Namespaced" : "Cluster", "singularResource": .string(d.singular),
                        "verbs": .array(d.verbs.map { .string($0) }),
                    ]
                    if !d.shortNames.isEmpty { r["shortNames"] = .array(d.shortNames.map { .string($0) }) }
                    if !d.categories.isEmpty { r["categories"] = .array(d.categories.map { .string($0) }) }
                    var subresources: [JSONValue] = []
                    if d.isNamespace {
                        subresources.append(["subresource": "finalize", "responseKind": kindRef, "verbs": ["update"]])
                    }
                    if d.scale != nil {
                        subresources.append([
                            "subresource": "scale",
                            "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                            "verbs": ["get", "patch", "update"],
                        ])
                    }
                    if d.hasStatus {
                        subresources.append(["subresource": "status", "responseKind": kindRef, "verbs": ["get", "patch", "update"]])
                    }
                    if !subresources.isEmpty { r["subresources"] = .array(subresources) }
                    return r
                }
                versions.append(["version": .string(version), "resources": .array(resources), "freshness": "Current"])
            }
            var metadata: JSONValue = .emptyObject
            if !group.isEmpty { metadata["name"] = .string(group) }
            items.append(["metadata": metadata, "versions": .array(versions)])
        }
        let document: JSONValue = [
            "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject,
            "items": .array(items),
        ]
        var response = APIResponse.json(document)
        response.contentType = Self.aggregatedMediaType
        return response
    }
}
