import ExperimentKit
import PollingCore
import Testing

@Suite struct TuningPresentationTests {
    static func configurations() throws -> [StrategyConfiguration] { [
        .exponential(try ExponentialStrategy(initial: 0.25, multiplier: 1.5, maxInterval: 3, jitter: .full, initialDelay: 1.2)),
        .constant(ConstantStrategy(interval: 0.4, initialDelay: 2)),
        .seed(SeedStrategy(initialInterval: 0.1, maxInterval: 3, durationHint: 1.5)),
        .grpc(try GRPCBackoffStrategy(initial: 0.5, multiplier: 1.3, jitter: 0.1, maxBackoff: 4, initialDelay: 1)),
        .aws(try AWSStandardRetryStrategy(base: 0.5, cap: 4, initialDelay: 1)),
        .googleLRO(try GoogleLROStrategy(initial: 0.5, multiplier: 1.2, maxDelay: 5, timeout: 900)),
        .smithy(try SmithyWaiterStrategy(minDelay: 0.5, maxDelay: 4)),
        .kubernetes(try KubernetesBackoffStrategy(duration: 0.5, factor: 1.5, jitter: 0.1, cap: 4, initialDelay: 1)),
        .azure(AzureLROStrategy(interval: 0.7, initialDelay: 2)),
    ] }

    /// The ready-to-paste arm parses back into the same configuration.
    @Test(arguments: 0..<9)
    func armYAMLRoundTrips(index: Int) throws {
        let configuration = try Self.configurations()[index]
        let yaml = """
            name: paste
            trials: 1
            seed: 1
            job:
              base_delay: 1.5
              var_delay: 0.9
            arms:
            \(TuningPresentation.armYAML(name: "tuned", configuration))
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "paste.yaml")
        #expect(experiment.arms.first?.strategy == configuration)
    }

    /// botocore's delay formula cannot be tuned: the text says so and invents no key; Smithy and
    /// Kubernetes use their SDKs' own field names.
    @Test func sdkTerms() throws {
        let aws = TuningPresentation.sdkSettings(try Self.configurations()[4], timeout: nil)
        #expect(aws[0].sdk == "botocore / boto3" && aws[0].text.contains("cannot be set"))
        #expect(!aws[0].text.contains("base="+"0.5,") && aws[0].text.contains("'max_attempts'"))
        let smithy = TuningPresentation.sdkSettings(try Self.configurations()[6], timeout: 60)
        #expect(smithy[0].language == "Swift" && smithy[0].text.contains("WaiterOptions(maxWaitTime: 60, minDelay: 0.5, maxDelay: 4)"))
        let kube = TuningPresentation.sdkSettings(try Self.configurations()[7], timeout: nil)
        #expect(kube[0].text.contains("wait.Backoff{Duration: 500 * time.Millisecond, Factor: 1.5, Jitter: 0.1"))
        let google = TuningPresentation.sdkSettings(try Self.configurations()[5], timeout: nil)
        #expect(google[0].text.contains("with_delay(initial=0.5, maximum=5, multiplier=1.2).with_timeout(900)"))
    }
}
