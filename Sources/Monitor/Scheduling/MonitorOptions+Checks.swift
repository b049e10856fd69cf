import Checks
import Curl
import Storage
import Targets

extension MonitorOptions {
    /// Echo requests an ICMP check with a packet-loss threshold sends (PING_PROBES for the others):
    /// loss is measured in tenths, where three probes could only say 0, 33, 67 or 100 %.
    static let lossProbes = 10

    /// What the HTTP checker needs of the owner's choices.
    var httpOptions: HTTPOptions {
        HTTPOptions(
            method: method ?? "GET",
            header: header.map { HTTPHeaders.Field(name: $0.name, value: $0.value) },
            expectedStatus: parsedExpectedStatus,
            keywordAbsent: keywordAbsent ?? false,
            timeout: timeoutSeconds.map { .seconds($0) })
    }

    /// The owner's thresholds with this monitor's own failures before an alert.
    func thresholds(over owner: AlertThresholds) -> AlertThresholds {
        AlertThresholds(
            failuresBeforeAlert: failuresBeforeAlert ?? owner.failuresBeforeAlert,
            successesBeforeRecovery: owner.successesBeforeRecovery)
    }
}

extension MonitorRecord {
    /// What one check of this monitor looks at, with the owner's per-monitor choices.
    var checkTarget: CheckTarget {
        CheckTarget(
            kind: kind, target: target, keyword: keyword, http: options.httpOptions,
            minimumProbes: options.packetLossPercent == nil ? nil : MonitorOptions.lossProbes)
    }
}
