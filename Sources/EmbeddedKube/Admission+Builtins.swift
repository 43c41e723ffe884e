import Foundation
import KubeModel

/// Defaulting and validation of the built-in kinds, for what clients can observe: server defaults
/// on Deployments, Pods and Services, Secret `stringData` folded into base64 `data`, MicroTime
/// precision on Leases and events.k8s.io Events, and required fields.
enum BuiltinAdmission {
    struct Failure: Error {
        var badRequest: String?
        var causes: [StatusCause] = []
    }

    /// Defaults and checks `object` of built-in kind `d`. Throws a 400 for undecodable data and
    /// returns causes for 422.
    static func admit(_ object: inout JSONValue, _ d: ResourceDescriptor) throws(APIServerError) -> [StatusCause] {
        var causes: [StatusCause] = []
        switch (d.group, d.plural) {
        case ("", "secrets"):
            try admitSecret(&object, d)
            causes += sizeCauses(object, fields: ["data"])
        case ("", "configmaps"):
            causes += sizeCauses(object, fields: ["data", "binaryData"])
        case ("", "namespaces"):
            if object[path: ["spec", "finalizers"]] == nil { object[path: ["spec", "finalizers"]] = ["kubernetes"] }
            if object[path: ["status", "phase"]] == nil { object[path: ["status", "phase"]] = "Active" }
            if let name = object[path: ["metadata", "name"]]?.stringValue {
                object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            }
        case ("", "services"):
            defaultService(&object)
        case ("", "pods"):
            if var spec = object["spec"] {
                defaultPodSpec(&spec)
                object["spec"] = spec
            }
            if object[path: ["spec", "containers"]]?.arrayValue?.isEmpty ?? true {
                causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.containers"))
            }
            if object[path: ["status", "phase"]] == nil {
                object["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
            }
        case ("apps", "deployments"):
            causes += defaultDeployment(&object)
            // The real server always returns a status, empty until the controller fills it.
            if object["status"] == nil { object["status"] = .emptyObject }
        case ("coordination.k8s.io", "leases"):
            for field in ["acquireTime", "renewTime"] {
                if let s = object[path: ["spec", field]]?.stringValue, MicroTime(rfc3339: s) == nil {
                    // Go's time.Parse: after the seconds it wants ".000000" (six digits), then "Z07:00".
                    let rest = s.dropFirst(19)
                    let digits = rest.dropFirst().prefix(6)
                    let (unparsed, element) = rest.hasPrefix(".") && digits.count == 6 && digits.allSatisfy(\.isNumber)
                        ? (rest.dropFirst(7), "Z07:00") : (rest, ".000000")
                    throw .badRequest("Lease in version \"v1\" cannot be handled as a Lease: parsing time \"\(s)\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"\(unparsed)\" as \"\(element)\"")
                }
            }
        case ("", "events"):
            if let s = object["eventTime"]?.stringValue, MicroTime(rfc3339: s) == nil {
                throw .badRequest("Event in version \"v1\" cannot be handled as a Event: parsing time \"\(s)\" as \"2006-01-02T15:04:05.000000Z07:00\"")
            }
            if object["involvedObject"] == nil {
                causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "involvedObject"))
            }
            // Members the real server always writes for core Events.
            if object["eventTime"] == nil { object["eventTime"] = .null }
            if object["reportingComponent"] == nil { object["reportingComponent"] = "" }
            if object["reportingInstance"] == nil { object["reportingInstance"] = "" }
        case ("events.k8s.io", "events"):
            if let s = object["eventTime"]?.stringValue {
                if MicroTime(rfc3339: s) == nil {
                    throw .badRequest("Event in version \"v1\" cannot be handled as a Event: parsing time \"\(s)\" as \"2006-01-02T15:04:05.000000Z07:00\"")
                }
            } else {
                causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "eventTime"))
            }
        case ("autoscaling", "horizontalpodautoscalers"):
            if object[path: ["spec", "scaleTargetRef"]] == nil {
                causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.scaleTargetRef"))
            }
            if object[path: ["spec", "maxReplicas"]]?.intValue == nil {
                causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.maxReplicas"))
            }
            if object[path: ["spec", "minReplicas"]] == nil { object[path: ["spec", "minReplicas"]] = 1 }
            if object[path: ["spec", "metrics"]] == nil {
                object[path: ["spec", "metrics"]] = [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]]
            }
        case ("apiextensions.k8s.io", "customresourcedefinitions"):
            causes += CRDSupport.validate(object)
            if object[path: ["spec", "conversion"]] == nil { object[path: ["spec", "conversion"]] = ["strategy": "None"] }
        default:
            break
        }
        return causes
    }

    /// ConfigMaps and Secrets hold at most 1 MiB of data.
    private static func sizeCauses(_ object: JSONValue, fields: [String]) -> [StatusCause] {
        var total = 0
        for field in fields {
            for (key, value) in object[field]?.objectValue ?? [:] {
                let s = value.stringValue ?? ""
                total += key.utf8.count + (field == "data" && object["kind"]?.stringValue == "Secret" ? (Data(base64Encoded: s)?.count ?? s.utf8.count) : s.utf8.count)
            }
        }
        if total > 1_048_576 {
            return [StatusCause(reason: "FieldValueTooLong", message: "Too long: may not be more than 1048576 bytes", field: "[]")]
        }
        return []
    }

    private static func admitSecret(_ object: inout JSONValue, _ d: ResourceDescriptor) throws(APIServerError) {
        if object["type"] == nil { object["type"] = "Opaque" }
        var data = object["data"]?.objectValue ?? [:]
        for (key, value) in data {
            guard let s = value.stringValue else { continue }
            if Data(base64Encoded: s) == nil {
                let position = firstInvalidBase64Byte(s)
                throw .badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte \(position)")
            }
            data[key] = .string(s)
        }
        if case .object(let stringData)? = object["stringData"] {
            for (key, value) in stringData {
                if let s = value.stringValue { data[key] = .string(Data(s.utf8).base64EncodedString()) }
            }
            object["stringData"] = nil
        }
        if !data.isEmpty || object["data"] != nil { object["data"] = .object(data) }
    }

    private static func firstInvalidBase64Byte(_ s: String) -> Int {
        let valid = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        if let i = s.firstIndex(where: { !valid.contains($0) }) { return s.distance(from: s.startIndex, to: i) }
        return s.count - s.count % 4
    }

    private static func defaultService(_ object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        if spec["type"] == nil { spec["type"] = "ClusterIP" }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if spec["clusterIP"] == nil {
            // A stable, unique-looking address in 10.96.0.0/12 derived from the name.
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            var h: UInt32 = 2166136261
            for b in (namespace + "/" + name).utf8 { h = (h ^ UInt32(b)) &* 16777619 }
            let ip = "10.\(96 + Int(h >> 24) % 16).\(Int(h >> 8) & 0xFF).\(max(1, Int(h) & 0xFF))"
            spec["clusterIP"] = .string(ip)
            spec["clusterIPs"] = [.string(ip)]
        }
        if spec["ipFamilies"] == nil { spec["ipFamilies"] = ["IPv4"] }
        if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
        if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
        if case .array(var ports)? = spec["ports"] {
            for i in ports.indices {
                if ports[i]["protocol"] == nil { ports[i]["protocol"] = "TCP" }
                if ports[i]["targetPort"] == nil, let port = ports[i]["port"] { ports[i]["targetPort"] = port }
            }
            spec["ports"] = .array(ports)
        }
        object["spec"] = spec
        if object["status"] == nil { object["status"] = ["loadBalancer": .emptyObject] }
    }

    static func defaultPodSpec(_ spec: inout JSONValue) {
        for field in ["containers", "initContainers"] {
            guard case .array(var containers)? = spec[field] else { continue }
            for i in containers.indices {
                var c = containers[i]
                if c["terminationMessagePath"] == nil { c["terminationMessagePath"] = "/dev/termination-log" }
                if c["terminationMessagePolicy"] == nil { c["terminationMessagePolicy"] = "File" }
                if c["imagePullPolicy"] == nil {
                    let image = c["image"]?.stringValue ?? ""
                    let tag = image.split(separator: "/").last.map { $0.split(separator: ":", maxSplits: 1) } ?? []
                    c["imagePullPolicy"] = (tag.count < 2 || tag[1] == "latest") && !image.contains("@") ? "Always" : "IfNotPresent"
                }
                if c["resources"] == nil { c["resources"] = .emptyObject }
                if case .array(var ports)? = c["ports"] {
                    for j in ports.indices where ports[j]["protocol"] == nil { ports[j]["protocol"] = "TCP" }
                    c["ports"] = .array(ports)
                }
                containers[i] = c
            }
            spec[field] = .array(containers)
        }
        if spec["restartPolicy"] == nil { spec["restartPolicy"] = "Always" }
        if spec["terminationGracePeriodSeconds"] == nil { spec["terminationGracePeriodSeconds"] = 30 }
        if spec["dnsPolicy"] == nil { spec["dnsPolicy"] = "ClusterFirst" }
        if spec["securityContext"] == nil { spec["securityContext"] = .emptyObject }
        if spec["schedulerName"] == nil { spec["schedulerName"] = "default-scheduler" }
    }

    private static func defaultDeployment(_ object: inout JSONValue) -> [StatusCause] {
        var causes: [StatusCause] = []
        var spec = object["spec"] ?? .emptyObject
        if spec["replicas"] == nil { spec["replicas"] = 1 }
        if spec["strategy"] == nil {
            spec["strategy"] = ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]]
        } else if spec[path: ["strategy", "type"]]?.stringValue ?? "RollingUpdate" == "RollingUpdate" {
            if spec[path: ["strategy", "type"]] == nil { spec[path: ["strategy", "type"]] = "RollingUpdate" }
            if spec[path: ["strategy", "rollingUpdate", "maxUnavailable"]] == nil { spec[path: ["strategy", "rollingUpdate", "maxUnavailable"]] = "25%" }
            if spec[path: ["strategy", "rollingUpdate", "maxSurge"]] == nil { spec[path: ["strategy", "rollingUpdate", "maxSurge"]] = "25%" }
        }
        if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = 10 }
        if spec["progressDeadlineSeconds"] == nil { spec["progressDeadlineSeconds"] = 600 }
        if var podSpec = spec[path: ["template", "spec"]] {
            defaultPodSpec(&podSpec)
            spec[path: ["template", "spec"]] = podSpec
        }
        if spec["selector"] == nil {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.selector"))
        } else if let selector = spec["selector"].flatMap({ LabelSelector(object: $0) }) {
            var labels: [String: String] = [:]
            for (k, v) in spec[path: ["template", "metadata", "labels"]]?.objectValue ?? [:] { labels[k] = v.stringValue }
            if !selector.matches(labels) {
                causes.append(StatusCause(
                    reason: "FieldValueInvalid",
                    message: "Invalid value: \((spec[path: ["template", "metadata", "labels"]] ?? .emptyObject).serializedString()): `selector` does not match template `labels`",
                    field: "spec.template.metadata.labels"))
            }
        }
        if spec[path: ["template", "spec", "containers"]]?.arrayValue?.isEmpty ?? true {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers"))
        }
        object["spec"] = spec
        return causes
    }
}
