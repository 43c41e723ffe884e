/// Where clients reach a deployment: the control plane's gateway route. The operator writes it into
/// `status.deploymentUrl`; the API answers it when a deployment is created.
public enum ServingURLs {
    public static func deploymentURL(apiBaseURL: String, id: String) -> String {
        var base = apiBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/v2/inference/deployments/\(id)"
    }
}
