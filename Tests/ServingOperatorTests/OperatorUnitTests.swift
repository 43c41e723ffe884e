import KubeModel
import ServingAPI
@testable import ServingOperator
import Testing

/// The operator's pure pieces: the Configuration's validity and the helpers the reconcilers use.
@Suite struct OperatorUnitTests {
    @Test func seedConfigurationIsValidAgainstTheInfinityTemplate() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("hack/testdata/kubectl/seed-configuration.yaml")
        let configuration: V1Alpha1.Configuration = try Fixtures.yaml(url).decode()
        let result = ConfigurationReconciler.validity(of: configuration, templates: [try Fixtures.template(named: "infinity.yaml")])
        #expect(result.valid)
        #expect(result.reason == ConfigurationReconciler.validReason)
    }

    @Test func configurationWithoutTemplateIsInvalid() throws {
        var configuration = Fixtures.seedConfiguration()
        configuration.spec.executableId = "nope"
        let result = ConfigurationReconciler.validity(of: configuration, templates: [try Fixtures.template(named: "infinity.yaml")])
        #expect(!result.valid)
        #expect(result.reason == ConfigurationReconciler.templateNotFoundReason)
        #expect(result.message.contains("no ServingTemplate with executable id nope"))
    }

    @Test func configurationWithUndeclaredBindingIsInvalid() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("hack/testdata/kubectl/seed-configuration.yaml")
        var configuration: V1Alpha1.Configuration = try Fixtures.yaml(url).decode()
        configuration.spec.parameterBindings?.append(KeyValue(key: "bogus", value: "1"))
        let result = ConfigurationReconciler.validity(of: configuration, templates: [try Fixtures.template(named: "infinity.yaml")])
        #expect(!result.valid)
        #expect(result.reason == ConfigurationReconciler.invalidReason)
        #expect(result.message.contains("bogus"))
    }

    @Test func goDurations() {
        #expect(GoDuration.parse("10m") == .seconds(600))
        #expect(GoDuration.parse("1h30m") == .seconds(5400))
        #expect(GoDuration.parse("90s") == .seconds(90))
        #expect(GoDuration.parse("500ms") == .milliseconds(500))
        #expect(GoDuration.parse("") == nil)
        #expect(GoDuration.parse("10") == nil)
        #expect(GoDuration.parse("10x") == nil)
    }

    @Test func deploymentURL() {
        #expect(OperatorConfiguration(apiBaseURL: "https://api.example/").deploymentURL(name: "d1") == "https://api.example/v2/inference/deployments/d1")
        #expect(OperatorConfiguration(apiBaseURL: "https://api.example").deploymentURL(name: "d1") == "https://api.example/v2/inference/deployments/d1")
    }

    @Test func nativeResourcesByKind() {
        #expect(OperatorResources.resource(of: ["apiVersion": "apps/v1", "kind": "Deployment"]) == OperatorResources.appsDeployments)
        #expect(OperatorResources.resource(of: ["apiVersion": "v1", "kind": "Service"]) == OperatorResources.services)
        #expect(OperatorResources.resource(of: ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler"]) == OperatorResources.horizontalPodAutoscalers)
        #expect(OperatorResources.resource(of: ["apiVersion": "v1", "kind": "ConfigMap"]) == nil)
    }
}
