import Foundation
import PollingClient
import TraceStore

/// Resuming an unfinished run: only the missing trials run, with their original seeds, into the
/// same run, so a resumed simulation ends with exactly the rows of an uninterrupted one.
extension ExperimentRunner {
    /// Runs the trials that run `runID` is missing and marks it finished.
    ///
    /// The experiment is rebuilt from the run's stored config text, seed and trials per arm (not
    /// from the file, which may have changed since); its mode is the run's. A run counts as
    /// unfinished when it is `interrupted` or `failed`, or `running` with a heartbeat older than
    /// `staleAfter` seconds (its runner died). `learned` arms restart their learning from the
    /// resumed trials only (in a simulated shard, from the resumed trials and the other shards'
    /// trials they replay). A sharded run resumes that shard only: its missing trials, with the
    /// whole run's seeds.
    /// - Parameters:
    ///   - runID: the run to resume.
    ///   - database: the run's database.
    ///   - staleAfter: heartbeat age, in seconds, after which a `running` run is taken to have
    ///     died. Default `ExperimentRunner.staleAfter` (10 s).
    ///   - options: `serverURL` and `progress` apply; other overrides are ignored.
    /// - Returns: the run id and the number of trials run now (0 when nothing was missing).
    /// - Throws: `ExperimentError.runFailed` for a run another runner is still writing (the claim
    ///   is atomic, `TraceDatabase.claimRun`), or the errors of `run`.
    public func resume(runID: Int64, database: TraceDatabase, staleAfter: TimeInterval = ExperimentRunner.staleAfter,
                       options: Options = Options()) async throws -> Result {
        // Taking the run is atomic: of two resumes started at once, one takes it and the other
        // finds its fresh heartbeat. Cancelled trials (cut short by the run's stop) run again.
        let stored: StoredRun
        logger.debug("claiming run \(runID) (a running run's heartbeat counts as stale after \(staleAfter) s)")
        do {
            stored = try database.claimRun(runID, staleAfter: staleAfter,
                                           rerunErrorCode: Poller<ContinuousClock>.cancelledCode)
        } catch let error as TraceStoreError where error.code == "run_in_use" {
            logger.debug("run \(runID) not claimed: \(error.description)")
            throw ExperimentError.runFailed(error.description)
        }
        logger.debug(stored.status == .finished ? "run \(runID) is finished: nothing to resume" : "claimed run \(runID)")
        if stored.status == .finished { return Result(runID: runID, trials: 0, wallTime: .zero) }
        var experiment: Experiment
        do {
            experiment = try Experiment.parse(yaml: stored.configText, file: "run \(runID) config")
        } catch {
            // Give the claim back: the run stays resumable once the stored config is fixed.
            try? database.finishRun(runID, status: .interrupted, error: "\(error)")
            throw error
        }
        experiment.seed = stored.seed
        experiment.trials = stored.trialsPerArm
        experiment.mode = Experiment.Mode(stored.mode)
        let done = try database.completedTrialIndexes(runID: runID)
        let plan = Plan.resume(stored, done: done)
        let missing = experiment.arms.count * stored.expectedTrialsPerArm
            - plan.doneCount(arms: experiment.arms.map(\.name), trials: experiment.trials, shard: stored.shard)
        guard missing > 0 else {
            try database.finishRun(runID, status: .finished)
            return Result(runID: runID, trials: 0, wallTime: .zero)
        }
        var resumeOptions = Options(serverURL: options.serverURL, shard: stored.shard, progress: options.progress)
        resumeOptions.mode = experiment.mode
        return try await run(experiment, plan: plan, database: database, options: resumeOptions)
    }
}
