import Foundation
import PollingCore

/// How a tuned setting is handed to a user: an arm for an experiment file, and the same setting
/// in named SDKs' own terms (with the language and the source of each SDK's semantics). Where an
/// SDK does not let a value be set, the text says so instead of inventing a key.
public enum TuningPresentation {
    /// A setting in one SDK's terms.
    public struct SDKSetting: Sendable, Hashable {
        public var sdk: String
        public var language: String
        /// Where the SDK's semantics are defined.
        public var source: String
        /// The setting, or why it cannot be expressed.
        public var text: String
    }

    /// The arm as YAML, ready to paste under `arms:` (parameters with a value; `null` ones
    /// omitted, so that the file's defaults apply).
    /// - Parameters:
    ///   - name: the arm's name.
    ///   - configuration: the setting.
    public static func armYAML(name: String, _ configuration: StrategyConfiguration) -> String {
        var lines = ["- name: \(name)", "  strategy: \(configuration.kind)"]
        for (key, value) in configuration.parameterPairs where value != "null" {
            lines.append("  \(key): \(value)")
        }
        return lines.joined(separator: "\n")
    }

    /// `key=value` text of the setting's parameters (nulls omitted).
    public static func label(_ configuration: StrategyConfiguration) -> String {
        configuration.parameterPairs.filter { $0.1 != "null" }.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// The setting in the SDKs that implement `family` (see each entry's source).
    /// - Parameters:
    ///   - configuration: the tuned setting.
    ///   - timeout: the experiment's per-trial deadline in seconds, if any (waiters need one).
    public static func sdkSettings(_ configuration: StrategyConfiguration, timeout: Double?) -> [SDKSetting] {
        let f = TuningFormat.number
        let ms = { (x: Double) in String(Int((x * 1000).rounded())) }
        let firstPollNote = { (d: Double, sdk: String) in
            d > 0 ? "\n# \(sdk) has no initial-delay setting: sleep \(f(d)) s before starting it." : ""
        }
        switch configuration {
        case .exponential(let s):
            var text: String
            switch s.jitter {
            case .none:
                text = "wait=wait_exponential(multiplier=\(f(s.initial)), exp_base=\(f(s.multiplier)), max=\(f(s.maxInterval)))"
            case .full:
                text = "wait=wait_random_exponential(multiplier=\(f(s.initial)), exp_base=\(f(s.multiplier)), max=\(f(s.maxInterval)))"
            case .equal, .decorrelated:
                text = "# tenacity has no \(s.jitter.rawValue)-jitter wait with these semantics; use the arm's formula in your own wait callable."
            }
            text += "\n# with retry=retry_if_result(lambda status: status == \"pending\")" + firstPollNote(s.initialDelay, "tenacity")
            return [SDKSetting(sdk: "tenacity", language: "Python",
                               source: "jd/tenacity wait.py: wait n = multiplier · exp_base^(n−1) capped at max; random_exponential draws U(0, that)",
                               text: text)]
        case .constant(let s):
            return [
                SDKSetting(sdk: "tenacity", language: "Python", source: "jd/tenacity wait.py (wait_fixed)",
                           text: "wait=wait_fixed(\(f(s.interval)))" + firstPollNote(s.initialDelay, "tenacity")),
                SDKSetting(sdk: "botocore waiters", language: "Python", source: "boto/botocore waiter.py (fixed Delay, MaxAttempts)",
                           text: "WaiterConfig={'Delay': \(Int(s.interval.rounded(.up))), 'MaxAttempts': N}\n"
                               + "# Delay is documented in whole seconds (rounded up here); the first check is immediate"
                               + (s.initialDelay > 0 ? " and an initial delay cannot be set." : ".")),
            ]
        case .seed(let s):
            return [SDKSetting(sdk: "the seed's Python client", language: "Python",
                               source: "seed/000 README: Client.send_backoff_get_status",
                               text: "send_backoff_get_status(initial_interval=\(f(s.initialInterval)), max_interval=\(f(s.maxInterval)), "
                                   + "timeout=\(timeout.map(f) ?? "float(\"inf\")"), jitter_scale=(1, 1), approx_base_duration=\(s.durationHint.map(f) ?? "None"))")]
        case .grpc(let s):
            return [
                SDKSetting(sdk: "grpc-go", language: "Go", source: "google.golang.org/grpc/backoff Config (connection backoff, grpc/grpc doc/connection-backoff.md)",
                           text: "grpc.WithConnectParams(grpc.ConnectParams{Backoff: backoff.Config{BaseDelay: \(ms(s.initial)) * time.Millisecond, "
                               + "Multiplier: \(f(s.multiplier)), Jitter: \(f(s.jitter)), MaxDelay: \(ms(s.maxBackoff)) * time.Millisecond}})"
                               + firstPollNote(s.initialDelay, "gRPC")),
                SDKSetting(sdk: "gRPC C-core channel args", language: "C++/Python/Ruby…", source: "grpc/grpc include/grpc/impl/channel_arg_names.h",
                           text: "grpc.initial_reconnect_backoff_ms=\(ms(s.initial)), grpc.max_reconnect_backoff_ms=\(ms(s.maxBackoff))\n"
                               + "# C-core fixes the multiplier at 1.6 and the jitter at 0.2: they cannot be set."),
                SDKSetting(sdk: "gRPC service config retryPolicy", language: "JSON (any gRPC language)", source: "gRFC A6 (client retries)",
                           text: "\"retryPolicy\": {\"initialBackoff\": \"\(f(s.initial))s\", \"maxBackoff\": \"\(f(s.maxBackoff))s\", "
                               + "\"backoffMultiplier\": \(f(s.multiplier)), \"maxAttempts\": 5, \"retryableStatusCodes\": [\"UNAVAILABLE\"]}\n"
                               + "# Not the same model: retries wait U(0, min(initial·mult^(n−1), max)) (full jitter, no ±jitter key) and maxAttempts is capped at 5."),
            ]
        case .aws(let s):
            return [
                SDKSetting(sdk: "botocore / boto3", language: "Python", source: "boto/botocore retries/standard.py",
                           text: "Config(retries={'mode': 'standard', 'max_attempts': N})\n"
                               + "# botocore exposes only max_attempts and the mode: base 1 s and cap 20 s are fixed in its delay formula, "
                               + "so base=\(f(s.base)) and cap=\(f(s.cap)) cannot be set."),
                SDKSetting(sdk: "AWS SDK for Java 2.x", language: "Java", source: "software.amazon.awssdk.core.retry.backoff.FullJitterBackoffStrategy",
                           text: "FullJitterBackoffStrategy.builder().baseDelay(Duration.ofMillis(\(ms(s.base)))).maxBackoffTime(Duration.ofMillis(\(ms(s.cap)))).build()"
                               + firstPollNote(s.initialDelay, "The SDK")),
            ]
        case .googleLRO(let s):
            return [SDKSetting(sdk: "google-api-core", language: "Python", source: "googleapis/python-api-core polling.py, retry.Retry",
                               text: "operation.result(polling=polling.DEFAULT_POLLING.with_delay(initial=\(f(s.initial)), "
                                   + "maximum=\(f(s.maxDelay)), multiplier=\(f(s.multiplier))).with_timeout(\(f(s.timeout))))")]
        case .smithy(let s):
            let wait = timeout.map(f) ?? "MAX_WAIT_SECONDS"
            return [
                SDKSetting(sdk: "smithy-swift (AWS SDK for Swift)", language: "Swift", source: "smithy-lang/smithy-swift WaiterOptions; Smithy waiters spec",
                           text: "try await client.waitUntil…(options: WaiterOptions(maxWaitTime: \(wait), minDelay: \(f(s.minDelay)), maxDelay: \(f(s.maxDelay))), input: …)"),
                SDKSetting(sdk: "Smithy @waitable trait", language: "Smithy IDL", source: "smithy-lang/smithy waiters specification",
                           text: "minDelay: \(Int(s.minDelay.rounded(.up))), maxDelay: \(Int(s.maxDelay.rounded(.up)))\n"
                               + "# the trait takes whole seconds (rounded up here)."),
            ]
        case .kubernetes(let s):
            return [SDKSetting(sdk: "k8s.io/apimachinery wait", language: "Go", source: "k8s.io/apimachinery/pkg/util/wait Backoff",
                               text: "wait.Backoff{Duration: \(ms(s.duration)) * time.Millisecond, Factor: \(f(s.factor)), Jitter: \(f(s.jitter)), "
                                   + "Steps: math.MaxInt32\(s.cap.map { ", Cap: \(ms($0)) * time.Millisecond" } ?? "")}\n"
                                   + "# apimachinery's Step() stops the backoff once Cap is reached (Steps = 0); PollLab keeps polling at the cap, "
                                   + "so poll on at Cap (e.g. wait.PollUntilContextTimeout) afterwards." + firstPollNote(s.initialDelay, "wait.Backoff"))]
        case .azure(let s):
            return [
                SDKSetting(sdk: "azure-core", language: "Python", source: "Azure/azure-sdk-for-python azure-core polling/base_polling.py",
                           text: "client.begin_…(…, polling_interval=\(f(s.interval)))\n"
                               + "# used when the service sends no Retry-After; a separate initial delay cannot be set"
                               + (s.initialDelay.map { " (tuned: \(f($0)) s)" } ?? "") + "."),
                SDKSetting(sdk: "Azure.Core", language: "C#", source: "Azure/azure-sdk-for-net Azure.Core Operation<T>.WaitForCompletionAsync",
                           text: "await operation.WaitForCompletionAsync(TimeSpan.FromSeconds(\(f(s.interval))), cancellationToken);"),
            ]
        default:
            return []
        }
    }
}
