import Foundation
import Hummingbird
import KubeModel
import KubeRuntime
import ServingAPI

/// `/v2/lm/deployments`: quiver Deployment custom resources; the operator does the rest.
extension ControlPlane {
    func addDeploymentRoutes(to router: Router<ControlPlaneContext>) {
        router.get("/v2/lm/deployments") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("list", "deployments", namespace: group))
            let paging = try Self.paging(request)
            let statusOnly = try Self.selectStatus(request)
            let query = request.uri.queryParameters
            let configurationID = query.get("configurationId")
            let scenario = query.get("scenarioId")
            let executables = Self.list(request, "executableIds")
            var phase: V1Alpha1.DeploymentPhase?
            if let text = query.get("status") {
                guard let value = V1Alpha1.DeploymentPhase(rawValue: text) else {
                    throw ControlPlaneError.badRequest(
                        "status must be one of \(V1Alpha1.DeploymentPhase.allCases.map(\.rawValue).joined(separator: ", "))", target: "status")
                }
                phase = value
            }
            let (deployments, configurations) = try await self.deploymentsWithConfigurations(namespace: group)
            let items = deployments
                .filter { configurationID == nil || $0.spec.configurationId == configurationID }
                .filter { d in scenario == nil || configurations[d.spec.configurationId]?.spec.scenarioId == scenario }
                .filter { d in executables == nil || executables!.contains(configurations[d.spec.configurationId]?.spec.executableId ?? "") }
                .filter { phase == nil || ($0.status?.status ?? .unknown) == phase }
                .sorted(by: Self.newestFirst)
                .map { self.deployment($0, configuration: configurations[$0.spec.configurationId], statusOnly: statusOnly) }
            return Self.json(Self.page(items, paging))
        }
        router.post("/v2/lm/deployments") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("create", "deployments", namespace: group))
            let body = try await self.body(request, context)
            let configurationID = try Self.string(body, "configurationId")!
            return try await self.createDeployment(configurationID: configurationID, ttl: try Self.ttl(body), namespace: group)
        }
        router.patch("/v2/lm/deployments") { request, context in
            let group = try self.resourceGroup(request)
            try await self.authorize(context, .quiver("patch", "deployments", namespace: group))
            let body = try await self.body(request, context)
            guard let entries = body["deployments"]?.arrayValue else {
                throw ControlPlaneError.badRequest("deployments is required (an array of {id, targetStatus})", target: "deployments")
            }
            guard entries.count <= 100 else {
                throw ControlPlaneError.badRequest("at most 100 deployments may be modified at once", target: "deployments")
            }
            var requests: [(String, V1Alpha1.TargetStatus)] = []
            for (i, entry) in entries.enumerated() {
                guard let id = entry["id"]?.stringValue, !id.isEmpty else {
                    throw ControlPlaneError.badRequest("deployments[\(i)].id is required", target: "deployments[\(i)].id")
                }
                requests.append((id, try Self.targetStatus(entry["targetStatus"], target: "deployments[\(i)].targetStatus")))
            }
            var results: [JSONValue] = []
            for (id, target) in requests {
                do {
                    results.append(try await self.modify(id, namespace: group, targetStatus: target, configurationID: nil))
                } catch let error as ControlPlaneError {
                    results.append(["id": .string(id), "error": error.body(requestID: context.requestID)["error"] ?? .null])
                }
            }
            return Self.json(["deployments": .array(results)], status: .accepted)
        }
        router.get("/v2/lm/deployments/:deploymentId") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("deploymentId")
            try await self.authorize(context, .quiver("get", "deployments", namespace: group, name: id))
            let statusOnly = try Self.selectStatus(request)
            let d = try await self.deployment(id, namespace: group)
            let configuration = try? await self.client.get(V1Alpha1.Configuration.self, name: d.spec.configurationId, namespace: group)
            return Self.json(self.deployment(d, configuration: configuration, statusOnly: statusOnly))
        }
        router.patch("/v2/lm/deployments/:deploymentId") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("deploymentId")
            try await self.authorize(context, .quiver("patch", "deployments", namespace: group, name: id))
            let body = try await self.body(request, context)
            let target = try body["targetStatus"].map { try Self.targetStatus($0, target: "targetStatus") }
            let configurationID = try Self.string(body, "configurationId", required: false)
            guard target != nil || configurationID != nil else {
                throw ControlPlaneError.badRequest("give targetStatus or configurationId", target: "body")
            }
            if let configurationID, configurationID.isEmpty {
                throw ControlPlaneError.badRequest("configurationId must not be empty", target: "configurationId")
            }
            return Self.json(try await self.modify(id, namespace: group, targetStatus: target, configurationID: configurationID), status: .accepted)
        }
        router.delete("/v2/lm/deployments/:deploymentId") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("deploymentId")
            try await self.authorize(context, .quiver("delete", "deployments", namespace: group, name: id))
            return Self.json(try await self.modify(id, namespace: group, targetStatus: .deleted, configurationID: nil), status: .accepted)
        }
        router.get("/v2/lm/deployments/:deploymentId/logs") { request, context in
            let group = try self.resourceGroup(request)
            let id = try context.parameters.require("deploymentId")
            try await self.authorize(context, .quiver("get", "deployments", namespace: group, name: id))
            try await self.access.authorize(self.caller(context), Access(verb: "get", group: "", resource: "pods", subresource: "log", namespace: group))
            _ = try await self.deployment(id, namespace: group)
            return Self.json(try await self.logs(id, namespace: group, request))
        }
    }

    func deployment(_ id: String, namespace: String) async throws -> V1Alpha1.Deployment {
        do {
            return try await kube { try await client.get(V1Alpha1.Deployment.self, name: id, namespace: namespace) }
        } catch let error as ControlPlaneError where error.code == .notFound {
            throw ControlPlaneError.notFound("deployment \"\(id)\" not found in resource group \"\(namespace)\"", target: "deploymentId")
        }
    }

    func deploymentsWithConfigurations(namespace: String) async throws -> ([V1Alpha1.Deployment], [String: V1Alpha1.Configuration]) {
        async let deployments = kube { try await client.list(V1Alpha1.Deployment.self, namespace: namespace).items }
        async let configurations = kube { try await client.list(V1Alpha1.Configuration.self, namespace: namespace).items }
        var byID: [String: V1Alpha1.Configuration] = [:]
        for c in try await configurations { byID[c.metadata.name ?? ""] = c }
        return (try await deployments, byID)
    }

    /// POST …/deployments: a Deployment CR with a new id; 202 with where it will answer.
    func createDeployment(configurationID: String, ttl: String?, namespace: String) async throws -> Response {
        _ = try await configuration(configurationID, namespace: namespace)
        let spec = V1Alpha1.DeploymentSpec(configurationId: configurationID, targetStatus: .running, ttl: ttl)
        if let error = spec.validate().first {
            throw ControlPlaneError.badRequest(error.message, target: Self.apiField(error.field))
        }
        var id = Self.newID()
        for attempt in 0..<3 {
            do {
                _ = try await kube { try await client.create(V1Alpha1.Deployment(metadata: ObjectMeta(name: id, namespace: namespace), spec: spec)) }
                break
            } catch let error as ControlPlaneError where error.code == .conflict && attempt < 2 {
                id = Self.newID()
            }
        }
        var answer: JSONValue = [
            "id": .string(id), "message": "Deployment scheduled.",
            "deploymentUrl": .string(configuration.deploymentURL(id: id)), "status": "UNKNOWN",
        ]
        if let ttl { answer["ttl"] = .string(ttl) }
        return Self.json(answer, status: .accepted)
    }

    /// PATCH/DELETE: AI Core's transition rules; a refused transition is 412. The patch is made
    /// against the version the rules were checked on; when the operator or the gateway wrote the
    /// Deployment in between, the rules are checked again on the new version.
    func modify(_ id: String, namespace: String, targetStatus: V1Alpha1.TargetStatus?, configurationID: String?) async throws -> JSONValue {
        var attempt = 1
        while true {
            do {
                return try await modifyOnce(id, namespace: namespace, targetStatus: targetStatus, configurationID: configurationID)
            } catch let error as ControlPlaneError where error.code == .conflict && attempt < 5 {
                attempt += 1
            }
        }
    }

    private func modifyOnce(_ id: String, namespace: String, targetStatus: V1Alpha1.TargetStatus?, configurationID: String?) async throws -> JSONValue {
        let d = try await deployment(id, namespace: namespace)
        let status = d.status?.status ?? .unknown
        let current = d.spec.effectiveTargetStatus
        if d.metadata.deletionTimestamp != nil || current == .deleted {
            throw ControlPlaneError.preconditionFailed("deployment \"\(id)\" is being deleted", target: "deploymentId")
        }
        var spec: JSONValue = [:]
        if let configurationID {
            _ = try await configuration(configurationID, namespace: namespace, target: "configurationId")
            guard status != .stopped && status != .stopping && current != .stopped else {
                throw ControlPlaneError.preconditionFailed(
                    "deployment \"\(id)\" is \(status.rawValue); its configuration can be changed while it is RUNNING, PENDING, UNKNOWN or DEAD",
                    target: "configurationId")
            }
            spec["configurationId"] = .string(configurationID)
        }
        switch targetStatus {
        case .stopped?:
            guard current != .stopped, status != .stopped, status != .stopping else {
                throw ControlPlaneError.preconditionFailed("deployment \"\(id)\" is already \(status == .stopping ? "STOPPING" : "STOPPED")", target: "targetStatus")
            }
            spec["targetStatus"] = "STOPPED"
        case .running?:
            guard current == .stopped else {
                throw ControlPlaneError.preconditionFailed(
                    "deployment \"\(id)\" is \(status.rawValue) with targetStatus \(current.rawValue); only a stopped deployment can be started", target: "targetStatus")
            }
            guard status != .stopping else {
                throw ControlPlaneError.preconditionFailed("deployment \"\(id)\" is still STOPPING; start it once it is STOPPED", target: "targetStatus")
            }
            spec["targetStatus"] = "RUNNING"
        case .deleted?:
            // As AI Core: only what does not run (or never started) can be deleted; stop it first.
            guard [.stopped, .dead, .unknown, .completed].contains(status) else {
                throw ControlPlaneError.preconditionFailed(
                    "deployment \"\(id)\" is \(status.rawValue); stop it (targetStatus STOPPED) before deleting it", target: "deploymentId")
            }
            _ = try await kube { try await client.delete(V1Alpha1.Deployment.self, name: id, namespace: namespace) }
            return ["id": .string(id), "message": "Deletion scheduled", "targetStatus": "DELETED"]
        case nil:
            break
        }
        _ = try await kube {
            try await client.patch(
                V1Alpha1.Deployment.self, name: id, namespace: namespace,
                patch: .merge(["spec": spec, "metadata": ["resourceVersion": .string(d.metadata.resourceVersion ?? "")]]))
        }
        var answer: JSONValue = ["id": .string(id), "message": "Deployment modification scheduled"]
        if let url = d.status?.deploymentUrl { answer["deploymentUrl"] = .string(url) }
        answer["status"] = .string(status.rawValue)
        answer["targetStatus"] = .string((targetStatus ?? current).rawValue)
        return answer
    }

    func deployment(_ d: V1Alpha1.Deployment, configuration: V1Alpha1.Configuration?, statusOnly: Bool) -> JSONValue {
        let status = d.status
        let id = d.metadata.name ?? ""
        var out: JSONValue = [
            "id": .string(id),
            "status": .string((status?.status ?? .unknown).rawValue),
            "targetStatus": .string(d.spec.effectiveTargetStatus.rawValue),
        ]
        if let message = status?.statusMessage { out["statusMessage"] = .string(message) }
        if statusOnly { return out }
        out["deploymentUrl"] = .string(status?.deploymentUrl ?? "")
        out["configurationId"] = .string(d.spec.configurationId)
        if let configuration {
            out["configurationName"] = .string(configuration.spec.name)
            out["scenarioId"] = .string(configuration.spec.scenarioId)
            out["executableId"] = .string(configuration.spec.executableId)
        }
        if let latest = status?.latestRunningConfigurationId { out["latestRunningConfigurationId"] = .string(latest) }
        if let ttl = d.spec.ttl { out["ttl"] = .string(ttl) }
        out["createdAt"] = Self.timestamp(d.metadata.creationTimestamp)
        out["modifiedAt"] = Self.timestamp(d.metadata.managedFields?.compactMap(\.time).max() ?? d.metadata.creationTimestamp)
        for (key, time) in [("submissionTime", status?.submissionTime), ("startTime", status?.startTime), ("completionTime", status?.completionTime)] {
            if let time { out[key] = .string(time.rfc3339) }
        }
        return out
    }

    static func selectStatus(_ request: Request) throws -> Bool {
        guard let select = request.uri.queryParameters.get("$select") else { return false }
        guard select == "status" else { throw ControlPlaneError.badRequest("$select supports only \"status\"", target: "$select") }
        return true
    }

    static func targetStatus(_ value: JSONValue?, target: String) throws -> V1Alpha1.TargetStatus {
        guard let text = value?.stringValue, let status = V1Alpha1.TargetStatus(rawValue: text) else {
            throw ControlPlaneError.badRequest("targetStatus must be one of RUNNING, STOPPED, DELETED", target: target)
        }
        return status
    }

    static func ttl(_ body: JSONValue) throws -> String? {
        guard let value = body["ttl"], value != .null else { return nil }
        guard let text = value.stringValue else { throw ControlPlaneError.badRequest("ttl must be a string such as 30m, 2h or 1d", target: "ttl") }
        return text
    }

    /// The deployment's pod logs, newest pod first, as AI Core's log response.
    func logs(_ id: String, namespace: String, _ request: Request) async throws -> JSONValue {
        let query = request.uri.queryParameters
        var top = 1000
        if let text = query.get("$top") {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw ControlPlaneError.badRequest("$top must be an integer from 1 to 10000", target: "$top")
            }
            top = value
        }
        func time(_ name: String) throws -> Date? {
            guard let text = query.get(name) else { return nil }
            guard let time = KubeTime(rfc3339: text) else {
                throw ControlPlaneError.badRequest("\(name) must be an RFC 3339 time such as 2026-01-01T00:00:00Z", target: name)
            }
            return time.date
        }
        let start = try time("start"), end = try time("end")
        let pods = try await kube {
            try await client.list(
                GroupVersionResource(group: "", version: "v1", resource: "pods"), namespace: namespace,
                options: ListOptions(labelSelector: "quiver.dev/deployment-id=\(id)")).items
        }
        var lines: [(Date, String)] = []
        for pod in pods {
            guard let name = pod[path: ["metadata", "name"]]?.stringValue else { continue }
            var parameters: [(String, String)] = [("timestamps", "true"), ("tailLines", String(top))]
            if let start { parameters.append(("sinceTime", KubeTime(start).rfc3339)) }
            let response = try await kube {
                try await client.send(KubeRequest(method: .get, path: "/api/v1/namespaces/\(namespace)/pods/\(name)/log", query: parameters, accept: "text/plain"))
            }
            guard response.isSuccess else { continue }
            for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                let stamp = parts.first.flatMap { KubeTime(rfc3339: String($0)) }?.date
                    ?? parts.first.flatMap { ISO8601DateFormatter.fractional.date(from: String($0)) } ?? Date(timeIntervalSince1970: 0)
                if let end, stamp > end { continue }
                lines.append((stamp, parts.count > 1 ? String(parts[1]) : ""))
            }
        }
        lines.sort { $0.0 < $1.0 }
        let result = lines.suffix(top).map { ["timestamp": .string(ISO8601DateFormatter.fractional.string(from: $0.0)), "msg": .string($0.1)] as JSONValue }
        return ["data": ["result": .array(result)]]
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
