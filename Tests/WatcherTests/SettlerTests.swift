import Testing
@testable import Watcher

@Suite struct SettlerTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }
    func changes(_ paths: String...) -> RawChanges { RawChanges(paths: paths) }

    @Test func aBatchIsDueAfterTheQuietPeriod() {
        var settler = Settler(options: SettleOptions(settle: .milliseconds(20), maxDelay: .milliseconds(250)))
        #expect(settler.decide(now: at(0)) { false } == .idle)
        settler.add(changes("/a"), at: at(0))
        #expect(settler.decide(now: at(5)) { false } == .wait(until: at(20)))
        settler.add(changes("/b", "/a"), at: at(15))
        #expect(settler.decide(now: at(20)) { false } == .wait(until: at(35)))
        #expect(settler.decide(now: at(35)) { false } == .emit)
        #expect(Set(settler.take().paths) == ["/a", "/b"])
        #expect(settler.isEmpty)
    }

    @Test func anEndlessStreamStillGivesABatchByTheMaximumDelay() {
        var settler = Settler(options: SettleOptions(settle: .milliseconds(20), maxDelay: .milliseconds(100)))
        for time in stride(from: 0, through: 95, by: 10) { settler.add(changes("/f\(time)"), at: at(time)) }
        #expect(settler.decide(now: at(99)) { false } == .wait(until: at(100)))
        #expect(settler.decide(now: at(100)) { false } == .emit)
    }

    @Test func aGitLockHoldsTheBatchUntilItGoesOrTheLimit() {
        var settler = Settler(options: SettleOptions(settle: .milliseconds(20), maxDelay: .milliseconds(100),
                                                     gitDirectory: "/p/.git", lockWaitLimit: .seconds(1)))
        settler.add(changes("/a"), at: at(0))
        var asked = false
        #expect(settler.decide(now: at(10)) { asked = true; return true } == .wait(until: at(20)))
        #expect(!asked, "the lock is only looked at once the batch is due")
        #expect(settler.decide(now: at(20)) { true } == .wait(until: at(30)))
        #expect(settler.decide(now: at(995)) { true } == .wait(until: at(1000)))
        #expect(settler.decide(now: at(1000)) { true } == .emit)
        #expect(settler.decide(now: at(40)) { false } == .emit)
    }

    @Test func withoutAGitFolderTheLockIsNeverAskedFor() {
        var settler = Settler(options: SettleOptions(settle: .milliseconds(20)))
        settler.add(changes("/a"), at: at(0))
        #expect(settler.decide(now: at(20)) { Issue.record("asked"); return true } == .emit)
    }
}
