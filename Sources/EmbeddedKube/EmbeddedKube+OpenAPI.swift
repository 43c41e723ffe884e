import KubeModel

/// `/openapi/v3` (the index kubectl apply reads first) and one document per group-version. Custom
/// resources get their structural schema with `x-kubernetes-group-version-kind`, so kubectl knows
/// them; built-in documents list their paths only, and kubectl falls back to its compiled-in
/// types for their patch strategy.
extension EmbeddedKube {
    func openAPI(_ request: APIRequest, segments: [String]) throws -> APIResponse {
        guard let version = segments.first else { throw APIServerError.pathNotFound() }
        if version == "v2" {
            // Only the protobuf form is asked for by kubectl; we do not serve OpenAPI v2.
            throw APIServerError.pathNotFound()
        }
        guard version == "v3" else { throw APIServerError.pathNotFound() }
        let rest = Array(segments.dropFirst())
        if rest.isEmpty {
            var paths: [String: JSONValue] = [:]
            for key in groupVersionKeys() {
                let doc = openAPIDocument(key)
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(Self.hash(doc.serialized()))")]
            }
            var response = APIResponse.json(["paths": .object(paths)])
            response.contentType = "text/plain; charset=utf-8"
            return response
        }
        let key = rest.joined(separator: "/")
        guard groupVersionKeys().contains(key) else { throw APIServerError.pathNotFound() }
        var response = APIResponse.json(openAPIDocument(key))
        if request.query["hash"] != nil {
            response.headers.append(("Cache-Control", "public, immutable"))
        } else {
            response.headers.append(("Cache-Control", "no-cache, private"))
        }
        return response
    }

    private func groupVersionKeys() -> [String] {
        var keys: [String] = []
        for d in registry.all {
            let key = d.group.isEmpty ? "api/\(d.version)" : "apis/\(d.group)/\(d.version)"
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    func openAPIDocument(_ key: String) -> JSONValue {
        let descriptors = registry.all.filter { d in
            (d.group.isEmpty ? "api/\(d.version)" : "apis/\(d.group)/\(d.version)") == key
        }
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [:]
        for d in descriptors {
            let prefix = d.group.isEmpty ? "/api/\(d.version)" : "/apis/\(d.group)/\(d.version)"
            let collection = d.namespaced ? "\(prefix)/namespaces/{namespace}/\(d.plural)" : "\(prefix)/\(d.plural)"
            let schemaName = Self.schemaName(d)
            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName)")]
            let content: JSONValue = ["application/json": ["schema": ref]]
            // kubectl looks for the kind on the PATCH operation and for the fieldValidation query
            // parameter there before it sends fieldValidation=Strict. Only merge, JSON and apply
            // patches are listed: kubectl then computes strategic patches for built-ins from its
            // own compiled-in types, and merge patches for custom resources.
            let gvk: JSONValue = ["group": .string(d.group), "version": .string(d.version), "kind": .string(d.kind)]
            let writeParameters: JSONValue = .array(["dryRun", "fieldManager", "fieldValidation"].map { name in
                ["name": .string(name), "in": "query", "schema": ["type": "string", "uniqueItems": true]]
            })
            let patchContent: JSONValue = [
                "application/json-patch+json": ["schema": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]],
                "application/merge-patch+json": ["schema": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]],
                "application/apply-patch+yaml": ["schema": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]],
            ]
            paths[collection] = [
                "get": ["responses": ["200": ["description": "OK"]], "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "list"],
                "post": [
                    "requestBody": ["content": content], "responses": ["201": ["description": "Created", "content": content]],
                    "parameters": writeParameters, "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "post",
                ],
            ]
            paths[collection + "/{name}"] = [
                "get": ["responses": ["200": ["description": "OK", "content": content]], "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "get"],
                "put": [
                    "requestBody": ["content": content], "responses": ["200": ["description": "OK", "content": content]],
                    "parameters": writeParameters, "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "put",
                ],
                "patch": [
                    "requestBody": ["content": patchContent], "responses": ["200": ["description": "OK", "content": content]],
                    "parameters": .array((writeParameters.arrayValue ?? []) + [["name": "force", "in": "query", "schema": ["type": "boolean"]]]),
                    "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "patch",
                ],
                "delete": ["responses": ["200": ["description": "OK"]], "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "delete"],
            ]
            if d.hasStatus { paths[collection + "/{name}/status"] = ["get": ["responses": ["200": ["description": "OK"]]]] }
            if d.scale != nil { paths[collection + "/{name}/scale"] = ["get": ["responses": ["200": ["description": "OK"]]]] }
            if d.isCustom, var schema = d.schema {
                schema["x-kubernetes-group-version-kind"] = [["group": .string(d.group), "kind": .string(d.kind), "version": .string(d.version)]]
                if schema["properties"] != nil {
                    schema["properties"]?["metadata"] = ["allOf": [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]]]
                }
                schemas[schemaName] = schema
            } else if let known = Self.builtinSchemas[schemaName] {
                var schema = known
                schema["x-kubernetes-group-version-kind"] = [["group": .string(d.group), "kind": .string(d.kind), "version": .string(d.version)]]
                schemas[schemaName] = schema
            } else {
                schemas[schemaName] = [
                    "type": "object", "description": .string("\(d.kind) (EmbeddedKube publishes no detailed schema for this kind)"),
                    "x-kubernetes-group-version-kind": [["group": .string(d.group), "kind": .string(d.kind), "version": .string(d.version)]],
                ]
            }
            if d.group.isEmpty || d.group == "apps" {
                for (name, schema) in Self.podSchemas { schemas[name] = schema }
            }
        }
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] = ["type": "object"]
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = ["type": "object", "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."]
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": "v1.32.0-quiver"],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }

    /// The parts of the built-in schemas that carry patch strategy: the list merge keys kubectl's
    /// strategic merge relies on.
    static let podSchemas: [String: JSONValue] = {
        func list(_ ref: String, key: String) -> JSONValue {
            [
                "type": "array", "items": ["$ref": .string("#/components/schemas/\(ref)")],
                "x-kubernetes-patch-merge-key": .string(key), "x-kubernetes-patch-strategy": "merge",
                "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": [.string(key)],
            ]
        }
        let object: JSONValue = ["type": "object"]
        return [
            "io.k8s.api.core.v1.PodTemplateSpec": [
                "type": "object",
                "properties": ["metadata": object, "spec": ["$ref": "#/components/schemas/io.k8s.api.core.v1.PodSpec"]],
            ],
            "io.k8s.api.core.v1.PodSpec": [
                "type": "object", "required": ["containers"],
                "properties": [
                    "containers": list("io.k8s.api.core.v1.Container", key: "name"),
                    "initContainers": list("io.k8s.api.core.v1.Container", key: "name"),
                    "volumes": list("io.k8s.api.core.v1.Volume", key: "name"),
                    "imagePullSecrets": list("io.k8s.api.core.v1.LocalObjectReference", key: "name"),
                    "tolerations": ["type": "array", "items": object, "x-kubernetes-list-type": "atomic"],
                    "nodeSelector": ["type": "object", "additionalProperties": ["type": "string"], "x-kubernetes-map-type": "atomic"],
                    "restartPolicy": ["type": "string"], "serviceAccountName": ["type": "string"],
                ],
            ],
            "io.k8s.api.core.v1.Container": [
                "type": "object", "required": ["name"],
                "properties": [
                    "name": ["type": "string"], "image": ["type": "string"],
                    "args": ["type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "atomic"],
                    "command": ["type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "atomic"],
                    "env": list("io.k8s.api.core.v1.EnvVar", key: "name"),
                    "ports": list("io.k8s.api.core.v1.ContainerPort", key: "containerPort"),
                    "volumeMounts": list("io.k8s.api.core.v1.VolumeMount", key: "mountPath"),
                    "resources": object,
                ],
            ],
            "io.k8s.api.core.v1.EnvVar": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"], "value": ["type": "string"], "valueFrom": object]],
            "io.k8s.api.core.v1.ContainerPort": ["type": "object", "required": ["containerPort"], "properties": ["containerPort": ["type": "integer", "format": "int32"], "name": ["type": "string"], "protocol": ["type": "string"]]],
            "io.k8s.api.core.v1.VolumeMount": ["type": "object", "required": ["name", "mountPath"], "properties": ["name": ["type": "string"], "mountPath": ["type": "string"], "readOnly": ["type": "boolean"]]],
            "io.k8s.api.core.v1.Volume": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"]]],
            "io.k8s.api.core.v1.LocalObjectReference": ["type": "object", "properties": ["name": ["type": "string"]]],
        ]
    }()

    static let builtinSchemas: [String: JSONValue] = [
        "io.k8s.api.apps.v1.Deployment": [
            "type": "object",
            "properties": [
                "apiVersion": ["type": "string"], "kind": ["type": "string"],
                "metadata": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"],
                "spec": ["type": "object", "properties": [
                    "replicas": ["type": "integer", "format": "int32"],
                    "selector": ["type": "object"],
                    "template": ["$ref": "#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"],
                ]],
                "status": ["type": "object"],
            ],
        ],
        "io.k8s.api.core.v1.Pod": [
            "type": "object",
            "properties": [
                "apiVersion": ["type": "string"], "kind": ["type": "string"],
                "metadata": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"],
                "spec": ["$ref": "#/components/schemas/io.k8s.api.core.v1.PodSpec"],
                "status": ["type": "object"],
            ],
        ],
    ]

    static func schemaName(_ d: ResourceDescriptor) -> String {
        if d.isCustom {
            let reversed = d.group.split(separator: ".").reversed().joined(separator: ".")
            return "\(reversed).\(d.version).\(d.kind)"
        }
        let group = d.group.isEmpty ? "core" : d.group.split(separator: ".").first.map(String.init) ?? d.group
        return "io.k8s.api.\(group).\(d.version).\(d.kind)"
    }

    /// FNV-1a, 64-bit, as upper-case hex: a stable content hash for the `?hash=` URLs.
    static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        let hex = String(h, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
